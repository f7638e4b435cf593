package mastodon.s3sync.mirror;

import static mastodon.s3sync.mirror.MirrorHarness.created;
import static mastodon.s3sync.mirror.MirrorHarness.message;
import static mastodon.s3sync.mirror.MirrorHarness.removed;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.ObjectMapper;

/** The mirror command against ElasticMQ and s3proxy: every message shape of the S3 event facts, end to end. */
@Timeout(180)
class MirrorEndToEndTest {

    static MirrorHarness h;

    @TempDir
    Path tmp;

    @BeforeAll
    static void start() throws Exception {
        h = new MirrorHarness();
    }

    @AfterAll
    static void stop() throws Exception {
        h.close();
    }

    private Path configFor(String queue, Path a, Path b) throws Exception {
        return MirrorHarness.config(tmp, "{\"queue\": \"" + queue + "\", \"sync\": {\"test-folder/\": \"" + a
                + "\", \"test-folder/folder-01/\": \"" + b + "\"}}");
    }

    @Test
    void createsOverwritesDeletesAndEveryShape() throws Exception {
        String queue = h.queue("shapes", 2, null);
        Path srv = tmp.resolve("srv");
        Path a = srv.resolve("a");
        Path b = srv.resolve("web-pages/html");
        Path config = configFor(queue, a, b);
        Path work = MirrorHarness.workDir(tmp, 3);

        h.put("test-folder/index.html", "index v1");
        h.put("test-folder/folder-01/folder-02/peccancy.html", "peccancy");
        h.put("test-folder/red flower.jpg", "red flower");
        h.put("test-folder/a+b.txt", "a plus b");
        h.put("test-folder/x=1.log", "x equals 1");
        h.put("test-folder/café/日本.txt", "utf-8");
        h.put("test-folder/dir/sub.txt", "slash encoded");
        h.put("test-folder/gone-soon.txt", "gone soon");
        h.put("test-folder/empty/", "");
        h.put("other/unmapped.txt", "unmapped");
        h.put("test-folder/../escape.txt", "escape");

        // several records in one message, nested prefixes
        h.send(queue, message(created("test-folder/index.html", 8, "0010"),
                created("test-folder/folder-01/folder-02/peccancy.html", 8, "0010")));
        // the test event sent when the notification is configured
        h.send(queue, "{\"Service\":\"Amazon S3\",\"Event\":\"s3:TestEvent\",\"Time\":\"2026-11-21T10:00:00.000Z\","
                + "\"Bucket\":\"media\",\"RequestId\":\"R\",\"HostId\":\"H\"}");
        // SNS-wrapped, with a form-encoded space
        String inner = message(created("test-folder/red+flower.jpg", 10, "0010"));
        h.send(queue, new ObjectMapper().createObjectNode().put("Type", "Notification").put("MessageId", "m-1")
                .put("TopicArn", "arn:aws:sns:us-east-1:000000000000:media-events")
                .put("Subject", "Amazon S3 Notification").put("Message", inner).toString());
        // form encoding: %2B, %3D, UTF-8, %2F
        h.send(queue, message(created("test-folder/a%2Bb.txt", 8, "0010"), created("test-folder/x%3D1.log", 10, "0010"),
                created("test-folder/caf%C3%A9/%E6%97%A5%E6%9C%AC.txt", 5, "0010"),
                created("test-folder%2Fdir%2Fsub.txt", 13, "0010")));
        // a folder placeholder, an unmapped key, traversal attempts (plain, encoded, absolute)
        h.send(queue, message(created("test-folder/empty/", 0, "0010")));
        h.send(queue, message(created("other/unmapped.txt", 8, "0010")));
        h.send(queue, message(created("test-folder/../escape.txt", 6, "0010")));
        h.send(queue, message(created("test-folder/%2E%2E/%2E%2E/escape.txt", 6, "0011")));
        h.send(queue, message(created("test-folder//etc/escape.txt", 6, "0010")));
        // not S3 notifications
        h.send(queue, "not json at all");
        h.send(queue, "{\"hello\": \"world\"}");
        h.send(queue, "{\"version\":\"0\",\"detail-type\":\"Object Created\",\"source\":\"aws.s3\",\"detail\":{}}");
        // a create whose object is deleted before the event is applied
        h.send(queue, message(created("test-folder/gone-soon.txt", 9, "0010")));
        h.delete("test-folder/gone-soon.txt");

        MirrorHarness.Run run = h.run(work, Map.of(), Duration.ofSeconds(90), "mirror", "--config", config.toString());
        assertThat(run.err()).doesNotContain("error:");
        assertThat(MirrorHarness.tree(srv)).containsExactly(
                entry("a/a+b.txt", "a plus b"),
                entry("a/café/日本.txt", "utf-8"),
                entry("a/dir/sub.txt", "slash encoded"),
                entry("a/index.html", "index v1"),
                entry("a/red flower.jpg", "red flower"),
                entry("a/x=1.log", "x equals 1"),
                entry("web-pages/html/folder-02/peccancy.html", "peccancy"));
        assertThat(MirrorHarness.dirs(srv)).doesNotContain("a/empty");
        assertThat(tmp.resolve("escape.txt")).doesNotExist();
        assertThat(srv.resolve("escape.txt")).doesNotExist();
        assertThat(h.pending(queue)).isZero();

        // overwrite, delete (the emptied directory goes too), a duplicate of an applied event
        h.put("test-folder/index.html", "index v2");
        h.delete("test-folder/folder-01/folder-02/peccancy.html");
        h.send(queue, message(created("test-folder/index.html", 8, "0020"),
                removed("test-folder/folder-01/folder-02/peccancy.html", "0020")));
        h.send(queue, message(created("test-folder/a%2Bb.txt", 8, "0010"))); // duplicate
        h.delete("test-folder/a+b.txt");
        h.send(queue, message(MirrorHarness.record("ObjectRemoved:DeleteMarkerCreated", MirrorHarness.BUCKET,
                "test-folder/x%3D1.log", -1, "0020")));
        h.delete("test-folder/x=1.log");

        run = h.run(work, Map.of(), Duration.ofSeconds(90), "mirror", "--config", config.toString());
        assertThat(run.err()).doesNotContain("error:");
        assertThat(MirrorHarness.tree(srv)).containsExactly(
                entry("a/a+b.txt", "a plus b"), // the duplicate did not fetch again (the object is gone now)
                entry("a/café/日本.txt", "utf-8"),
                entry("a/dir/sub.txt", "slash encoded"),
                entry("a/index.html", "index v2"),
                entry("a/red flower.jpg", "red flower"));
        assertThat(MirrorHarness.dirs(srv)).containsExactly("a", "a/café", "a/dir", "web-pages", "web-pages/html");
        assertThat(h.pending(queue)).isZero();
        assertThat(Files.list(a).map(p -> p.getFileName().toString())).noneMatch(n -> n.endsWith(".mirror-part"));
    }
}
