package mastodon.s3sync.copy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;

import org.gaul.s3proxy.blobstore.BlobStore;

import org.junit.jupiter.api.extension.ExtensionContext;

import mastodon.s3sync.InProcessRunner;
import mastodon.s3sync.testing.ByType;
import mastodon.s3sync.testing.MastodonFixture;
import mastodon.s3sync.testing.PostgresExtension;
import mastodon.s3sync.testing.PostgresServer;
import mastodon.s3sync.testing.S3Extension;
import mastodon.s3sync.testing.S3Server;

/**
 * Real servers for copy tests: one PostgreSQL and two s3proxy endpoints with different credentials (two providers),
 * the kit's shared ones ({@link CopyServers}) unless a test wraps a store. Each {@link #fresh} gives a new database and
 * new buckets, so tests do not see each other's state.
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
            // the per-user defaults (Jolokia's users file of `run`) land here, never in the real home
            env.put("XDG_STATE_HOME", workDir.resolve("state-home").toString());
            env.put("COPY_PROGRESS_INTERVAL", "1000");
            env.put("COPY_CONCURRENCY", "4");
            env.put("APP_ROUTES_DIR", Path.of("routes").toAbsolutePath().toString());
        }

        /** Runs the tool in this JVM ({@link InProcessRunner}); returns exit code and what it printed. */
        InProcessRunner.Result run(String... args) {
            return runner().run(args);
        }

        /** The runner of this world's environment and work directory (e.g. to start a command and watch Camel). */
        InProcessRunner runner() {
            return new InProcessRunner(env, workDir);
        }

        Path report(String mode) {
            return workDir.resolve("state").resolve(mode + "-report.json");
        }
    }

    private final java.util.List<AutoCloseable> owned = new java.util.ArrayList<>();

    /** The kit's shared servers ({@link CopyServers}): closing this environment leaves them running. */
    CopyEnvironment(PostgresServer pg, S3Server source, S3Server target) {
        this.pg = pg;
        this.source = source;
        this.target = target;
    }

    /**
     * With stores of its own, the source and/or target wrapped (e.g. in a FlakyBlobStore; null leaves it as is), and
     * this database server (the shared one, or e.g. {@link PostgresServer#restartable()}, which is then closed too).
     */
    CopyEnvironment(PostgresServer pg, boolean ownsPg, UnaryOperator<BlobStore> wrapSource,
                    UnaryOperator<BlobStore> wrapTarget) throws Exception {
        this.pg = pg;
        if (ownsPg) {
            owned.add(pg);
        }
        source = new S3Server(S3Extension.SOURCE_ACCESS, S3Extension.SOURCE_SECRET, null, wrapSource);
        owned.add(source);
        target = new S3Server(S3Extension.TARGET_ACCESS, S3Extension.TARGET_SECRET, null, wrapTarget);
        owned.add(target);
    }

    /** A parameter {@code CopyEnvironment} of a test or {@code @BeforeAll} method: the kit's shared servers. */
    static final class Resolver extends ByType<CopyEnvironment> {
        Resolver() {
            super(CopyEnvironment.class);
        }

        @Override
        protected CopyEnvironment resolve(ExtensionContext context) {
            return new CopyEnvironment(PostgresExtension.server(context), S3Extension.source(context),
                    S3Extension.target(context));
        }
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
        for (int i = owned.size() - 1; i >= 0; i--) {
            owned.get(i).close();
        }
    }
}
