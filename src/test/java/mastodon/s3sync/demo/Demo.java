package mastodon.s3sync.demo;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import mastodon.s3sync.Application;
import mastodon.s3sync.testing.MastodonFixture;
import mastodon.s3sync.testing.PostgresServer;
import mastodon.s3sync.testing.S3Server;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The copy job end to end with no Mastodon needed: starts a real PostgreSQL and two S3-compatible stores on
 * 127.0.0.1, seeds a synthetic Mastodon (rows in every media table, objects in the source store), runs
 * {@code copy}, then {@code verify}, and prints their summaries. Run with {@code mvn -B -q -Pdemo verify}.
 *
 * <p>Arguments: rows per table (default 200), object size in bytes (default 65536).
 */
public final class Demo {

    private Demo() {
    }

    public static void main(String[] args) throws Exception {
        int rows = args.length > 0 ? Integer.parseInt(args[0]) : 200;
        int size = args.length > 1 ? Integer.parseInt(args[1]) : 65536;
        Path work = Files.createTempDirectory("mastodon-s3-sync-demo");
        int code;
        try (PostgresServer pg = new PostgresServer();
             S3Server source = new S3Server("demo-source-key", "demo-source-secret", null);
             S3Server target = new S3Server("demo-target-key", "demo-target-secret", null)) {
            pg.createDatabase("mastodon_demo");
            source.createBucket("mastodon-old");
            target.createBucket("mastodon-new");
            MastodonFixture fixture = new MastodonFixture(pg.dataSource("mastodon_demo"));
            fixture.createSchema();
            List<MastodonFixture.SourceObject> objects;
            try (S3Client s3 = source.client()) {
                objects = fixture.generate(rows, s3, "mastodon-old", "", size, 1);
            }
            System.out.printf("Seeded a synthetic Mastodon: %d rows per table, %d objects of %d bytes in %s/mastodon-old;"
                    + " copying to %s/mastodon-new%n%n", rows, objects.size(), size, source.endpoint(), target.endpoint());
            Map<String, String> env = new HashMap<>();
            env.put("DB_HOST", pg.host());
            env.put("DB_PORT", Integer.toString(pg.port()));
            env.put("DB_NAME", "mastodon_demo");
            env.put("DB_USER", pg.user());
            env.put("DB_SSLMODE", "disable");
            env.put("S3_BUCKET", "mastodon-old");
            env.put("S3_ENDPOINT", source.endpoint());
            env.put("AWS_ACCESS_KEY_ID", source.accessKey);
            env.put("AWS_SECRET_ACCESS_KEY", source.secretKey);
            env.put("TARGET_S3_BUCKET", "mastodon-new");
            env.put("TARGET_S3_ENDPOINT", target.endpoint());
            env.put("TARGET_AWS_ACCESS_KEY_ID", target.accessKey);
            env.put("TARGET_AWS_SECRET_ACCESS_KEY", target.secretKey);
            env.put("COPY_STATE_DIR", work.resolve("state").toString());
            env.put("APP_ROUTES_DIR", Path.of("routes").toAbsolutePath().toString());
            env.put("COPY_PROGRESS_INTERVAL", "2000");
            Application app = new Application(env, System.out, System.err, work);
            code = app.run(new String[] {"copy"});
            if (code == 0) {
                System.out.println();
                System.out.println("Verifying the target against the database and the source:");
                code = app.run(new String[] {"verify"});
            }
            System.out.println();
            System.out.println("Exit code " + code + "; state and reports in " + work.resolve("state"));
        }
        System.exit(code);
    }
}
