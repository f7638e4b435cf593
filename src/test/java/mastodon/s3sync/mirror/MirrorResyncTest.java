package mastodon.s3sync.mirror;

import static mastodon.s3sync.mirror.MirrorHarness.created;
import static mastodon.s3sync.mirror.MirrorHarness.message;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** mirror --resync [--delete]: recovers from lost events, then follows the queue. */
@Timeout(180)
@MirrorServers
class MirrorResyncTest {

    static MirrorHarness h;

    @TempDir
    Path tmp;

    @BeforeAll
    static void start(MirrorHarness shared) throws Exception {
        h = shared;
    }

    @Test
    void downloadsWhatIsMissingThenDeletesOrphansThenFollowsTheQueue() throws Exception {
        String queue = h.queue("resync", 2, null);
        Path srv = tmp.resolve("srv");
        Path a = srv.resolve("a");
        Path b = srv.resolve("b");
        // the queue as a URL, and the bucket to list
        Path config = MirrorHarness.config(tmp, "{\"queue\": \"" + h.url(queue) + "\", \"bucket\": \"media\", "
                + "\"sync\": {\"resync/\": \"" + a + "\", \"resync/b/\": \"" + b + "\"}}");
        Path work = MirrorHarness.workDir(tmp);
        h.put("resync/same.txt", "same");
        h.put("resync/missing.txt", "missing");
        h.put("resync/deep/er/sized.txt", "the bucket's version");
        h.put("resync/b/nested.txt", "nested");
        h.put("resync/folder/", "");
        h.put("elsewhere/not-mapped.txt", "x");
        Files.createDirectories(a.resolve("deep/er"));
        Files.createDirectories(a.resolve("b"));
        Files.createDirectories(b);
        Files.writeString(a.resolve("same.txt"), "same");
        Instant old = Instant.parse("2020-01-01T00:00:00Z");
        Files.setLastModifiedTime(a.resolve("same.txt"), FileTime.from(old));
        Files.writeString(a.resolve("deep/er/sized.txt"), "stale");
        Files.writeString(a.resolve("orphan.txt"), "not in the bucket");
        Files.writeString(a.resolve("b/stray.txt"), "maps to resync/b/, which is b's");
        Files.writeString(a.resolve(".half.txt.mirror-part"), "left by a killed write");
        // an event that was queued meanwhile is applied after the resync
        h.put("resync/late.txt", "late");
        h.send(queue, message(created("resync/late.txt", 4, "0010")));

        MirrorHarness.Run run = h.runUntilDone(work, Map.of(), Duration.ofSeconds(90), queue, 1, "mirror", "--config",
                config.toString(), "--resync");
        assertThat(run.err()).doesNotContain("error:");
        assertThat(MirrorHarness.tree(srv)).containsExactly(
                entry("a/b/stray.txt", "maps to resync/b/, which is b's"),
                entry("a/deep/er/sized.txt", "the bucket's version"),
                entry("a/late.txt", "late"),
                entry("a/missing.txt", "missing"),
                entry("a/orphan.txt", "not in the bucket"),
                entry("a/same.txt", "same"),
                entry("b/nested.txt", "nested"));
        assertThat(Files.getLastModifiedTime(a.resolve("same.txt")).toInstant()).isEqualTo(old); // not fetched again
        assertThat(run.log()).contains("resync done: 5 object(s) listed, 4 downloaded, 0 failed, 0 local file(s) deleted");
        int late = run.log().indexOf("wrote ObjectCreated:Put media/resync/late.txt");
        assertThat(late).isGreaterThan(run.log().indexOf("resync done"));
        assertThat(h.pending(queue)).isZero();

        run = h.runUntilDone(work, Map.of(), Duration.ofSeconds(90), queue, 0, "mirror", "--config", config.toString(),
                "--resync", "--delete");
        assertThat(run.err()).doesNotContain("error:");
        assertThat(MirrorHarness.tree(srv)).containsExactly(
                entry("a/deep/er/sized.txt", "the bucket's version"),
                entry("a/late.txt", "late"),
                entry("a/missing.txt", "missing"),
                entry("a/same.txt", "same"),
                entry("b/nested.txt", "nested"));
        assertThat(MirrorHarness.dirs(srv)).containsExactly("a", "a/deep", "a/deep/er", "b");
        assertThat(run.log()).contains("0 downloaded, 0 failed, 2 local file(s) deleted");
    }
}
