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

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.ObjectMapper;

/** The mirror command against ElasticMQ and s3proxy: every message shape of the S3 event facts, end to end. */
@Timeout(180)
@MirrorServers
class MirrorEndToEndTest {

    static MirrorHarness h;

    @TempDir
    Path tmp;

    @BeforeAll
    static void start(MirrorHarness shared) throws Exception {
        h = shared;
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
        Path work = MirrorHarness.workDir(tmp);

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

        MirrorHarness.Run run = h.runUntilDone(work, Map.of(), Duration.ofSeconds(90), queue, 13, "mirror", "--config",
                config.toString());
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

        run = h.runUntilDone(work, Map.of(), Duration.ofSeconds(90), queue, 3, "mirror", "--config", config.toString());
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

    @Test
    void outOfOrderPairsAcrossRestarts() throws Exception {
        String queue = h.queue("order", 2, null);
        Path srv = tmp.resolve("srv");
        Path config = configFor(queue, srv.resolve("a"), srv.resolve("b"));
        Path work = MirrorHarness.workDir(tmp);
        for (String k : new String[] {"k1", "k2", "k3", "k4"}) {
            h.put("test-folder/order/" + k + ".txt", k + " in the bucket");
        }
        // k1: its delete (newer) arrives first; k2: its put (newer) arrives first
        h.send(queue, message(removed("test-folder/order/k1.txt", "0055AED6DCD90281E5")));
        h.send(queue, message(created("test-folder/order/k2.txt", 17, "0055AED6DCD90281E5")));
        // k3, k4: a pair in one message, newer first
        h.send(queue, message(removed("test-folder/order/k3.txt", "0050"), created("test-folder/order/k3.txt", 17, "0040")));
        h.send(queue, message(created("test-folder/order/k4.txt", 17, "0060"), removed("test-folder/order/k4.txt", "0055")));
        MirrorHarness.Run run = h.runUntilDone(work, Map.of(), Duration.ofSeconds(90), queue, 4, "mirror", "--config",
                config.toString());
        assertThat(run.err()).doesNotContain("error:");
        assertThat(MirrorHarness.tree(srv)).containsExactly(
                entry("a/order/k2.txt", "k2 in the bucket"),
                entry("a/order/k4.txt", "k4 in the bucket"));

        // after a restart, the older halves of the k1 and k2 pairs arrive: neither is applied
        h.send(queue, message(created("test-folder/order/k1.txt", 17, "0055AED6DCD90281E4")));
        h.send(queue, message(removed("test-folder/order/k2.txt", "0055AED6DCD90281E4FF")));
        // equal once padded with zeros: a duplicate, not applied either
        h.send(queue, message(created("test-folder/order/k1.txt", 17, "0055AED6DCD90281E500")));
        // restarted from another directory: the same state (the user's, per queue), said at start
        Path elsewhere = MirrorHarness.workDir(tmp.resolve("elsewhere"));
        run = h.runUntilDone(elsewhere, Map.of(), Duration.ofSeconds(90), queue, 3, "mirror", "--config",
                config.toString());
        assertThat(run.err()).doesNotContain("error:");
        assertThat(run.log()).contains("not newer than the last applied")
                .contains("Mirror state (the last applied event per key): " + h.stateHome.resolve("mastodon-s3-sync/mirror-"
                        + queue) + " (this user's state directory for this queue; MIRROR_STATE_DIR chooses another)");
        // ./state holds the Jolokia users file only: it does not decide where the mirror's state is
        assertThat(work.resolve("state/mirror")).doesNotExist();
        assertThat(elsewhere.resolve("state/mirror")).doesNotExist();
        assertThat(MirrorHarness.tree(srv)).containsExactly(
                entry("a/order/k2.txt", "k2 in the bucket"),
                entry("a/order/k4.txt", "k4 in the bucket"));
        assertThat(h.pending(queue)).isZero();
    }

    @Test
    void failedAppliesAreRedeliveredThenDeadLettered() throws Exception {
        String queue = h.queue("poison", 1, 2);
        Path srv = tmp.resolve("srv");
        Path a = srv.resolve("a");
        Path config = configFor(queue, a, srv.resolve("b"));
        Path work = MirrorHarness.workDir(tmp);
        Files.createDirectories(a);
        Files.writeString(a.resolve("blocker"), "a file where the mirror needs a directory");
        h.put("test-folder/ok.txt", "fine");
        h.put("test-folder/blocker/x.txt", "cannot be written");
        String noBucket = message(MirrorHarness.record("ObjectCreated:Put", "no-such-bucket", "test-folder/f.txt", 3,
                "0010"));
        String ioError = message(created("test-folder/blocker/x.txt", 17, "0010"));
        h.put("test-folder/first.txt", "first of two");
        // the first record of this message is applied, the second fails: the whole message stays in the queue
        String half = message(created("test-folder/first.txt", 12, "0010"),
                MirrorHarness.record("ObjectCreated:Put", "no-such-bucket", "test-folder/second.txt", 3, "0010"));
        h.send(queue, noBucket);
        h.send(queue, ioError);
        h.send(queue, half);
        h.send(queue, message(created("test-folder/ok.txt", 4, "0010")));
        // seven deliveries: ok once, the three that fail twice each (maxReceiveCount), then the queue moves them
        MirrorHarness.Run run = h.runUntilDone(work, Map.of("MIRROR_VISIBILITY_TIMEOUT", "1"), Duration.ofSeconds(90),
                queue, 7, "mirror", "--config", config.toString());
        assertThat(run.log()).contains("FAILED ObjectCreated:Put no-such-bucket/test-folder/f.txt")
                .contains("FAILED ObjectCreated:Put media/test-folder/blocker/x.txt");
        assertThat(MirrorHarness.tree(srv)).containsExactly(
                entry("a/blocker", "a file where the mirror needs a directory"),
                entry("a/first.txt", "first of two"),
                entry("a/ok.txt", "fine"));
        // on redelivery the applied first record is recognised and skipped
        assertThat(run.log()).contains("skipped ObjectCreated:Put media/test-folder/first.txt (sequencer 0010)");
        assertThat(h.pending(queue)).isZero();
        String dlq = h.url(queue + "-dlq");
        var received = h.q.receiveMessage(r -> r.queueUrl(dlq).maxNumberOfMessages(10).waitTimeSeconds(2)
                .messageSystemAttributeNamesWithStrings("ApproximateReceiveCount")).messages();
        assertThat(received).extracting(m -> m.body()).containsExactlyInAnyOrder(noBucket, ioError, half);
        // each was tried twice (maxReceiveCount) before the queue moved it
        assertThat(run.log().split("FAILED ObjectCreated:Put no-such-bucket/test-folder/f.txt", -1)).hasSize(3);
        assertThat(run.log().split("FAILED ObjectCreated:Put no-such-bucket/test-folder/second.txt", -1)).hasSize(3);
    }

    @Test
    void unmappedKeysCanBeLeftInTheQueue() throws Exception {
        String queue = h.queue("unmapped", 1, 1);
        Path srv = tmp.resolve("srv");
        Path config = configFor(queue, srv.resolve("a"), srv.resolve("b"));
        Path work = MirrorHarness.workDir(tmp);
        String body = message(created("elsewhere/x.txt", 1, "0010"));
        h.send(queue, body);
        MirrorHarness.Run run = h.runUntilDone(work, Map.of("MIRROR_UNMAPPED", "leave", "MIRROR_VISIBILITY_TIMEOUT",
                "1"), Duration.ofSeconds(60), queue, 1, "mirror", "--config", config.toString());
        assertThat(run.log()).contains("unmapped ObjectCreated:Put media/elsewhere/x.txt; left in the queue");
        String dlq = h.url(queue + "-dlq");
        assertThat(h.q.receiveMessage(r -> r.queueUrl(dlq).waitTimeSeconds(2)).messages())
                .extracting(m -> m.body()).containsExactly(body);
        assertThat(MirrorHarness.tree(srv)).isEmpty();
    }

    @Test
    void clearErrorsBeforeAnythingStarts() throws Exception {
        Path work = MirrorHarness.workDir(tmp);
        String queue = h.queue("errors", 2, null);
        Path dir = tmp.resolve("srv/a");

        MirrorHarness.Run run = h.run(work, Map.of(), Duration.ofSeconds(30), "mirror");
        assertThat(run.code()).isEqualTo(2);
        assertThat(run.err()).contains("error: mirror needs its config file");

        run = h.run(work, Map.of(), Duration.ofSeconds(30), "mirror", "--config", tmp.resolve("nope.json").toString());
        assertThat(run.code()).isEqualTo(2);
        assertThat(run.err()).contains("nope.json").contains("does not exist");

        Path bad = Files.writeString(tmp.resolve("bad.json"), "{\"queue\": ");
        run = h.run(work, Map.of(), Duration.ofSeconds(30), "mirror", "--config", bad.toString());
        assertThat(run.code()).isEqualTo(2);
        assertThat(run.err()).contains("bad.json").contains("not valid JSON");

        Path unknownQueue = MirrorHarness.config(tmp, "{\"queue\": \"no-such-queue\", \"sync\": {\"p/\": \"" + dir + "\"}}");
        run = h.run(work, Map.of(), Duration.ofSeconds(30), "mirror", "--config", unknownQueue.toString());
        assertThat(run.code()).isEqualTo(2);
        assertThat(run.err()).contains("the queue 'no-such-queue' does not exist");

        Path file = Files.writeString(tmp.resolve("a-file"), "x");
        Path blocked = MirrorHarness.config(tmp, "{\"queue\": \"" + queue + "\", \"sync\": {\"p/\": \""
                + file.resolve("sub") + "\"}}");
        run = h.run(work, Map.of(), Duration.ofSeconds(30), "mirror", "--config", blocked.toString());
        assertThat(run.code()).isEqualTo(2);
        assertThat(run.err()).contains("directory '" + file.resolve("sub") + "'").contains("cannot be created");

        Path ok = MirrorHarness.config(tmp, "{\"queue\": \"" + queue + "\", \"sync\": {\"p/\": \"" + dir + "\"}}");
        run = h.run(work, Map.of(), Duration.ofSeconds(30), "mirror", "--config", ok.toString(), "--delete");
        assertThat(run.code()).isEqualTo(2);
        assertThat(run.err()).contains("--delete only works with --resync");

        run = h.run(work, Map.of(), Duration.ofSeconds(30), "mirror", "--config", ok.toString(), "--resync");
        assertThat(run.code()).isEqualTo(2);
        assertThat(run.err()).contains("--resync needs the bucket");
    }
}
