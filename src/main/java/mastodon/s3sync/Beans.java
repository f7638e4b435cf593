package mastodon.s3sync;

import java.io.PrintStream;
import java.time.Duration;
import java.util.Map;
import java.util.function.Function;

import javax.sql.DataSource;

import org.apache.camel.BindToRegistry;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;

import mastodon.s3sync.copy.CopyJob;
import mastodon.s3sync.copy.CopyOptions;
import mastodon.s3sync.copy.FailureBudget;
import mastodon.s3sync.copy.MastodonKeys;
import mastodon.s3sync.copy.RetryPolicy;
import mastodon.s3sync.copy.StoreListing;
import mastodon.s3sync.db.Database;
import mastodon.s3sync.store.S3Stores;
import mastodon.s3sync.store.StoreConfig;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The beans the routes use, built from the resolved properties. Lazy: each is made when a route first needs it, so a
 * command builds only its own.
 */
public class Beans implements CamelConfiguration {

    static Function<String, String> props(CamelContext ctx) {
        return k -> ctx.getPropertiesComponent().resolveProperty(k).orElse(null);
    }

    @BindToRegistry(value = "sourceS3", lazy = true, destroyMethod = "close")
    public S3Client sourceS3(CamelContext ctx) {
        return S3Stores.client(StoreConfig.from("source", props(ctx)));
    }

    @BindToRegistry(value = "targetS3", lazy = true, destroyMethod = "close")
    public S3Client targetS3(CamelContext ctx) {
        return S3Stores.client(StoreConfig.from("target", props(ctx)), false);
    }

    @BindToRegistry(value = "mastodonDb", lazy = true, destroyMethod = "close")
    public DataSource mastodonDb(CamelContext ctx) {
        return Database.dataSource(Database.DbConfig.from(props(ctx)), 8);
    }

    @BindToRegistry(value = "mastodonKeys", lazy = true)
    public MastodonKeys mastodonKeys() {
        return new MastodonKeys();
    }

    /**
     * Saves the checkpoints once more when Camel stops (after in-flight copies completed); a run or an interrupted
     * copy also prints its summary and writes its report then.
     */
    @BindToRegistry(value = "copyJob", lazy = true, destroyMethod = "shutdown")
    public CopyJob copyJob(CamelContext ctx) {
        Function<String, String> p = props(ctx);
        boolean list = !"false".equalsIgnoreCase(p.apply("copy.list-target"));
        CopyJob job = new CopyJob(CopyOptions.from(p), new MastodonKeys(), list ? listing(ctx, "target") : null,
                list ? listing(ctx, "source") : null);
        // the summary goes where the command's output goes; a dry run's output is its keys, so its summary goes to
        // stderr (copy --dry-run > keys.txt)
        PrintStream stdout = ctx.getRegistry().lookupByNameAndType(job.options().dryRun() ? "stderr" : "stdout",
                PrintStream.class);
        if (stdout != null) {
            job.setOut(stdout);
        }
        job.setFailureBudget(ctx.getRegistry().lookupByNameAndType("failureBudget", FailureBudget.class));
        return job;
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
                "listing", "a store's listing (source or target)"));
    }

    private static String store(String side, Function<String, String> p) {
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

    private static StoreListing listing(CamelContext ctx, String side) {
        StoreConfig store = StoreConfig.from(side, props(ctx));
        return new StoreListing(ctx.getRegistry().lookupByNameAndType(side + "S3", S3Client.class), store.bucket(),
                store.keyPrefix());
    }

    @BindToRegistry(value = "retryPolicy", lazy = true)
    public RetryPolicy retryPolicy() {
        return new RetryPolicy();
    }
}
