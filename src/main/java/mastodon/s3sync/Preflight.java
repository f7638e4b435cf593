package mastodon.s3sync;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Function;
import java.util.function.Supplier;

import com.zaxxer.hikari.HikariDataSource;

import mastodon.s3sync.copy.CannedAcl;
import mastodon.s3sync.copy.CopyOptions;
import mastodon.s3sync.copy.MastodonSchema;
import mastodon.s3sync.db.Database;
import mastodon.s3sync.recover.DroppedSubscriptionRule;
import mastodon.s3sync.recover.ResubscribeCommand;
import mastodon.s3sync.recover.SshTarget;
import mastodon.s3sync.store.DirectoryChecks;
import mastodon.s3sync.store.S3Stores;
import mastodon.s3sync.store.StoreConfig;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Checks, before any route starts, that what a command needs is set, valid and reachable, with a message naming the
 * fix. Reads the settings and reports problems; the command's class derives what the routes need (absolute paths,
 * the queue URL this finds).
 */
final class Preflight {

    private Preflight() {
    }

    /**
     * @param found receives what the database check found that the routes can use (see {@link #copyConnections})
     * @return null when the copy job (or repair) can start, else the problem
     */
    static String copy(Function<String, String> props, CopyOptions options, Map<String, String> found) {
        String settings = copySettings(props, options.repair());
        return settings != null ? settings : copyConnections(props, options, found);
    }

    /**
     * The network half of {@link #copy}: the stores answer and the database has Mastodon's tables. What the database
     * check found that the routes can use is put in {@code found} (the media query's columns this schema has:
     * {@link MastodonSchema#mediaQueryColumns}).
     */
    static String copyConnections(Function<String, String> props, CopyOptions options, Map<String, String> found) {
        StoreConfig source = StoreConfig.from("source", props);
        // repair works on the source store alone
        return options.repair() ? checkStoresAndDatabase(props, options, found, source)
                : checkStoresAndDatabase(props, options, found, source, StoreConfig.from("target", props));
    }

    /**
     * What copy, verify and run (repair: true) check before connecting, also config's warnings; null when nothing is
     * wrong.
     */
    static String copySettings(Function<String, String> props, boolean repair) {
        String directories = DirectoryChecks.forCopy(props, repair);
        if (directories != null) {
            return directories;
        }
        StoreConfig source = StoreConfig.from("source", props);
        StoreConfig target = StoreConfig.from("target", props);
        // repair works on the source store alone, with its own permission (S3_PERMISSION)
        try {
            CannedAcl.forPermission((repair ? source : target).permission());
        } catch (IllegalArgumentException e) {
            return repair ? "S3_PERMISSION '" + source.permission() + "' is not an S3 canned ACL. Fix: set "
                    + "S3_PERMISSION to the value Mastodon uses: public-read (its default), private, "
                    + "authenticated-read, or empty when the store has no ACLs (Cloudflare R2)." : e.getMessage();
        }
        if (source.bucket().isEmpty() && !DirectoryChecks.isDirectory(props, "source")) {
            return "the source bucket is not set. Fix: set S3_BUCKET (Mastodon's own variable), or pass "
                    + "--env-file with Mastodon's .env.production.";
        }
        if (repair) {
            return null;
        }
        if (DirectoryChecks.isDirectory(props, "source") || DirectoryChecks.isDirectory(props, "target")) {
            return null;
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
        return null;
    }

    /**
     * The stores answer and the database has Mastodon's tables: null, else the problem. The checks run side by side
     * (each waits on the network and warms up its own client libraries); the first problem in the order source,
     * target, database is the one reported, without waiting for the checks after it.
     */
    private static String checkStoresAndDatabase(Function<String, String> props, CopyOptions options,
                                                 Map<String, String> found, StoreConfig... stores) {
        List<Supplier<String>> checks = new ArrayList<>();
        for (StoreConfig c : stores) {
            if (!DirectoryChecks.isDirectory(props, c.side())) { // a directory is checked by copySettings
                checks.add(() -> checkStore(c));
            }
        }
        checks.add(() -> checkDatabase(props, options, found));
        ExecutorService pool = Executors.newFixedThreadPool(checks.size(), r -> {
            Thread t = new Thread(r, "preflight");
            t.setDaemon(true);
            return t;
        });
        try {
            List<Future<String>> results = new ArrayList<>();
            checks.forEach(check -> results.add(pool.submit(check::get)));
            for (Future<String> r : results) {
                String problem = r.get();
                if (problem != null) {
                    return problem;
                }
            }
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted while checking the stores and the database";
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException re ? re : new IllegalStateException(e.getCause());
        } finally {
            pool.shutdownNow();
        }
    }

    private static String checkStore(StoreConfig c) {
        try (S3Client s3 = S3Stores.client(c)) {
            return S3Stores.check(c, s3);
        } catch (RuntimeException e) {
            return c.side() + " store settings are not usable: " + e.getMessage();
        }
    }

    private static String checkDatabase(Function<String, String> props, CopyOptions options,
                                        Map<String, String> found) {
        Database.DbConfig db = Database.DbConfig.from(props);
        try (HikariDataSource ds = Database.dataSource(db, 1)) {
            String problem = Database.check(db, ds);
            if (problem != null) {
                return problem;
            }
            MastodonSchema schema = MastodonSchema.read(ds);
            found.putAll(schema.mediaQueryColumns());
            return schema.problem(options.tables());
        } catch (SQLException e) {
            return "cannot read the tables of the " + db.describe() + ": " + e.getMessage() + ". Fix: give DB_USER "
                    + "read access to Mastodon's tables.";
        }
    }

    /**
     * recover-subscriptions: the logs are readable files, the rule and command settings parse, the database answers,
     * and with --resubscribe the SSH settings are complete. Relative log paths are read against workDir.
     *
     * @return null when the command can start, else the problem
     */
    static String recoverSubscriptions(Function<String, String> props, Path workDir) {
        String logs = props.apply("recover.logs");
        int readable = 0;
        for (String l : (logs == null ? "" : logs).split(",")) {
            if (l.isBlank()) {
                continue;
            }
            Path p = workDir.resolve(l.strip()).toAbsolutePath().normalize();
            if (!Files.isRegularFile(p) || !Files.isReadable(p)) {
                return "the log file " + l.strip() + " cannot be read. Fix: pass nginx access logs with --log (e.g. "
                        + "--log /var/log/nginx/access.log --log /var/log/nginx/access.log.2.gz) and run as a user "
                        + "that may read them (root or the adm group on Debian).";
            }
            readable++;
        }
        if (readable == 0) {
            return "no log given. Fix: pass at least one nginx access log, e.g. --log /var/log/nginx/access.log.";
        }
        try {
            DroppedSubscriptionRule.from(props);
            new ResubscribeCommand(props.apply("recover.command"));
            SshTarget ssh = SshTarget.from(props);
            if (Boolean.parseBoolean(props.apply("recover.resubscribe"))) {
                String problem = ssh.problem();
                if (problem != null) {
                    return problem;
                }
            }
        } catch (IllegalArgumentException e) {
            return e.getMessage();
        }
        Database.DbConfig db = Database.DbConfig.from(props);
        try (HikariDataSource ds = Database.dataSource(db, 1)) {
            return Database.check(db, ds);
        }
    }

    /** run with recover.follow-log: the log (relative: against workDir) is readable and the rule parses. */
    static String followLog(Function<String, String> props, Path workDir) {
        Path log = workDir.resolve(props.apply("recover.follow-log").strip()).toAbsolutePath().normalize();
        if (!Files.isReadable(log)) {
            return "recover.follow-log " + log + " cannot be read. Fix: point RECOVER_FOLLOW_LOG at nginx's current "
                    + "access log (e.g. /var/log/nginx/access.log) and run as a user that may read it.";
        }
        try {
            DroppedSubscriptionRule.from(props);
            return null;
        } catch (IllegalArgumentException e) {
            return e.getMessage();
        }
    }
}
