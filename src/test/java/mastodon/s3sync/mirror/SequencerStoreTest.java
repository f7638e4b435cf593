package mastodon.s3sync.mirror;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

class SequencerStoreTest {

    @TempDir
    Path dir;

    private SequencerStore store(Clock clock) {
        return new SequencerStore(dir, Duration.ofDays(14), clock);
    }

    @Test
    void comparisonPadsTheShorterWithZeros() {
        assertThat(SequencerStore.compare("0055AED6DCD90281E5", "0055AED6DCD90281E6")).isNegative();
        assertThat(SequencerStore.compare("0055AED6DCD90281E6", "0055AED6DCD90281E5")).isPositive();
        // padded: 0055AED6DCD90281E5 vs 0055AED6DCD90281E500 -> equal
        assertThat(SequencerStore.compare("0055AED6DCD90281E5", "0055AED6DCD90281E500")).isZero();
        // padded: 0056 0000 > 0055 FFFF although the second is longer
        assertThat(SequencerStore.compare("0056", "0055FFFF")).isPositive();
        assertThat(SequencerStore.compare("0055", "005501")).isNegative();
        assertThat(SequencerStore.compare("00ab", "00AB")).isZero();
        assertThat(SequencerStore.compare("A", "9")).isPositive();
    }

    @Test
    void olderAndEqualEventsAreNotApplied() throws Exception {
        SequencerStore s = store(Clock.systemUTC());
        assertThat(s.claim("k", "0055AED6DCD90281E5", 1000)).isTrue();
        s.applied("k", "0055AED6DCD90281E5");
        s.release("k");
        assertThat(s.claim("k", "0055AED6DCD90281E5", 1000)).isFalse(); // duplicate
        assertThat(s.claim("k", "0055AED6DCD90281E4", 1000)).isFalse(); // older
        assertThat(s.claim("k", "0055AED6DCD90281E500", 1000)).isFalse(); // equal once padded
        assertThat(s.claim("k", "0055AED6DCD90281E501", 1000)).isTrue();
        s.release("k");
        assertThat(s.claim("other", "01", 1000)).isTrue();
        s.release("other");
        assertThat(s.claim("k", null, 1000)).isTrue(); // no sequencer: applied
        s.release("k");
        s.applied("k", "0055AED6DCD90281E4"); // an older one never replaces the newer
        assertThat(s.last("k")).isEqualTo("0055AED6DCD90281E5");
    }

    @Test
    void survivesARestartAndACutLine() throws Exception {
        SequencerStore s = store(Clock.systemUTC());
        s.applied("a b/ü+=.txt", "0A");
        s.applied("a b/ü+=.txt", "0B");
        s.applied("k2", "01");
        s.close();
        Files.writeString(dir.resolve("sequencers.log"), "00FF 17", java.nio.file.StandardOpenOption.APPEND); // cut
        SequencerStore again = store(Clock.systemUTC());
        assertThat(again.last("a b/ü+=.txt")).isEqualTo("0B");
        assertThat(again.last("k2")).isEqualTo("01");
        assertThat(again.claim("a b/ü+=.txt", "0A", 1000)).isFalse();
        assertThat(again.size()).isEqualTo(2);
    }

    @Test
    void compactionKeepsTheLatestAndDropsExpired() throws Exception {
        Instant t0 = Instant.parse("2026-01-01T00:00:00Z");
        Clock[] now = {Clock.fixed(t0, ZoneOffset.UTC)};
        Clock clock = new Clock() {
            public java.time.ZoneId getZone() {
                return ZoneOffset.UTC;
            }

            public Clock withZone(java.time.ZoneId z) {
                return this;
            }

            public Instant instant() {
                return now[0].instant();
            }
        };
        SequencerStore s = store(clock);
        s.applied("old", "01");
        now[0] = Clock.fixed(t0.plus(Duration.ofDays(20)), ZoneOffset.UTC);
        for (int i = 1; i <= 50; i++) {
            s.applied("new", String.format("%04X", i));
        }
        s.compact();
        assertThat(Files.readAllLines(dir.resolve("sequencers.log"))).hasSize(1);
        s.close();
        SequencerStore again = store(clock);
        assertThat(again.last("new")).isEqualTo("0032");
        assertThat(again.last("old")).isNull();
    }

    @Test
    @Timeout(10)
    void oneKeyIsAppliedByOneConsumerAtATime() throws Exception {
        SequencerStore s = store(Clock.systemUTC());
        assertThat(s.claim("k", "01", 1000)).isTrue();
        CountDownLatch started = new CountDownLatch(1);
        AtomicBoolean second = new AtomicBoolean();
        Thread t = new Thread(() -> {
            started.countDown();
            try {
                second.set(s.claim("k", "02", 5000));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        t.start();
        started.await();
        Thread.sleep(200);
        assertThat(t.isAlive()).isTrue(); // waiting for the key
        s.applied("k", "01");
        s.release("k");
        t.join(TimeUnit.SECONDS.toMillis(5));
        assertThat(second.get()).isTrue();
        assertThatThrownBy(() -> s.claim("k", "03", 100)).isInstanceOf(SequencerStore.KeyBusyException.class);
        s.release("k");
        assertThat(s.claim("k", "03", 100)).isTrue();
    }
}
