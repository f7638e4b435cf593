package mastodon.s3sync;

import java.util.function.Function;

import com.zaxxer.hikari.HikariDataSource;

import mastodon.s3sync.copy.CopyJob;
import mastodon.s3sync.copy.CopyOptions;
import mastodon.s3sync.db.Database;
import mastodon.s3sync.store.S3Stores;
import mastodon.s3sync.store.StoreConfig;
import software.amazon.awssdk.services.s3.S3Client;

/** Checks, before any route starts, that what a command needs is reachable, with a message naming the fix. */
final class Preflight {

    private Preflight() {
    }

    /** @return null when the copy job can start, else the problem */
    static String copy(Function<String, String> props, CopyOptions options) {
        StoreConfig source = StoreConfig.from("source", props);
        StoreConfig target = StoreConfig.from("target", props);
        try {
            CopyJob.cannedAclName(target.permission());
        } catch (IllegalArgumentException e) {
            return e.getMessage();
        }
        if (source.bucket().isEmpty()) {
            return "the source bucket is not set. Fix: set S3_BUCKET (Mastodon's own variable), or pass "
                    + "--env-file with Mastodon's .env.production.";
        }
        if (target.bucket().isEmpty()) {
            return "the target bucket is not set. Fix: set TARGET_S3_BUCKET (and TARGET_S3_ENDPOINT, "
                    + "TARGET_AWS_ACCESS_KEY_ID, TARGET_AWS_SECRET_ACCESS_KEY for another provider).";
        }
        if (source.bucket().equals(target.bucket()) && source.endpoint().equals(target.endpoint())
                && source.keyPrefix().equals(target.keyPrefix())) {
            return "source and target are the same bucket (" + source.describe() + ") with the same key prefix. "
                    + "Fix: point TARGET_S3_BUCKET / TARGET_S3_ENDPOINT at the new store.";
        }
        for (StoreConfig c : new StoreConfig[] {source, target}) {
            try (S3Client s3 = S3Stores.client(c)) {
                String p = S3Stores.check(c, s3);
                if (p != null) {
                    return p;
                }
            } catch (RuntimeException e) {
                return c.side() + " store settings are not usable: " + e.getMessage();
            }
        }
        Database.DbConfig db = Database.DbConfig.from(props);
        try (HikariDataSource ds = Database.dataSource(db, 1)) {
            return Database.check(db, ds);
        }
    }
}
