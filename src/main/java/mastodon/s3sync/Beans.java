package mastodon.s3sync;

import java.io.PrintStream;
import java.util.function.Function;

import javax.sql.DataSource;

import org.apache.camel.BindToRegistry;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;

import mastodon.s3sync.config.SecretValues;
import mastodon.s3sync.copy.CopyJob;
import mastodon.s3sync.copy.CopyOptions;
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

    /**
     * The command's settings: secrets from the {@link SecretValues} bean (Camel never holds them, see there), every
     * other key from Camel's properties.
     */
    static Function<String, String> props(CamelContext ctx) {
        SecretValues secrets = ctx.getRegistry().lookupByNameAndType(SecretValues.BEAN, SecretValues.class);
        return k -> secrets != null && secrets.holds(k) ? secrets.get(k)
                : ctx.getPropertiesComponent().resolveProperty(k).orElse(null);
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

    /** Saves the checkpoints once more when Camel stops (after in-flight copies completed). */
    @BindToRegistry(value = "copyJob", lazy = true, destroyMethod = "saveCheckpoints")
    public CopyJob copyJob(CamelContext ctx) {
        Function<String, String> p = props(ctx);
        boolean list = !"false".equalsIgnoreCase(p.apply("copy.list-target"));
        CopyJob job = new CopyJob(CopyOptions.from(p), new MastodonKeys(), list ? listing(ctx, "target") : null,
                list ? listing(ctx, "source") : null);
        PrintStream stdout = ctx.getRegistry().lookupByNameAndType("stdout", PrintStream.class);
        if (stdout != null) {
            job.setOut(stdout); // the summary goes where the command's output goes
        }
        return job;
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
