package mastodon.s3sync;

import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

import org.apache.camel.BindToRegistry;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;

import mastodon.s3sync.copy.CopyJob;
import mastodon.s3sync.queue.BatchSender;
import mastodon.s3sync.queue.EnqueueCheckpoint;
import mastodon.s3sync.copy.FailureBudget;
import mastodon.s3sync.queue.QueuePollStrategy;
import mastodon.s3sync.queue.QueueSettings;
import mastodon.s3sync.queue.QueueWatch;
import mastodon.s3sync.queue.TaskBatches;
import mastodon.s3sync.queue.TaskCodec;
import mastodon.s3sync.queue.TargetProgress;
import mastodon.s3sync.queue.TaskOutcomes;
import mastodon.s3sync.queue.WorkerStats;
import mastodon.s3sync.store.DirectoryChecks;
import mastodon.s3sync.store.DirectorySide;
import mastodon.s3sync.store.StoreConfig;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * The beans of routes/copy-queue.camel.yaml (copy --plan-to, copy --work-from), from the {@code queue.*} properties
 * that {@link ScaleOutCommand} resolved and checked (the queue's URL, its dead-letter queue's). Lazy: the planner
 * builds the planner's, a worker the worker's.
 */
public class QueueBeans implements CamelConfiguration {

    private static Function<String, String> props(CamelContext ctx) {
        return CommandSettings.of(ctx);
    }

    private static String prop(CamelContext ctx, String key) {
        String v = props(ctx).apply(key);
        return v == null ? "" : v.strip();
    }

    @BindToRegistry(value = "copyQueueSqs", lazy = true, destroyMethod = "close")
    public SqsClient copyQueueSqs(CamelContext ctx) {
        return QueueSettings.resolve(prop(ctx, "queue.url"), props(ctx), Map.of()).sqsClient();
    }

    @BindToRegistry(value = "taskCodec", lazy = true)
    public TaskCodec taskCodec() {
        return new TaskCodec();
    }

    @BindToRegistry(value = "taskOutcomes", lazy = true)
    public TaskOutcomes taskOutcomes() {
        return new TaskOutcomes();
    }

    @BindToRegistry(value = "taskBatches", lazy = true)
    public TaskBatches taskBatches(CamelContext ctx) {
        return new TaskBatches(new TaskCodec(), Integer.parseInt(prop(ctx, "queue.tasks-per-message")));
    }

    @BindToRegistry(value = "batchSender", lazy = true)
    public BatchSender batchSender(CamelContext ctx) {
        String url = prop(ctx, "queue.url");
        return new BatchSender(ctx.getRegistry().lookupByNameAndType("copyQueueSqs", SqsClient.class), () -> url);
    }

    @BindToRegistry(value = "enqueueCheckpoint", lazy = true)
    public EnqueueCheckpoint enqueueCheckpoint(CamelContext ctx) {
        CopyJob.Parts parts = ctx.getRegistry().lookupByNameAndType("copyJob", CopyJob.class).parts();
        return new EnqueueCheckpoint(parts.outcomes(), parts.cursors());
    }

    @BindToRegistry(value = "queueWatch", lazy = true)
    public QueueWatch queueWatch(CamelContext ctx) {
        String url = prop(ctx, "queue.url");
        String dlq = prop(ctx, "queue.dead-letter-url");
        return new QueueWatch(ctx.getRegistry().lookupByNameAndType("copyQueueSqs", SqsClient.class), () -> url,
                () -> dlq);
    }

    /**
     * The planner's sample of the target while it waits (route plan-wait): 1,000 enqueued keys at most, 50 HEADs (or
     * file stats, for a directory target) per reading at most.
     */
    @BindToRegistry(value = "targetProgress", lazy = true)
    public TargetProgress targetProgress(CamelContext ctx) {
        TargetProgress.Probe probe = DirectoryChecks.isDirectory(props(ctx), "target")
                ? TargetProgress.directory(ctx.getRegistry().lookupByNameAndType("localTarget", DirectorySide.class))
                : TargetProgress.bucket(ctx.getRegistry().lookupByNameAndType("targetS3", S3Client.class),
                        StoreConfig.from("target", props(ctx)).bucket());
        return new TargetProgress(probe, 1000, 50, System.nanoTime());
    }

    /** The worker's polls of the work queue feed the failure budget: a queue down for copy.give-up-after ends it. */
    @BindToRegistry(value = "queuePollStrategy", lazy = true)
    public QueuePollStrategy queuePollStrategy(CamelContext ctx) {
        FailureBudget budget = ctx.getRegistry().lookupByNameAndType("failureBudget", FailureBudget.class);
        return new QueuePollStrategy(budget::failure, budget::success, prop(ctx, "queue.url"));
    }

    /** The worker's counts; its last line is logged when it stops. */
    @BindToRegistry(value = "workerStats", lazy = true, destroyMethod = "stop")
    public WorkerStats workerStats(CamelContext ctx) {
        return new WorkerStats(prop(ctx, "queue.worker-id"), ctx.getRegistry().lookupByNameAndType("copyJob",
                CopyJob.class));
    }

    /** The threads that copy a worker's tasks: copy.concurrency objects at once, over every message it holds. */
    @BindToRegistry(value = "copyWorkerPool", lazy = true, destroyMethod = "shutdown")
    public ExecutorService copyWorkerPool(CamelContext ctx) {
        AtomicInteger n = new AtomicInteger();
        return Executors.newFixedThreadPool(Integer.parseInt(prop(ctx, "copy.concurrency")), r -> {
            Thread t = new Thread(r, "copy-worker-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }
}
