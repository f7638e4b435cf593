package mastodon.s3sync;

import java.io.PrintStream;
import java.time.Duration;
import java.util.Map;
import java.sql.SQLException;
import java.util.function.Function;

import javax.sql.DataSource;

import org.apache.camel.BindToRegistry;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.component.micrometer.MicrometerTimerAction;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.slf4j.LoggerFactory;

import mastodon.s3sync.copy.AbandonedUploads;
import mastodon.s3sync.copy.CopyJob;
import mastodon.s3sync.copy.CopyOutcomes;
import mastodon.s3sync.copy.CopyProgress;
import mastodon.s3sync.copy.PageCursors;
import mastodon.s3sync.copy.PagePlanner;
import mastodon.s3sync.copy.VerifyJudge;
import mastodon.s3sync.copy.CopyTask;
import mastodon.s3sync.copy.DirectoryListing;
import mastodon.s3sync.copy.ObjectSizes;
import mastodon.s3sync.copy.CopyOptions;
import mastodon.s3sync.copy.FailureBudget;
import mastodon.s3sync.copy.MastodonKeys;
import mastodon.s3sync.copy.MastodonSchema;
import mastodon.s3sync.copy.ObjectRepair;
import mastodon.s3sync.copy.PartedCopy;
import mastodon.s3sync.copy.RetryPolicy;
import mastodon.s3sync.copy.StoreListing;
import mastodon.s3sync.ops.TerminalProgress;
import mastodon.s3sync.store.DirectoryChecks;
import mastodon.s3sync.store.DirectorySide;
import mastodon.s3sync.store.PartedUpload;
import mastodon.s3sync.store.StoreConfig;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The copy job's beans (copy, verify, run): its state, its failure budget, the sweep of unfinished uploads. Registered
 * only with the copy routes: Camel calls a lazy bean's destroy method at stop even when nothing used it, and building
 * the copy job reads the database's schema.
 */
public class CopyBeans implements CamelConfiguration {

    private static Function<String, String> props(CamelContext ctx) {
        return Beans.props(ctx);
    }

    /**
     * Saves the checkpoints once more when Camel stops (after in-flight copies completed); a run or an interrupted
     * copy also prints its summary and writes its report then.
     */
    @BindToRegistry(value = "copyJob", lazy = true, destroyMethod = "shutdown")
    public CopyJob copyJob(CamelContext ctx) {
        Function<String, String> p = props(ctx);
        CopyOptions options = CopyOptions.from(p);
        // a worker of copy --work-from reads no database: its tasks come from the work queue
        CopyJob job = new CopyJob(options.mode().equals("work") ? options : options.presentIn(mastodonSchema(ctx)),
                new MastodonKeys(), listing(ctx, "target"), listing(ctx, "source"),
                ctx.getRegistry().lookupByNameAndType("failureBudget", FailureBudget.class));
        // the summary goes where the command's output goes; a dry run's output is its keys, so its summary goes to
        // stderr (copy --dry-run > keys.txt)
        PrintStream stdout = ctx.getRegistry().lookupByNameAndType(job.options().dryRun() ? "stderr" : "stdout",
                PrintStream.class);
        if (stdout != null) {
            job.setOut(stdout);
        }
        return job;
    }

    /**
     * The copy job's parts, each under the name the routes call it by, built with the job at their first use:
     * pageCursors (paging cursors, checkpoints), pagePlanner (a page of rows into tasks, the listings), copyOutcomes
     * (what each object became), verifyJudge (verify's verdicts), copyProgress (progress lines and bar).
     */
    @Override
    public void configure(CamelContext ctx) {
        part(ctx, "pageCursors", PageCursors.class, CopyJob.Parts::cursors);
        part(ctx, "pagePlanner", PagePlanner.class, CopyJob.Parts::planner);
        part(ctx, "copyOutcomes", CopyOutcomes.class, CopyJob.Parts::outcomes);
        part(ctx, "verifyJudge", VerifyJudge.class, CopyJob.Parts::verifyJudge);
        part(ctx, "copyProgress", CopyProgress.class, CopyJob.Parts::progress);
        // the per-object timer's action (micrometer:timer:…?action=start|stop), converted at every object
        EnumNames.register(ctx, MicrometerTimerAction.class);
    }

    private static <T> void part(CamelContext ctx, String name, Class<T> type, Function<CopyJob.Parts, T> part) {
        ctx.getRegistry().bind(name, type, () -> part.apply(job(ctx).parts()));
    }

    private static CopyJob job(CamelContext ctx) {
        return ctx.getRegistry().lookupByNameAndType("copyJob", CopyJob.class);
    }

    /** The live progress bar on a terminal (route copy-progress-bar); closed before the summary prints. */
    @BindToRegistry(value = "terminalProgress", lazy = true, destroyMethod = "close")
    public TerminalProgress terminalProgress(CamelContext ctx) {
        return new TerminalProgress(props(ctx).apply("copy.mode"));
    }

    /** How long the source store, the target store or the database may fail every request before the job stops. */
    @BindToRegistry(value = "failureBudget", lazy = true)
    public FailureBudget failureBudget(CamelContext ctx) {
        Function<String, String> p = props(ctx);
        String giveUp = p.apply("copy.give-up-after");
        long ms = giveUp == null || giveUp.isBlank() ? 180_000 : Long.parseLong(giveUp.strip());
        return new FailureBudget(Duration.ofMillis(ms), Map.of(
                "source", store("source", p), "target", store("target", p),
                "database", "the database (" + p.apply("db.host") + ":" + p.apply("db.port") + "/"
                        + p.apply("db.name") + ")",
                "listing", "a store's listing (source or target)",
                "queue", queue(p)));
    }

    /** The work queue of copy --plan-to / --work-from in the budget's messages: its URL and the endpoint asked. */
    private static String queue(Function<String, String> p) {
        String endpoint = p.apply("queue.endpoint");
        return "the work queue (" + p.apply("queue.url") + ", endpoint " + (endpoint == null || endpoint.isBlank()
                ? "AWS SQS " + p.apply("queue.region") : endpoint) + ")";
    }

    private static String store(String side, Function<String, String> p) {
        if (DirectoryChecks.isDirectory(p, side)) {
            return "the " + side + " directory (" + p.apply(side + ".root") + ")";
        }
        StoreConfig s = StoreConfig.from(side, p);
        return "the " + side + " store (" + (s.endpoint().isEmpty() ? "AWS " + s.region() : s.endpoint())
                + ", bucket " + s.bucket() + ")";
    }

    /**
     * Called by the copy routes' error handlers at each failed attempt: counts it against the budget of the party
     * the exchange was talking to (exchange property {@code party}, set by the routes before each request).
     */
    @BindToRegistry(value = "recordFailure", lazy = true)
    public Processor recordFailure(CamelContext ctx) {
        FailureBudget budget = ctx.getRegistry().lookupByNameAndType("failureBudget", FailureBudget.class);
        return exchange -> {
            Throwable e = exchange.getException() != null ? exchange.getException()
                    : exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
            budget.failure(exchange.getProperty("party", String.class), RetryPolicy.describe(e));
        };
    }

    /** The database's schema, read once at start: which Mastodon, and which optional tables it has. */
    private static MastodonSchema mastodonSchema(CamelContext ctx) {
        try {
            MastodonSchema schema = MastodonSchema.read(ctx.getRegistry().lookupByNameAndType("mastodonDb",
                    DataSource.class));
            LoggerFactory.getLogger("mastodon.s3sync.copy").info("Mastodon database: {}", schema.describe());
            return schema;
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read the database's tables: " + e.getMessage(), e);
        }
    }

    /**
     * How a page's objects are found in one side: a directory answers with a stat per key, always; a bucket with a
     * listing of the page's key ranges, unless copy.list-target=false (then a HEAD per object; null here).
     */
    private static ObjectSizes listing(CamelContext ctx, String side) {
        Function<String, String> p = props(ctx);
        if (DirectoryChecks.isDirectory(p, side)) {
            return new DirectoryListing(ctx.getRegistry().lookupByNameAndType(localBean(side), DirectorySide.class),
                    side.equals("source"));
        }
        if ("false".equalsIgnoreCase(p.apply("copy.list-target"))) {
            return null;
        }
        StoreConfig store = StoreConfig.from(side, p);
        return new StoreListing(ctx.getRegistry().lookupByNameAndType(side + "S3", S3Client.class), store.bucket(),
                store.keyPrefix());
    }

    private static String localBean(String side) {
        return side.equals("source") ? "localSource" : "localTarget";
    }

    /** The source as Mastodon's local storage (source.kind=directory): the copy routes read its files. */
    @BindToRegistry(value = "localSource", lazy = true)
    public DirectorySide localSource(CamelContext ctx) {
        Function<String, String> p = props(ctx);
        return new DirectorySide("source", DirectoryChecks.isDirectory(p, "source") ? p.apply("source.root") : null);
    }

    /** The target as a directory (TARGET_S3_ENABLED=false): the copy routes write its files. */
    @BindToRegistry(value = "localTarget", lazy = true)
    public DirectorySide localTarget(CamelContext ctx) {
        Function<String, String> p = props(ctx);
        return new DirectorySide("target", DirectoryChecks.isDirectory(p, "target") ? p.apply("target.root") : null);
    }

    /** Aborts the multipart uploads an earlier (killed) run or a failed abort left in the target (a bucket). */
    @BindToRegistry(value = "abandonedUploads", lazy = true)
    public AbandonedUploads abandonedUploads(CamelContext ctx) {
        return new AbandonedUploads(DirectoryChecks.isDirectory(props(ctx), "target") ? null
                : ctx.getRegistry().lookupByNameAndType("targetS3", S3Client.class),
                StoreConfig.from("target", props(ctx)).bucket(),
                job(ctx).options());
    }

    /** repair: judges and fixes objects in place in the store Mastodon uses (the source settings). */
    @BindToRegistry(value = "objectRepair", lazy = true)
    public ObjectRepair objectRepair(CamelContext ctx) {
        Function<String, String> p = props(ctx);
        // the task carries the ACL Mastodon writes on its object (planned with S3_PERMISSION; null: no ACLs)
        return new ObjectRepair(ctx.getRegistry().lookupByNameAndType("sourceS3", S3Client.class),
                StoreConfig.from("source", p).bucket(), CopyTask::cannedAcl,
                Long.parseLong(p.apply("repair.part-size").strip()));
    }

    /** Objects above copy.part-size: written in parts, a failed part retried alone (read again from the source). */
    @BindToRegistry(value = "partedCopy", lazy = true)
    public PartedCopy partedCopy(CamelContext ctx) {
        Function<String, String> p = props(ctx);
        FailureBudget budget = ctx.getRegistry().lookupByNameAndType("failureBudget", FailureBudget.class);
        RetryPolicy policy = ctx.getRegistry().lookupByNameAndType("retryPolicy", RetryPolicy.class);
        PartedUpload upload = new PartedUpload(ctx.getRegistry().lookupByNameAndType("targetS3", S3Client.class),
                p.apply("target.bucket"), Long.parseLong(p.apply("copy.part-size")),
                Integer.parseInt(p.apply("copy.retries")), Long.parseLong(p.apply("copy.retry-delay")),
                policy::isRetryable, f -> budget.failure(f.party(), RetryPolicy.describe(f.error())),
                budget::success);
        boolean directory = DirectoryChecks.isDirectory(p, "source");
        return new PartedCopy(upload, directory ? null : ctx.getRegistry().lookupByNameAndType("sourceS3",
                S3Client.class), p.apply("source.bucket"), directory
                ? ctx.getRegistry().lookupByNameAndType("localSource", DirectorySide.class) : null);
    }
}
