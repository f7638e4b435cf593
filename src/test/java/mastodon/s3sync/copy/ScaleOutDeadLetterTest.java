package mastodon.s3sync.copy;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import mastodon.s3sync.testing.Await;
import mastodon.s3sync.testing.FlakyBlobStore;
import mastodon.s3sync.testing.MastodonFixture;
import mastodon.s3sync.testing.Ports;
import mastodon.s3sync.testing.SqsServer;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * A worker stopped with SIGTERM finishes the message it holds. A task that can never be done (the target refuses its object): its message is never deleted, comes back until the
 * queue's maxReceiveCount, lands in the dead-letter queue; the planner still sees the queue drained, and its verify
 * names the key (exit 1). The other messages are done.
 */
@Timeout(240)
@CopyServers
@org.junit.jupiter.api.extension.ExtendWith(mastodon.s3sync.testing.SqsExtension.class)
class ScaleOutDeadLetterTest {

    static CopyEnvironment servers;

    @BeforeAll
    static void start(mastodon.s3sync.testing.PostgresServer pg, SqsServer queues) throws Exception {
        // stores of its own: the target refuses one key for good
        servers = new CopyEnvironment(pg, false, null, b -> new FlakyBlobStore(b, "put", 0, 403, "AccessDenied",
                "deadbeefdeadbeef"));
        ScaleOutProcessTest.sqs = queues;
    }

    @AfterAll
    static void stop() throws Exception {
        servers.close();
    }

    @Test
    void aBatchThatKeepsFailingEndsInTheDeadLetterQueueAndTheVerifyNamesItsKey(@TempDir Path dir) throws Exception {
        CopyEnvironment.World w = servers.fresh(dir);
        List<String> names = List.of("1111111111111111", "deadbeefdeadbeef", "3333333333333333");
        try (S3Client s3 = servers.source.client()) {
            for (int i = 0; i < names.size(); i++) {
                w.fixture.sql("INSERT INTO site_uploads (id, var, file_file_name, file_content_type) VALUES (?, ?, ?, "
                        + "'image/png')", (long) i + 1, "mascot" + i, names.get(i) + ".png");
                String key = "site_uploads/files/000/000/00" + (i + 1) + "/original/" + names.get(i) + ".png";
                MastodonFixture.put(s3, w.sourceBucket, "", key, MastodonFixture.bytes(key, 100));
            }
        }
        String queue = ScaleOutProcessTest.createQueue(2, 2);
        Map<String, String> env = ScaleOutProcessTest.queueEnv(w);
        env.put("QUEUE_TASKS_PER_MESSAGE", "1");
        env.put("QUEUE_VISIBILITY_TIMEOUT", "2");
        Path plannerLog = dir.resolve("planner.log");
        Path workerLog = dir.resolve("worker.log");
        Process planner = ScaleOutProcessTest.launch(w, env, plannerLog, "copy", "--only", "site_uploads",
                "--plan-to", queue);
        Map<String, String> workerEnv = new HashMap<>(env);
        workerEnv.put("QUEUE_WORKER_ID", "w1");
        // the worker's own metrics, on its own management port
        int port;
        port = Ports.free();
        workerEnv.put("MANAGEMENT_ONE_PASS", "true");
        workerEnv.put("MANAGEMENT_PORT", Integer.toString(port));
        workerEnv.put("MANAGEMENT_JOLOKIA_ENABLED", "false");
        Process worker = ScaleOutProcessTest.launch(w, workerEnv, workerLog, "copy", "--work-from", queue);
        String metrics;
        try {
            assertThat(planner.waitFor(180, TimeUnit.SECONDS)).isTrue();
            var http = java.net.http.HttpClient.newHttpClient();
            metrics = http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:" + port
                    + "/observe/metrics")).build(), java.net.http.HttpResponse.BodyHandlers.ofString()).body();
        } finally {
            worker.destroy();
            worker.waitFor(60, TimeUnit.SECONDS);
            planner.destroyForcibly();
        }
        String out = Files.readString(plannerLog);
        String workerOut = Files.readString(workerLog);
        System.out.println("---- planner\n" + out + "\n---- worker\n" + workerOut);
        assertThat(planner.exitValue()).as("the verify finds the key missing").isEqualTo(1);
        assertThat(out).contains("dead-letter queue: 1").contains("work queue drained")
                .contains("site_uploads id 2 site_uploads/files/000/000/002/original/deadbeefdeadbeef.png: "
                        + "missing in target");
        assertThat(workerOut).contains("stays in the work queue");
        // per-worker counters: the two messages done, the failing one given back twice
        assertThat(metrics.lines().filter(l -> l.startsWith("mastodon_work_messages_total{")))
                .anySatisfy(l -> assertThat(l).contains("outcome=\"done\"", "worker=\"w1\"").endsWith(" 2.0"))
                .anySatisfy(l -> assertThat(l).contains("outcome=\"returned\"", "worker=\"w1\"").endsWith(" 2.0"));
        assertThat(ScaleOutProcessTest.drain(queue + "-dlq", true)).containsExactly(
                "site_uploads/files/000/000/002/original/deadbeefdeadbeef.png");
        try (S3Client s3 = servers.target.client()) {
            assertThat(CopyEndToEndTest.keys(s3, w.targetBucket)).containsExactly(
                    "site_uploads/files/000/000/001/original/1111111111111111.png",
                    "site_uploads/files/000/000/003/original/3333333333333333.png");
        }
    }

    @Test
    void aWorkerStoppedWithSigtermFinishesTheMessageInHandAndDeletesIt(@TempDir Path dir) throws Exception {
        CopyEnvironment.World w = servers.fresh(dir);
        List<String> keys = new java.util.ArrayList<>();
        try (S3Client s3 = servers.source.client()) {
            for (int i = 1; i <= 8; i++) {
                String name = String.format("%016x", 0xabc0L + i);
                w.fixture.sql("INSERT INTO site_uploads (id, var, file_file_name, file_content_type) VALUES (?, ?, ?, "
                        + "'image/png')", (long) i, "mascot" + i, name + ".png");
                String key = "site_uploads/files/000/000/00" + i + "/original/" + name + ".png";
                MastodonFixture.put(s3, w.sourceBucket, "", key, MastodonFixture.bytes(key, 100));
                keys.add(key);
            }
        }
        String queue = ScaleOutProcessTest.createQueue(60, 5);
        Map<String, String> env = ScaleOutProcessTest.queueEnv(w);
        env.put("QUEUE_TASKS_PER_MESSAGE", "20"); // one message holds all 8 tasks
        Process planner = ScaleOutProcessTest.launch(w, env, dir.resolve("planner.log"), "copy", "--only",
                "site_uploads", "--plan-to", queue, "--no-wait");
        assertThat(planner.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(planner.exitValue()).as(Files.readString(dir.resolve("planner.log"))).isZero();
        Map<String, String> workerEnv = new HashMap<>(env);
        workerEnv.put("QUEUE_WORKER_ID", "w1");
        workerEnv.put("COPY_REQUESTS_PER_SECOND", "2"); // the message takes about 4 s
        workerEnv.put("COPY_OBJECT_LOG_LEVEL", "INFO");
        Path workerLog = dir.resolve("worker.log");
        Process worker = ScaleOutProcessTest.launch(w, workerEnv, workerLog, "copy", "--work-from", queue);
        Await.until(Duration.ofSeconds(120), () -> ScaleOutProcessTest.objectLines(workerLog) >= 1,
                "the worker's first object");
        worker.destroy(); // SIGTERM with the message in hand
        assertThat(worker.waitFor(60, TimeUnit.SECONDS)).isTrue();
        String out = Files.readString(workerLog);
        System.out.println(out);
        assertThat(worker.exitValue()).isIn(0, 1, 143);
        assertThat(out).contains("worker w1 stopped after").contains("copied 8").contains("messages done 1");
        // deleted: neither waiting nor held (an unfinished one would stay held for its 60 s visibility timeout)
        assertThat(ScaleOutProcessTest.depth(queue) + ScaleOutProcessTest.held(queue)).isZero();
        try (S3Client s3 = servers.target.client()) {
            assertThat(CopyEndToEndTest.keys(s3, w.targetBucket)).containsExactlyInAnyOrderElementsOf(keys);
        }
    }
}
