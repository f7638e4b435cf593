package mastodon.s3sync.copy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;

import org.gaul.s3proxy.blobstore.BlobStore;

import mastodon.s3sync.Application;
import mastodon.s3sync.testing.MastodonFixture;
import mastodon.s3sync.testing.PostgresServer;
import mastodon.s3sync.testing.S3Server;

/**
 * Real servers for copy tests: one PostgreSQL and two s3proxy endpoints with different credentials (two providers).
 * Each {@link #fresh()} gives a new database and new buckets, so tests do not see each other's state.
 */
final class CopyEnvironment implements AutoCloseable {

    private static final AtomicInteger COUNTER = new AtomicInteger();

    final PostgresServer pg;
    final S3Server source;
    final S3Server target;

    /** One test's world: database, buckets, work directory, and the environment the tool sees. */
    final class World {
        final String db;
        final String sourceBucket;
        final String targetBucket;
        final Path workDir;
        final Map<String, String> env = new HashMap<>();
        final MastodonFixture fixture;

        World(Path workDir) throws Exception {
            this(workDir, null);
        }

        /** With the schema of one Mastodon version ({@link MastodonFixture#VERSIONS}); null: the newest. */
        World(Path workDir, String mastodonVersion) throws Exception {
            int n = COUNTER.incrementAndGet();
            db = "mastodon_" + n;
            sourceBucket = "source-" + n;
            targetBucket = "target-" + n;
            this.workDir = workDir;
            pg.createDatabase(db);
            source.createBucket(sourceBucket);
            target.createBucket(targetBucket);
            fixture = new MastodonFixture(pg.dataSource(db));
            if (mastodonVersion == null) {
                fixture.createSchema();
            } else {
                fixture.createSchema(mastodonVersion);
            }
            env.put("DB_HOST", pg.host());
            env.put("DB_PORT", Integer.toString(pg.port()));
            env.put("DB_NAME", db);
            env.put("DB_USER", pg.user());
            env.put("DB_PASS", "");
            env.put("DB_SSLMODE", "disable");
            env.put("S3_BUCKET", sourceBucket);
            env.put("S3_ENDPOINT", source.endpoint());
            env.put("S3_REGION", "us-east-1");
            env.put("AWS_ACCESS_KEY_ID", source.accessKey);
            env.put("AWS_SECRET_ACCESS_KEY", source.secretKey);
            env.put("TARGET_S3_BUCKET", targetBucket);
            env.put("TARGET_S3_ENDPOINT", target.endpoint());
            env.put("TARGET_S3_REGION", "us-east-1");
            env.put("TARGET_AWS_ACCESS_KEY_ID", target.accessKey);
            env.put("TARGET_AWS_SECRET_ACCESS_KEY", target.secretKey);
            env.put("COPY_STATE_DIR", workDir.resolve("state").toString());
            env.put("COPY_PROGRESS_INTERVAL", "1000");
            env.put("COPY_CONCURRENCY", "4");
            env.put("APP_ROUTES_DIR", Path.of("routes").toAbsolutePath().toString());
        }

        /** Runs the tool in this JVM; returns exit code and what it printed. */
        Result run(String... args) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            PrintStream sysOut = System.out;
            PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
            int code;
            try {
                System.setOut(o); // the dry run prints through Camel's stream:out
                code = new Application(env, o, new PrintStream(err, true, StandardCharsets.UTF_8), workDir).run(args);
            } finally {
                System.setOut(sysOut);
            }
            Result r = new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
            sysOut.println("---- " + String.join(" ", args) + " -> " + code + "\n" + r.out + r.err);
            return r;
        }

        Path report(String mode) {
            return workDir.resolve("state").resolve(mode + "-report.json");
        }
    }

    record Result(int code, String out, String err) {
    }

    CopyEnvironment() throws Exception {
        this(null, null);
    }

    /** With the source and/or target store wrapped (e.g. in a FlakyBlobStore); null leaves it as is. */
    CopyEnvironment(UnaryOperator<BlobStore> wrapSource, UnaryOperator<BlobStore> wrapTarget) throws Exception {
        this(new PostgresServer(), wrapSource, wrapTarget);
    }

    /** With this database server (e.g. {@link PostgresServer#restartable()}). */
    CopyEnvironment(PostgresServer pg, UnaryOperator<BlobStore> wrapSource, UnaryOperator<BlobStore> wrapTarget)
            throws Exception {
        this.pg = pg;
        source = new S3Server("source-access-key", "source-secret-key-do-not-print", null, wrapSource);
        target = new S3Server("target-access-key", "target-secret-key-do-not-print", null, wrapTarget);
    }

    World fresh(Path workDir) throws Exception {
        Files.createDirectories(workDir);
        return new World(workDir);
    }

    World fresh(Path workDir, String mastodonVersion) throws Exception {
        Files.createDirectories(workDir);
        return new World(workDir, mastodonVersion);
    }

    @Override
    public void close() throws Exception {
        target.close();
        source.close();
        pg.close();
    }
}
