package mastodon.s3sync.mirror;

import static mastodon.s3sync.mirror.MirrorHarness.created;
import static mastodon.s3sync.mirror.MirrorHarness.message;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import mastodon.s3sync.testing.Await;
import mastodon.s3sync.testing.ChildJvm;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The mirror runs in a child JVM and is killed (SIGKILL) in the middle of writing an object: no partial file is ever
 * visible under the final name (the old version stays whole); the restarted mirror removes the temporary file before
 * it reads the queue, and every event of the queue (the interrupted one and the others) is applied.
 */
@Timeout(240)
@MirrorServers
class MirrorKillTest {

    @TempDir
    Path tmp;

    private final List<Process> children = new ArrayList<>();

    @AfterEach
    void killChildren() throws InterruptedException {
        for (Process p : children) {
            p.destroyForcibly();
            p.waitFor(20, TimeUnit.SECONDS);
        }
    }

    private Process start(MirrorHarness h, ThrottlingProxy proxy, Path work, Path config, Path log) throws Exception {
        Process p = ChildJvm.start(work, h.env(Map.of("MIRROR_STATE_DIR", tmp.resolve("state").toString(),
                "AWS_ENDPOINT_URL_S3", proxy.endpoint(), "LOG_LEVEL", "INFO")), log, "-Xmx256m", "mirror", "--config",
                config.toString());
        children.add(p);
        return p;
    }

    @Test
    void killedMidWriteLeavesNoPartialFileAndAppliesTheEventAfterRestart(MirrorHarness h) throws Exception {
        byte[] big = new byte[6 * 1024 * 1024];
        new Random(42).nextBytes(big);
        try (ThrottlingProxy proxy = new ThrottlingProxy(h.s3.port(), 256 * 1024)) {
            String queue = h.queue("kill", 2, null);
            Path a = tmp.resolve("srv/a");
            Path config = MirrorHarness.config(tmp, "{\"queue\": \"" + queue + "\", \"sync\": {\"test-folder/\": \""
                    + a + "\"}}");
            Path file = a.resolve("big.bin");
            Path part = a.resolve(".big.bin.mirror-part");
            Files.createDirectories(a);
            Files.writeString(file, "version 1");
            h.put("test-folder/big.bin", big);
            h.send(queue, message(created("test-folder/big.bin", big.length, "0020")));
            // other events queued behind it, some of which may be applied before the kill, some after
            Files.writeString(a.resolve("old.txt"), "removed by an event");
            for (int i = 0; i < 5; i++) {
                h.put("test-folder/small/" + i + ".txt", "small " + i);
                h.send(queue, message(created("test-folder/small/" + i + ".txt", 7, "0010")));
            }
            h.send(queue, message(MirrorHarness.removed("test-folder/old.txt", "0030")));

            // 1. a child that is killed while the object trickles in through the slow proxy
            Path work1 = Files.createDirectories(tmp.resolve("work1"));
            Path log1 = tmp.resolve("child1.log");
            Process first = start(h, proxy, work1, config, log1);
            try {
                Await.until(Duration.ofSeconds(90), () -> {
                    try {
                        assertThat(Files.readString(file)).isEqualTo("version 1"); // never partial
                        return Files.exists(part) && Files.size(part) > 256 * 1024;
                    } catch (java.io.IOException e) {
                        throw new AssertionError(e);
                    }
                }, "the temporary file to fill up");
            } catch (AssertionError e) {
                throw new AssertionError(e.getMessage() + "\nchild log:\n" + Files.readString(log1), e);
            }
            first.destroyForcibly();
            assertThat(first.waitFor(20, TimeUnit.SECONDS)).isTrue();
            assertThat(Files.size(part)).isLessThan(big.length);
            assertThat(Files.readString(file)).isEqualTo("version 1");

            // 2. restarted at full speed: the redelivered event is applied
            proxy.rate = 0;
            Path work2 = MirrorHarness.workDir(tmp.resolve("second"));
            Path log2 = tmp.resolve("child2.log");
            Process second = start(h, proxy, work2, config, log2);
            // done when every message is deleted (applied); then stopped as a service manager stops it (SIGTERM)
            Await.until(Duration.ofSeconds(120), () -> h.pending(queue) == 0, "the queue to drain");
            second.destroy();
            assertThat(second.waitFor(60, TimeUnit.SECONDS)).as("the second child stops on SIGTERM").isTrue();
            String out = Files.readString(log2);
            assertThat(out).as(out).contains("mirror: wrote ObjectCreated:Put media/test-folder/big.bin");
            // the leftover went at start, before the queue was read
            int removedAt = out.indexOf("mirror: removed " + part + ", left by an interrupted write");
            assertThat(removedAt).as(out).isNotNegative()
                    .isLessThan(out.indexOf("mirror: wrote ObjectCreated:Put media/test-folder/big.bin"));
            assertThat(Files.readAllBytes(file)).isEqualTo(big);
            assertThat(part).doesNotExist();
            try (var s = Files.walk(a)) {
                assertThat(s.filter(Files::isRegularFile).map(p -> a.relativize(p).toString())).containsExactlyInAnyOrder(
                        "big.bin", "small/0.txt", "small/1.txt", "small/2.txt", "small/3.txt", "small/4.txt");
            }
            for (int i = 0; i < 5; i++) {
                assertThat(a.resolve("small/" + i + ".txt")).hasContent("small " + i);
            }
            assertThat(h.pending(queue)).isZero();
        }
    }
}
