package mastodon.s3sync.queue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.camel.main.MainConfigurationProperties;
import org.apache.camel.spi.Registry;
import org.apache.camel.test.main.junit5.CamelMainTestSupport;
import org.apache.camel.util.FileUtil;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import mastodon.s3sync.JobControl;
import mastodon.s3sync.copy.AbandonedUploads;
import mastodon.s3sync.copy.CheckpointStore;
import mastodon.s3sync.copy.CopyJob;
import mastodon.s3sync.copy.CopyOptions;
import mastodon.s3sync.copy.CopyTask;
import mastodon.s3sync.copy.FailureBudget;
import mastodon.s3sync.copy.MastodonKeys;
import mastodon.s3sync.ops.TerminalProgress;
import mastodon.s3sync.store.DirectorySide;
import mastodon.s3sync.testing.SqsExtension;
import mastodon.s3sync.testing.SqsServer;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * The planner's routes of copy-queue.camel.yaml (enqueue-page, send-batch, plan-finish, plan-wait) with
 * copy-queue-errors.camel.yaml, on their own in Camel Main, against the kit's ElasticMQ and a directory target (the
 * target kind the planner probes with a stat): a work queue, a job of table accounts in mode plan and a state
 * directory of its own per test. Rows are planned by the job's own page planner; the test then hands the page to
 * direct:enqueue-page as copy.camel.yaml's page routes do.
 */
@Timeout(60)
@ExtendWith(SqsExtension.class)
abstract class PlanQueueRouteTestSupport extends CamelMainTestSupport {

    static SqsServer sqs;
    static final AtomicInteger QUEUES = new AtomicInteger();

    String queue;
    String queueUrl;
    Path state;
    Path targetRoot;
    CopyJob job;
    FailureBudget budget;
    SqsClient client;
    final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    final AtomicInteger stops = new AtomicInteger();
    JobControl control;

    @BeforeAll
    static void server(SqsServer server) {
        sqs = server;
    }

    /** copy.no-wait of this class. */
    abstract boolean noWait();

    @Override
    protected void configure(MainConfigurationProperties configuration) {
        configuration.setRoutesIncludePattern("file:routes/copy-queue-errors.camel.yaml,file:routes/copy-queue.camel.yaml");
        configuration.setRouteFilterIncludePattern("enqueue-page,send-batch,plan-finish,plan-wait");
    }

    @Override
    protected Properties useOverridePropertiesWithPropertiesComponent() {
        if (queue == null) {
            queue = "plan-routes-" + QUEUES.incrementAndGet() + "-" + System.nanoTime() % 100000;
            client = sqs.client();
            queueUrl = SqsServer.workQueue(client, queue, 3, Map.of());
        }
        Properties p = new Properties();
        p.put("queue.name", queue);
        p.put("queue.url", queueUrl);
        p.put("queue.progress-interval", "100");
        p.put("queue.tasks-per-message", "2");
        p.put("queue.wait-time-seconds", "1");
        p.put("queue.consumers", "1");
        p.put("queue.visibility-timeout", "30");
        p.put("queue.worker-id", "w");
        p.put("copy.no-wait", Boolean.toString(noWait()));
        p.put("copy.retries", "2");
        p.put("copy.retry-delay", "10");
        p.put("copy.progress-interval", "60000");
        p.put("camel.metrics.enabled", "false");
        p.put("copy.concurrency", "2");
        p.put("management.enabled", "false");
        p.put("camel.main.routes-reload-enabled", "false");
        return p;
    }

    @Override
    protected void bindToRegistry(Registry registry) throws Exception {
        state = Files.createTempDirectory("plan-route-state");
        targetRoot = Files.createTempDirectory("plan-route-target");
        Map<String, String> o = new HashMap<>();
        o.put("copy.mode", "plan");
        o.put("copy.state-dir", state.toString());
        o.put("copy.only", "accounts");
        CopyOptions options = CopyOptions.from(o::get);
        budget = new FailureBudget(Duration.ofSeconds(1), Map.of("queue", "the work queue (" + queueUrl + ")"));
        job = new CopyJob(options, new MastodonKeys(), null, null, budget);
        control = new JobControl(stops::incrementAndGet);
        registry.bind("copyJob", job);
        registry.bind("failureBudget", budget);
        registry.bind("recordFailure", (org.apache.camel.Processor) e -> budget.failure(
                e.getProperty("party", String.class), String.valueOf(e.getProperty(
                        org.apache.camel.Exchange.EXCEPTION_CAUGHT))));
        registry.bind("jobControl", control);
        registry.bind("terminalProgress", new TerminalProgress("plan"));
        registry.bind("taskBatches", new TaskBatches(new TaskCodec(), 2));
        registry.bind("batchSender", new BatchSender(client, () -> queueUrl));
        registry.bind("enqueueCheckpoint", new EnqueueCheckpoint(job.parts().outcomes(), job.parts().cursors()));
        registry.bind("queueWatch", new QueueWatch(client, () -> queueUrl, () -> ""));
        registry.bind("targetProgress", new TargetProgress(
                TargetProgress.directory(new DirectorySide("target", targetRoot.toString())), 1000, 50, 1));
        registry.bind("abandonedUploads", new AbandonedUploads(null, "", options));
        registry.bind("metricsRegistry", meters);
    }

    @Override
    protected void doPostTearDown() {
        client.close();
        FileUtil.removeDir(state.toFile());
        FileUtil.removeDir(targetRoot.toFile());
    }

    /** Rows 1..n of accounts, one avatar each, planned as a page is (the table's pass started after row 0). */
    List<CopyTask> page(int n) {
        job.parts().cursors().start("accounts", 0, n, false);
        List<Map<String, Object>> rows = new ArrayList<>();
        for (long id = 1; id <= n; id++) {
            Map<String, Object> row = new HashMap<>();
            row.put("id", id);
            row.put("avatar_file_name", "a" + id + ".png");
            row.put("avatar_content_type", "image/png");
            rows.add(row);
        }
        return job.parts().planner().plan("accounts", 100, rows).stream().map(t -> t.listed(100L, CopyTask.ABSENT))
                .toList();
    }

    /** The last row id of state/plan-accounts.checkpoint (none before a batch is recorded). */
    OptionalLong checkpoint() throws IOException {
        Path f = new CheckpointStore(job.options().stateDir(), job.options().mode(), job.options().identity())
                .file("accounts");
        if (!Files.exists(f)) {
            return OptionalLong.empty();
        }
        return OptionalLong.of(Long.parseLong(Files.readAllLines(f).get(0).strip()));
    }

    /** The tasks in the queue, each message received and deleted. */
    List<String> drain() {
        List<String> keys = new ArrayList<>();
        TaskCodec codec = new TaskCodec();
        while (true) {
            var messages = client.receiveMessage(r -> r.queueUrl(queueUrl).maxNumberOfMessages(10).waitTimeSeconds(0))
                    .messages();
            if (messages.isEmpty()) {
                return keys;
            }
            for (var m : messages) {
                codec.decode(m.body()).forEach(t -> keys.add(t.targetKey()));
                client.deleteMessage(r -> r.queueUrl(queueUrl).receiptHandle(m.receiptHandle()));
            }
        }
    }

    void putTarget(CopyTask t) throws IOException {
        Path f = targetRoot.resolve(t.targetKey());
        Files.createDirectories(f.getParent());
        Files.writeString(f, "x".repeat(100), StandardCharsets.US_ASCII);
    }

    double enqueuedCounter() {
        Counter c = meters.find("mastodon.plan.enqueued").counter();
        return c == null ? 0 : c.count();
    }

}
