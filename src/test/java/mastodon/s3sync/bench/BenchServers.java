package mastodon.s3sync.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import mastodon.s3sync.testing.MastodonFixture;
import mastodon.s3sync.testing.PostgresServer;
import mastodon.s3sync.testing.S3Server;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Servers for bench/copy-vs-rclone.sh: a PostgreSQL seeded with a synthetic Mastodon and two s3proxy endpoints
 * backed by directories, the source filled with the rows' objects. Writes the settings to ENV_FILE (shell syntax)
 * and serves until killed.
 *
 * <p>Arguments: ENV_FILE DATA_DIR ROWS_PER_TABLE OBJECT_SIZE [KEYSTORE PASSWORD] (with a key store: https)
 */
public final class BenchServers {

    private BenchServers() {
    }

    public static void main(String[] args) throws Exception {
        Path envFile = Path.of(args[0]);
        Path data = Path.of(args[1]);
        int rows = Integer.parseInt(args[2]);
        int size = Integer.parseInt(args[3]);
        Files.createDirectories(data.resolve("source"));
        Files.createDirectories(data.resolve("target"));
        PostgresServer pg = new PostgresServer();
        Path keyStore = args.length > 5 ? Path.of(args[4]) : null;
        String password = args.length > 5 ? args[5] : null;
        S3Server source = new S3Server("bench-source-key", "bench-source-secret", data.resolve("source"), null,
                keyStore, password);
        S3Server target = new S3Server("bench-target-key", "bench-target-secret", data.resolve("target"), null,
                keyStore, password);
        pg.createDatabase("mastodon_bench");
        source.createBucket("source");
        for (String b : new String[] {"target-camel", "target-rclone"}) {
            target.createBucket(b);
        }
        MastodonFixture fixture = new MastodonFixture(pg.dataSource("mastodon_bench"));
        fixture.createSchema();
        List<MastodonFixture.SourceObject> objects;
        try (S3Client s3 = source.client()) {
            objects = fixture.generate(rows, s3, "source", "", size, 3);
        }
        String env = String.join("\n",
                "export DB_HOST=" + pg.host(), "export DB_PORT=" + pg.port(), "export DB_NAME=mastodon_bench",
                "export DB_USER=" + pg.user(), "export DB_SSLMODE=disable",
                "export S3_BUCKET=source", "export S3_ENDPOINT=" + source.endpoint(),
                "export AWS_ACCESS_KEY_ID=" + source.accessKey, "export AWS_SECRET_ACCESS_KEY=" + source.secretKey,
                "export TARGET_S3_ENDPOINT=" + target.endpoint(),
                "export TARGET_AWS_ACCESS_KEY_ID=" + target.accessKey,
                "export TARGET_AWS_SECRET_ACCESS_KEY=" + target.secretKey,
                "export BENCH_OBJECTS=" + objects.size(),
                "export BENCH_BYTES=" + (long) objects.size() * size, "");
        Path tmp = envFile.resolveSibling(envFile.getFileName() + ".tmp");
        Files.writeString(tmp, env);
        Files.move(tmp, envFile);
        System.out.println("bench servers ready: " + objects.size() + " objects");
        Thread.currentThread().join();
    }
}
