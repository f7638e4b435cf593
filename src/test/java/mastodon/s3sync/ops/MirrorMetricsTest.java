package mastodon.s3sync.ops;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

import org.junit.jupiter.api.Test;

class MirrorMetricsTest {

    /** The shape of the mirror's statistics bean: a getter per counter, and other methods that are not counters. */
    public static final class Stats {
        final AtomicLong created = new AtomicLong();

        public long getCreated() {
            return created.get();
        }

        public long getTestEvents() {
            return 2;
        }

        public long getResyncDownloaded() {
            return 5;
        }

        public double getLagSeconds() {
            return 1.5;
        }

        public Map<String, Long> asMap() {
            return Map.of("created", created.get());
        }

        public String getName() {
            return "not a number";
        }
    }

    @Test
    void gettersBecomeCountersReadAtScrapeTime() {
        Stats stats = new Stats();
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        new MirrorMetrics(stats).bindTo(registry);

        FunctionCounter created = registry.get("mastodon.mirror.events").tag("outcome", "created").functionCounter();
        assertThat(created.count()).isZero();
        stats.created.addAndGet(3);
        assertThat(created.count()).isEqualTo(3.0);
        assertThat(registry.get("mastodon.mirror.events").tag("outcome", "test-events").functionCounter().count())
                .isEqualTo(2.0);
        assertThat(registry.get("mastodon.mirror.resync.objects").tag("outcome", "downloaded").functionCounter()
                .count()).isEqualTo(5.0);
        Gauge lag = registry.get("mastodon.mirror.lag_seconds").gauge();
        assertThat(lag.value()).isEqualTo(1.5);
        // asMap() and getName() are not meters; nothing else was registered
        assertThat(registry.getMeters()).hasSize(4);
    }

    @Test
    void meterNames() {
        assertThat(MirrorMetrics.meterName("getResyncDownloaded")).isEqualTo("resync_downloaded");
        assertThat(MirrorMetrics.meterName("getCreated")).isEqualTo("created");
    }
}
