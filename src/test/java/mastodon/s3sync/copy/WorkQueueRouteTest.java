package mastodon.s3sync.copy;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import org.apache.camel.Exchange;
import org.apache.camel.builder.NotifyBuilder;
import org.apache.camel.spi.Registry;
import org.apache.camel.support.ScheduledPollConsumer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import mastodon.s3sync.queue.QueuePollStrategy;
import mastodon.s3sync.queue.TaskCodec;
import mastodon.s3sync.queue.TaskOutcomes;
import mastodon.s3sync.queue.WorkerStats;
import mastodon.s3sync.testing.Await;
import mastodon.s3sync.testing.FaultProxy;
import mastodon.s3sync.testing.LogCapture;
import mastodon.s3sync.testing.SqsExtension;
import mastodon.s3sync.testing.SqsServer;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * The worker's route of copy-queue.camel.yaml (work-queue, with copy-queue-errors.camel.yaml's work-errors) over
 * copy.camel.yaml's per-object routes, in Camel Main, against the kit's ElasticMQ and two s3proxy stores (each behind
 * a FaultProxy): a message whose tasks are all done is deleted; one with a failed task, or one that is not a batch of
 * tasks, stays in the queue.
 */
@ExtendWith(SqsExtension.class)
class WorkQueueRouteTest extends CopyRouteTestSupport {

    static SqsServer sqs;

    String queue;
    String queueUrl;
    SqsClient client;
    final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    ExecutorService pool;

    @BeforeAll
    static void queues(SqsServer server) {
        sqs = server;
    }

    @Override
    boolean checkHeaders() {
        return false;
    }

    @Override
    void jobOptions(Map<String, String> options) {
        options.put("copy.mode", "work");
    }

    @Override
    String routeFiles() {
        return super.routeFiles() + ",file:routes/copy-queue-errors.camel.yaml,file:routes/copy-queue.camel.yaml";
    }

    @Override
    String routesUnderTest() {
        return super.routesUnderTest() + ",work-queue";
    }

    @Override
    protected Properties useOverridePropertiesWithPropertiesComponent() {
        Properties p = super.useOverridePropertiesWithPropertiesComponent();
        if (queue == null) {
            queue = "work-routes-" + BUCKETS.get() + "-" + System.nanoTime() % 100000;
            client = sqs.client();
            queueUrl = SqsServer.workQueue(client, queue, 3, Map.of());
        }
        p.put("queue.name", queue);
        p.put("queue.url", queueUrl);
        p.put("queue.wait-time-seconds", "1");
        p.put("queue.consumers", "1");
        p.put("queue.visibility-timeout", "30");
        p.put("queue.worker-id", "w1");
        p.put("queue.progress-interval", "60000");
        p.put("queue.tasks-per-message", "10");
        p.put("copy.progress-interval", "60000");
        p.put("camel.metrics.enabled", "false");
        p.put("copy.no-wait", "false");
        return p;
    }

    @Override
    protected void bindToRegistry(Registry registry) {
        super.bindToRegistry(registry);
        pool = Executors.newFixedThreadPool(2);
        registry.bind("copyQueueSqs", client);
        registry.bind("taskCodec", new TaskCodec());
        registry.bind("taskOutcomes", new TaskOutcomes());
        registry.bind("workerStats", new WorkerStats("w1", job));
        registry.bind("copyWorkerPool", pool);
        registry.bind("queuePollStrategy", new QueuePollStrategy(budget::failure, budget::success, queueUrl));
        registry.bind("metricsRegistry", meters);
    }

    @Override
    protected void doPostTearDown() throws Exception {
        super.doPostTearDown();
        pool.shutdownNow();
        client.close();
    }

    /** NotifyBuilder counts a split's parts too: whole messages only. */
    private static boolean whole(Exchange e) {
        return e.getProperty(Exchange.SPLIT_INDEX) == null;
    }

    private void send(String body) {
        client.sendMessage(r -> r.queueUrl(queueUrl).messageBody(body));
    }

    /** Messages in the queue, waiting or held. */
    private long inQueue() {
        var a = client.getQueueAttributes(r -> r.queueUrl(queueUrl).attributeNames(
                QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES,
                QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE)).attributes();
        return Long.parseLong(a.get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES))
                + Long.parseLong(a.get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE));
    }

    private double messages(String outcome) {
        Counter c = meters.find("mastodon.work.messages").tag("outcome", outcome).counter();
        return c == null ? 0 : c.count();
    }

    @Test
    void theQueueIsReadRightAfterTheStart() {
        // not after the poll consumer's default second (initialDelay)
        assertThat(((ScheduledPollConsumer) context.getRoute("work-queue").getConsumer()).getInitialDelay()).isZero();
    }

    @Test
    void aMessageWhoseTasksAreAllDoneIsDeleted() throws Exception {
        CopyTask a = task(1, null, null);
        CopyTask b = task(2, null, null);
        byte[] bytesA = putSource(a, 300, "image/png");
        byte[] bytesB = putSource(b, 400, "image/png");
        NotifyBuilder done = new NotifyBuilder(context).fromRoute("work-queue").filter(WorkQueueRouteTest::whole)
                .whenCompleted(1).create();
        send(new TaskCodec().encode(List.of(a, b)));
        assertThat(done.matches(30, TimeUnit.SECONDS)).isTrue();
        assertThat(targetBytes(a)).isEqualTo(bytesA);
        assertThat(targetBytes(b)).isEqualTo(bytesB);
        Await.until(Duration.ofSeconds(10), () -> inQueue() == 0, "the message deleted");
        assertThat(messages("done")).isEqualTo(1);
        assertThat(messages("returned")).isZero();
    }

    @Test
    void aMessageWithAFailedTaskStaysInTheQueue() throws Exception {
        CopyTask a = task(1, null, null);
        CopyTask b = task(2, null, null);
        byte[] bytesA = putSource(a, 300, "image/png");
        putSource(b, 400, "image/png");
        // the target refuses b's object for good (copy.retries 1)
        targetProxy.only(r -> r.key().equals(b.targetKey())).rate(FaultProxy.Fault.INTERNAL_ERROR, 1.0);
        NotifyBuilder failed = new NotifyBuilder(context).fromRoute("work-queue").filter(WorkQueueRouteTest::whole)
                .whenFailed(1).create();
        try (LogCapture log = new LogCapture("mastodon.s3sync.queue")) {
            send(new TaskCodec().encode(List.of(a, b)));
            assertThat(failed.matches(30, TimeUnit.SECONDS)).isTrue();
            assertThat(log.text()).contains("stays in the work queue").contains("1 task(s) failed, the first: "
                    + b.targetKey());
        }
        assertThat(targetBytes(a)).as("the other task is done").isEqualTo(bytesA);
        // not deleted: held until its visibility timeout (30 s), then given again
        Thread.sleep(500);
        assertThat(inQueue()).isEqualTo(1);
        assertThat(messages("returned")).isEqualTo(1);
        assertThat(messages("done")).isZero();
    }

    @Test
    void aMessageThatIsNotABatchOfTasksStaysInTheQueue() throws Exception {
        NotifyBuilder failed = new NotifyBuilder(context).fromRoute("work-queue").filter(WorkQueueRouteTest::whole)
                .whenFailed(1).create();
        try (LogCapture log = new LogCapture("mastodon.s3sync.queue")) {
            send("{\"not\": \"tasks\"}");
            assertThat(failed.matches(30, TimeUnit.SECONDS)).isTrue();
            assertThat(log.text()).contains("stays in the work queue");
        }
        Thread.sleep(500);
        assertThat(inQueue()).as("left for the dead-letter queue").isEqualTo(1);
        assertThat(messages("returned")).isEqualTo(1);
    }
}
