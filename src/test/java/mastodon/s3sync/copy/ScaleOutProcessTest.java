package mastodon.s3sync.copy;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import mastodon.s3sync.testing.Await;
import mastodon.s3sync.testing.ChildJvm;
import mastodon.s3sync.testing.MastodonFixture;
import mastodon.s3sync.testing.SqsServer;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * copy --plan-to and copy --work-from as separate processes, against ElasticMQ, two s3proxy endpoints and PostgreSQL:
 * one planner and three workers, one worker SIGKILLed while it copies.
 */
@Timeout(240)
@CopyServers
@org.junit.jupiter.api.extension.ExtendWith(mastodon.s3sync.testing.SqsExtension.class)
class ScaleOutProcessTest {

    static CopyEnvironment servers;
    static SqsServer sqs;
    static int queues;

    @BeforeAll
    static void start(CopyEnvironment shared, SqsServer queues) {
        servers = shared;
        sqs = queues;
    }

    static SqsClient sqsClient() {
        return SqsClient.builder().endpointOverride(java.net.URI.create(sqs.endpoint())).region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("x", "x"))).build();
    }

    /** A work queue with its dead-letter queue (RedrivePolicy, maxReceiveCount 5); returns its name. */
    static String createQueue(int visibilitySeconds) {
        return createQueue(visibilitySeconds, 5);
    }

    static String createQueue(int visibilitySeconds, int maxReceiveCount) {
        String name = "work-" + (++queues) + "-" + System.nanoTime() % 100000;
        try (SqsClient c = sqsClient()) {
            SqsServer.workQueue(c, name, maxReceiveCount,
                    Map.of(QueueAttributeName.VISIBILITY_TIMEOUT, Integer.toString(visibilitySeconds)));
        }
        return name;
    }

    static Map<String, String> queueEnv(CopyEnvironment.World w) {
        Map<String, String> env = new HashMap<>(w.env);
        env.put("AWS_ENDPOINT_URL_SQS", sqs.endpoint());
        env.put("QUEUE_VISIBILITY_TIMEOUT", "4");
        env.put("QUEUE_WAIT_TIME_SECONDS", "1");
        env.put("QUEUE_PROGRESS_INTERVAL", "500");
        env.put("QUEUE_TASKS_PER_MESSAGE", "10");
        env.put("COPY_PAGE_SIZE", "20");
        return env;
    }

    static Process launch(CopyEnvironment.World w, Map<String, String> env, Path log, String... args)
            throws Exception {
        return ChildJvm.start(w.workDir, env, log, "-Xmx192m", args);
    }

    /** The index of the first worker whose log shows at least 5 objects copied, or -1. */
    private static int firstCopying(List<Path> logs) throws Exception {
        for (int i = 0; i < logs.size(); i++) {
            if (objectLines(logs.get(i)) >= 5) {
                return i;
            }
        }
        return -1;
    }

    static long objectLines(Path log) throws Exception {
        return Files.exists(log) ? Files.readAllLines(log).stream().filter(l -> l.contains(" copy ")
                && l.contains(" id ")).count() : 0;
    }

    @Test
    void onePlannerThreeWorkersOneKilledTheTargetEndsCompleteAndIdentical(@TempDir Path dir) throws Exception {
        CopyEnvironment.World w = servers.fresh(dir);
        List<MastodonFixture.SourceObject> objects;
        try (S3Client s3 = servers.source.client()) {
            objects = w.fixture.generate(12, s3, w.sourceBucket, "", 512, 7);
        }
        String queue = createQueue(4);
        Map<String, String> env = queueEnv(w);
        Map<String, String> workerEnv = new HashMap<>(env);
        // slow enough that the kill lands in the middle: 15 objects a second per worker, one line per object
        workerEnv.put("COPY_REQUESTS_PER_SECOND", "15");
        workerEnv.put("COPY_OBJECT_LOG_LEVEL", "INFO");
        List<Process> workers = new ArrayList<>();
        List<Path> logs = new ArrayList<>();
        int killed = -1;
        Path plannerLog = dir.resolve("planner.log");
        Process planner = launch(w, env, plannerLog, "copy", "--plan-to", queue);
        for (int i = 1; i <= 3; i++) {
            Map<String, String> e = new HashMap<>(workerEnv);
            e.put("QUEUE_WORKER_ID", "w" + i);
            Path log = dir.resolve("worker-" + i + ".log");
            logs.add(log);
            workers.add(launch(w, e, log, "copy", "--work-from", queue));
        }
        try {
            // a worker seen copying is the one killed: which one gets messages first is the queue's choice (a
            // worker that starts last can find the others took everything)
            Await.until(Duration.ofSeconds(120), () -> firstCopying(logs) >= 0,
                    "a worker to copy 5 objects before one is killed");
            killed = firstCopying(logs);
            workers.get(killed).destroyForcibly().waitFor(30, TimeUnit.SECONDS);
            boolean ended = planner.waitFor(150, TimeUnit.SECONDS);
            String out = Files.readString(plannerLog);
            System.out.println("---- planner\n" + out);
            assertThat(ended).as("the planner ends once the queue is drained").isTrue();
            assertThat(planner.exitValue()).as("drained and verified").isZero();
            assertThat(out).contains("work queue drained").contains("ok");
            // while waiting, each line has the target's side too: every enqueued key is sampled (under 1,000)
            assertThat(out.lines().filter(l -> l.contains("work queue: ") && l.contains(" | target: at least ")
                    && l.contains(" of " + objects.size() + " objects enqueued by this run present")))
                    .as("progress lines with the target's count").isNotEmpty();
        } finally {
            for (int i = 0; i < workers.size(); i++) {
                if (i != killed) {
                    workers.get(i).destroy(); // SIGTERM: a clean stop
                }
            }
            for (int i = 0; i < workers.size(); i++) {
                workers.get(i).waitFor(60, TimeUnit.SECONDS);
                System.out.println("---- worker " + (i + 1) + "\n" + Files.readString(logs.get(i)));
            }
            planner.destroyForcibly();
        }
        for (int i = 0; i < workers.size(); i++) {
            if (i == killed) {
                continue;
            }
            assertThat(workers.get(i).exitValue()).isIn(0, 143);
            String log = Files.readString(logs.get(i));
            assertThat(log).contains("worker w" + (i + 1) + " stopped after");
        }
        Set<String> expected = new TreeSet<>();
        objects.forEach(o -> expected.add(o.key()));
        try (S3Client s3 = servers.target.client()) {
            assertThat(CopyEndToEndTest.keys(s3, w.targetBucket)).as("complete, nothing extra")
                    .containsExactlyElementsOf(expected);
            for (MastodonFixture.SourceObject o : objects) {
                assertThat(s3.getObjectAsBytes(b -> b.bucket(w.targetBucket).key(o.key())).asByteArray())
                        .as(o.key()).isEqualTo(o.bytes());
            }
        }
        System.out.println("objects: " + objects.size());
    }

    @Test
    void aPlannerKilledMidPlanAndRestartedEnqueuesNothingTwiceBeyondTheLastUnsavedBatch(@TempDir Path dir)
            throws Exception {
        CopyEnvironment.World w = servers.fresh(dir);
        List<String> expected = new ArrayList<>();
        w.fixture.generateRows(60, 100, 11, tasks -> tasks.stream().filter(t -> t.table().equals("media_attachments"))
                .forEach(t -> expected.add(t.key())));
        String queue = createQueue(30);
        Map<String, String> env = queueEnv(w);
        // 2 tasks per message, 10 messages per SendMessageBatch: a batch is 20 tasks; pages of 5 rows
        env.put("QUEUE_TASKS_PER_MESSAGE", "2");
        env.put("COPY_PAGE_SIZE", "5");
        Path checkpoint = w.workDir.resolve("state/plan-media_attachments.checkpoint");
        Process first = launch(w, env, dir.resolve("first.log"), "copy", "--only", "media_attachments",
                "--plan-to", queue, "--no-wait");
        // killed once messages are in the queue and a checkpoint was written
        Await.until(Duration.ofSeconds(120), () -> !first.isAlive() || depth(queue) > 0
                && Files.exists(checkpoint) && !Files.readAllLines(checkpoint).isEmpty()
                && !Files.readAllLines(checkpoint).get(0).equals("0"), "messages in the queue and a checkpoint");
        first.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        System.out.println("---- first planner\n" + Files.readString(dir.resolve("first.log")));
        List<String> sentFirst = drain(queue, false);
        assertThat(sentFirst).as("killed mid-plan: some, not all, enqueued").isNotEmpty()
                .hasSizeLessThan(expected.size());

        Process second = launch(w, env, dir.resolve("second.log"), "copy", "--only", "media_attachments",
                "--plan-to", queue, "--no-wait");
        assertThat(second.waitFor(120, TimeUnit.SECONDS)).isTrue();
        String out = Files.readString(dir.resolve("second.log"));
        System.out.println("---- second planner\n" + out);
        assertThat(second.exitValue()).isZero();
        assertThat(out).contains("starting after id");

        List<String> all = drain(queue, true);
        assertThat(new TreeSet<>(all)).as("every task enqueued").containsExactlyInAnyOrderElementsOf(
                new TreeSet<>(expected));
        int twice = all.size() - expected.size();
        // at most the batch whose send the first planner did not live to record (20 tasks), and the tasks of the one
        // row that batch may have cut (a media row has at most 2 objects here)
        assertThat(twice).as("tasks enqueued twice").isBetween(0, 20 + 2);
        System.out.println("enqueued " + all.size() + " tasks for " + expected.size() + " objects, " + twice
                + " twice; the first planner sent " + sentFirst.size());
    }

    /** Messages received and neither deleted nor visible again yet. */
    static long held(String queue) {
        try (SqsClient c = sqsClient()) {
            String url = c.getQueueUrl(r -> r.queueName(queue)).queueUrl();
            return Long.parseLong(c.getQueueAttributes(r -> r.queueUrl(url).attributeNames(
                    QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE)).attributes()
                    .get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE));
        }
    }

    static long depth(String queue) {
        try (SqsClient c = sqsClient()) {
            String url = c.getQueueUrl(r -> r.queueName(queue)).queueUrl();
            return Long.parseLong(c.getQueueAttributes(r -> r.queueUrl(url).attributeNames(
                    QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES)).attributes()
                    .get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES));
        }
    }

    /** The keys of every task in the queue; each message is received (and made visible again unless delete). */
    static List<String> drain(String queue, boolean delete) {
        List<String> keys = new ArrayList<>();
        mastodon.s3sync.queue.TaskCodec codec = new mastodon.s3sync.queue.TaskCodec();
        try (SqsClient c = sqsClient()) {
            String url = c.getQueueUrl(r -> r.queueName(queue)).queueUrl();
            List<String> receipts = new ArrayList<>();
            while (true) {
                var got = c.receiveMessage(r -> r.queueUrl(url).maxNumberOfMessages(10).waitTimeSeconds(1)
                        .visibilityTimeout(60)).messages();
                if (got.isEmpty()) {
                    break;
                }
                for (var m : got) {
                    codec.decode(m.body()).forEach(t -> keys.add(t.key()));
                    receipts.add(m.receiptHandle());
                }
            }
            for (String r : receipts) {
                if (delete) {
                    c.deleteMessage(b -> b.queueUrl(url).receiptHandle(r));
                } else {
                    c.changeMessageVisibility(b -> b.queueUrl(url).receiptHandle(r).visibilityTimeout(0));
                }
            }
        }
        return keys;
    }
}
