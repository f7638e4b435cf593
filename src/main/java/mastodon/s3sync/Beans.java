package mastodon.s3sync;

import java.util.function.Function;

import javax.sql.DataSource;

import org.apache.camel.BindToRegistry;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;

import mastodon.s3sync.config.SecretValues;
import mastodon.s3sync.copy.MastodonKeys;
import mastodon.s3sync.copy.RetryPolicy;
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

    @BindToRegistry(value = "retryPolicy", lazy = true)
    public RetryPolicy retryPolicy() {
        return new RetryPolicy();
    }
}
