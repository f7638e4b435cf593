package mastodon.s3sync;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The config command: every effective value with its origin, and never a secret. */
class ConfigCommandTest {

    private static final List<String> SECRETS = List.of("file-db-password", "env-secret-key-123", "file-access-key-id",
            "tunnel-passphrase-xyz", "url-password-456", "target-secret-789");

    /** key -> "value  # origin" of the config command's output. */
    private static String line(InProcessRunner.Result r, String key) {
        return Arrays.stream(r.out().split("\n")).filter(l -> l.startsWith(key + " ")).findFirst().orElseThrow(
                () -> new AssertionError("no line for " + key + " in:\n" + r.out()));
    }

    private static InProcessRunner.Result run(Map<String, String> env, Path workDir, String... args) {
        return InProcessRunner.run(env, workDir, args);
    }

    @Test
    void printsEachValueWithItsOriginAndNoSecret(@TempDir Path dir) throws Exception {
        Path envFile = dir.resolve(".env.production");
        Files.writeString(envFile, String.join("\n",
                "# Mastodon's own file",
                "DB_HOST=/var/run/postgresql",
                "DB_USER=mastodon",
                "DB_PASS=file-db-password",
                "S3_BUCKET=files.example",
                "AWS_ACCESS_KEY_ID=file-access-key-id",
                "AWS_SECRET_ACCESS_KEY=overridden-by-env",
                "S3_ENDPOINT=https://s3.example",
                ""));
        Files.writeString(dir.resolve("application.properties"), "copy.page-size=250\n");
        Map<String, String> env = Map.of("AWS_SECRET_ACCESS_KEY", "env-secret-key-123", "DB_NAME", "live",
                "DB_TUNNEL_KEY_PASSPHRASE", "tunnel-passphrase-xyz", "TARGET_AWS_SECRET_ACCESS_KEY", "target-secret-789",
                "TARGET_AWS_ACCESS_KEY_ID", "target-key-id"); // credentials come in pairs

        InProcessRunner.Result r = run(env, dir, "config", "--env-file", envFile.toString());

        assertThat(r.code()).isEqualTo(Application.OK);
        // no target bucket: config says what copy would refuse, and still prints everything
        assertThat(r.err()).startsWith("warning: copy, verify and run would refuse to start: the target bucket is not "
                + "set.").doesNotContain("error");
        String file = "env file " + envFile;
        assertThat(line(r, "db.host")).contains("/var/run/postgresql").endsWith("# " + file + " (DB_HOST)");
        assertThat(line(r, "db.name")).contains("= live ").endsWith("# environment (DB_NAME)");
        assertThat(line(r, "db.port")).contains("5432").endsWith("# default");
        assertThat(line(r, "copy.page-size")).contains("250").endsWith("# application.properties (copy.page-size)");
        assertThat(line(r, "source.path-style")).contains("true").endsWith("# derived from endpoint");
        assertThat(line(r, "db.password")).contains("****** (set, 16 chars)").endsWith("# " + file + " (DB_PASS)");
        assertThat(line(r, "source.secret-key")).contains("******").endsWith("# environment (AWS_SECRET_ACCESS_KEY)");
        assertThat(line(r, "source.access-key")).contains("******").endsWith("(AWS_ACCESS_KEY_ID)");
        assertThat(line(r, "db.tunnel.key-passphrase")).contains("******").endsWith("# environment (DB_TUNNEL_KEY_PASSPHRASE)");
        assertThat(line(r, "db.tunnel.port")).contains("22").endsWith("# application.properties (db.tunnel.port)");
        assertThat(line(r, "db.tunnel.host")).contains("(unset)");
        for (String secret : SECRETS) {
            assertThat(r.out()).doesNotContain(secret);
        }
        assertThat(r.out()).doesNotContain("overridden-by-env");
    }

    @Test
    void databaseUrlPasswordIsMaskedAndOriginNamed(@TempDir Path dir) {
        Map<String, String> env = Map.of("DATABASE_URL", "postgresql://masto:url-password-456@db.internal:6432/live",
                "MASTODON_ENV_FILE", "missing.env");
        InProcessRunner.Result missing = run(env, dir, "config");
        assertThat(missing.code()).isEqualTo(Application.BAD_CONFIG);
        assertThat(missing.err()).contains("MASTODON_ENV_FILE 'missing.env' does not exist. Fix:");

        InProcessRunner.Result r = run(Map.of("DATABASE_URL", env.get("DATABASE_URL")), dir, "config");
        assertThat(r.code()).isEqualTo(Application.OK);
        assertThat(line(r, "db.host")).contains("db.internal").endsWith("# environment (DATABASE_URL)");
        assertThat(line(r, "db.port")).contains("6432").endsWith("# environment (DATABASE_URL)");
        assertThat(line(r, "db.password")).contains("******").endsWith("# environment (DATABASE_URL)");
        assertThat(r.out()).doesNotContain("url-password-456");
    }

    @Test
    void envFileFromMastodonEnvFileVariable(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("prod.env"), "DB_HOST=db.from.file\n");
        InProcessRunner.Result r = run(Map.of("MASTODON_ENV_FILE", "prod.env"), dir, "config");
        assertThat(r.code()).isEqualTo(Application.OK);
        assertThat(line(r, "db.host")).contains("db.from.file").endsWith("# env file prod.env (DB_HOST)");
    }

    @Test
    void badDatabaseUrlExitsTwo(@TempDir Path dir) {
        InProcessRunner.Result r = run(Map.of("DATABASE_URL", "postgresql://u:secret-in-bad-url@h:port/d"), dir, "config");
        assertThat(r.code()).isEqualTo(Application.BAD_CONFIG);
        assertThat(r.err()).contains("DATABASE_URL (environment (DATABASE_URL)) is not a valid postgresql:// URL");
        assertThat(r.err() + r.out()).doesNotContain("secret-in-bad-url");
    }
}
