package mastodon.s3sync.copy;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.apache.camel.builder.NotifyBuilder;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import mastodon.s3sync.InProcessRunner;
import mastodon.s3sync.testing.Await;
import mastodon.s3sync.testing.FaultProxy;
import mastodon.s3sync.testing.LogCapture;
import mastodon.s3sync.testing.SqsExtension;
import mastodon.s3sync.testing.SqsServer;

/**
 * The work queue goes away (its endpoint refuses every connection) while the planner enqueues or while a worker
 * polls: each ends after copy.give-up-after with exit 1 and a message naming the queue's endpoint, instead of retrying
 * every batch (the planner) or polling (a worker) for as long as it runs. The planner keeps its checkpoint: rerun
 * once the queue answers, it enqueues what was not sent, nothing twice beyond one SendMessageBatch.
 */
@Timeout(180)
@CopyServers
@ExtendWith(SqsExtension.class)
class ScaleOutOutageTest {

    /** Without the budget: 5 retries a batch from 1 s (31 s a batch), for each of the batches left. */
    private static final long BOUND_MS = 30_000;

    static CopyEnvironment servers;

    @BeforeAll
    static void start(CopyEnvironment shared, SqsServer queues) {
        servers = shared;
        ScaleOutProcessTest.sqs = queues;
    }

    private static Map<String, String> outageEnv(CopyEnvironment.World w, FaultProxy proxy) {
        Map<String, String> env = ScaleOutProcessTest.queueEnv(w);
        env.put("AWS_ENDPOINT_URL_SQS", proxy.endpoint());
        env.put("COPY_GIVE_UP_AFTER", "3000");
        env.put("COPY_RETRIES", "5");
        env.put("COPY_RETRY_DELAY", "1000");
        return env;
    }

    @Test
    void aQueueThatStaysDownEndsThePlannerWhichResumesFromItsCheckpoint(@TempDir Path dir) throws Exception {
        CopyEnvironment.World w = servers.fresh(dir);
        List<String> expected = new ArrayList<>();
        w.fixture.generateRows(60, 100, 11, tasks -> tasks.stream().filter(t -> t.table().equals("media_attachments"))
                .forEach(t -> expected.add(t.key())));
        String queue = ScaleOutProcessTest.createQueue(30);
        try (FaultProxy proxy = new FaultProxy(ScaleOutProcessTest.sqs.port(), 1)) {
            // each request to the queue takes 300 ms: the planner is still enqueueing when the queue goes away
            proxy.latencyMillis = 300;
            proxy.rate(FaultProxy.Fault.LATENCY, 1.0);
            w.env.putAll(outageEnv(w, proxy));
            w.env.put("QUEUE_TASKS_PER_MESSAGE", "2");
            w.env.put("COPY_PAGE_SIZE", "5");
            CompletableFuture<InProcessRunner.Result> run = CompletableFuture.supplyAsync(() -> w.run("copy",
                    "--only", "media_attachments", "--plan-to", queue, "--no-wait"));
            // a page of 5 rows is 10 tasks, 5 messages, one SendMessageBatch (asked of the server, not the proxy):
            // two batches accepted, so the first one's answer surely reached the planner
            Await.until(Duration.ofSeconds(60), () -> ScaleOutProcessTest.depth(queue) >= 10,
                    "two batches enqueued");
            proxy.down(FaultProxy.Down.REFUSE);
            long t0 = System.currentTimeMillis();
            InProcessRunner.Result r = run.get(BOUND_MS + 60_000, TimeUnit.MILLISECONDS);
            long took = System.currentTimeMillis() - t0;
            assertThat(r.code()).isEqualTo(1);
            assertThat(took).as("ended in bounded time").isLessThan(BOUND_MS);
            assertThat(r.out()).contains("Stopped before the end: the work queue (")
                    .contains("endpoint " + proxy.endpoint() + ") has failed every request for")
                    .contains("rerun the same command to resume");
            List<String> sentFirst = ScaleOutProcessTest.drain(queue, false);
            assertThat(sentFirst).as("some, not all, enqueued").isNotEmpty().hasSizeLessThan(expected.size());

            // the queue answers again: the rerun continues from the checkpoint
            proxy.up();
            proxy.clearFaults();
            InProcessRunner.Result again = w.run("copy", "--only", "media_attachments", "--plan-to", queue,
                    "--no-wait");
            assertThat(again.code()).isZero();
            List<String> all = ScaleOutProcessTest.drain(queue, true);
            assertThat(new TreeSet<>(all)).as("every task enqueued").containsExactlyInAnyOrderElementsOf(
                    new TreeSet<>(expected));
            assertThat(all.size() - sentFirst.size()).as("the rerun sent only what the first planner had not recorded")
                    .isLessThan(expected.size());
            int twice = all.size() - expected.size();
            // at most one SendMessageBatch (20 tasks) and the tasks of the one row it may have cut (2 here)
            assertThat(twice).as("tasks enqueued twice").isBetween(0, 20 + 2);
            System.out.println("planner outage: ended " + took + " ms after the queue went away; enqueued "
                    + all.size() + " tasks for " + expected.size() + " objects, " + twice + " twice");
        }
    }

    @Test
    void aQueueThatStaysDownEndsTheWorker(@TempDir Path dir) throws Exception {
        CopyEnvironment.World w = servers.fresh(dir);
        String queue = ScaleOutProcessTest.createQueue(30);
        try (FaultProxy proxy = new FaultProxy(ScaleOutProcessTest.sqs.port(), 2)) {
            w.env.putAll(outageEnv(w, proxy));
            w.env.put("QUEUE_WORKER_ID", "w1");
            InProcessRunner.Running worker = new InProcessRunner(w.env, w.workDir).start("copy", "--work-from",
                    queue);
            worker.context(Duration.ofSeconds(60));
            // polling: at least two receives answered (long polls of 1 s)
            Await.until(Duration.ofSeconds(60), () -> proxy.seen().stream()
                    .filter(s -> s.status() == 200).count() >= 4, "the worker polls the queue");
            proxy.down(FaultProxy.Down.REFUSE);
            long t0 = System.currentTimeMillis();
            InProcessRunner.Result r = worker.await(Duration.ofMillis(BOUND_MS));
            long took = System.currentTimeMillis() - t0;
            assertThat(r.code()).isEqualTo(1);
            assertThat(r.all()).contains("the work queue (")
                    .contains("endpoint " + proxy.endpoint() + ") has failed every request for");
            System.out.println("worker outage: ended " + took + " ms after the queue went away");
        }
    }

    @Test
    void aQueueThatStaysDownWhileThePlannerWaitsEndsItWithTheReason(@TempDir Path dir) throws Exception {
        CopyEnvironment.World w = servers.fresh(dir);
        w.fixture.generateRows(5, 100, 11, tasks -> { });
        String queue = ScaleOutProcessTest.createQueue(30);
        try (FaultProxy proxy = new FaultProxy(ScaleOutProcessTest.sqs.port(), 3);
             LogCapture log = new LogCapture("mastodon.s3sync.copy")) {
            w.env.putAll(outageEnv(w, proxy));
            // no worker: the planner enqueues, then waits
            InProcessRunner.Running planner = new InProcessRunner(w.env, w.workDir).start("copy", "--only",
                    "media_attachments", "--plan-to", queue);
            NotifyBuilder waiting = new NotifyBuilder(planner.context(Duration.ofSeconds(60))).fromRoute("plan-wait")
                    .whenDone(2).create();
            assertThat(waiting.matches(60, TimeUnit.SECONDS)).as("the planner waits").isTrue();
            proxy.down(FaultProxy.Down.REFUSE);
            long t0 = System.currentTimeMillis();
            InProcessRunner.Result r = planner.await(Duration.ofMillis(BOUND_MS));
            long took = System.currentTimeMillis() - t0;
            assertThat(r.code()).isEqualTo(1);
            assertThat(r.all()).doesNotContain("verifying");
            assertThat(log.text()).contains("Stopping: the work queue (")
                    .contains("endpoint " + proxy.endpoint() + ") has failed every request for");
            System.out.println("waiting planner outage: ended " + took + " ms after the queue went away");
        }
    }
}
