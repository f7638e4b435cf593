package mastodon.s3sync;

import javax.sql.DataSource;

import org.apache.camel.BindToRegistry;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;

import mastodon.s3sync.copy.MastodonKeys;
import mastodon.s3sync.copy.RetryPolicy;
import mastodon.s3sync.db.Database;
import mastodon.s3sync.db.PageRows;
import mastodon.s3sync.store.S3Stores;
import mastodon.s3sync.store.StoreConfig;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The beans every command's routes share: the source and target stores' S3 clients, Mastodon's database, and the
 * rules for them (Mastodon's key layout, which failures are retried). Lazy: each is made when a route first needs it,
 * so a command builds only its own. The stores and the database are configured with secrets (keys, password), which
 * only {@link CommandSettings} gives out; that is why they are not {@code @PropertyInject} parameters.
 */
public class StoresAndDatabaseBeans implements CamelConfiguration {

    @BindToRegistry(value = "sourceS3", lazy = true, destroyMethod = "close")
    public S3Client sourceS3(CamelContext ctx) {
        return S3Stores.client(StoreConfig.from("source", CommandSettings.of(ctx)));
    }

    @BindToRegistry(value = "targetS3", lazy = true, destroyMethod = "close")
    public S3Client targetS3(CamelContext ctx) {
        return S3Stores.client(StoreConfig.from("target", CommandSettings.of(ctx)), false);
    }

    @BindToRegistry(value = "mastodonDb", lazy = true, destroyMethod = "close")
    public DataSource mastodonDb(CamelContext ctx) {
        return Database.dataSource(Database.DbConfig.from(CommandSettings.of(ctx)), 8);
    }

    /** The page queries' rows as plain maps (see {@link PageRows}). */
    @BindToRegistry(value = "pageRows", lazy = true)
    public PageRows pageRows() {
        return new PageRows();
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
