package mastodon.s3sync.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.Map;
import java.util.Properties;

import org.junit.jupiter.api.Test;

/** Where each effective value comes from, Mastodon's rules for DATABASE_URL and S3_*, and secret masking. */
class SettingsTest {

    private static Properties props(String... kv) {
        Properties p = new Properties();
        for (int i = 0; i < kv.length; i += 2) {
            p.setProperty(kv[i], kv[i + 1]);
        }
        return p;
    }

    private static Settings settings(Map<String, String> env, Map<String, String> file, Properties p) {
        return new Settings(env, file, ".env.production", p);
    }

    @Test
    void precedenceIsEnvironmentThenEnvFileThenPropertiesThenDefault() {
        Properties p = props("db.host", "props-host", "db.name", "props-db", "db.user", "props-user", "copy.page-size", "1000",
                "copy.concurrency", "16");
        Settings s = settings(Map.of("DB_HOST", "env-host", "COPY_PAGE_SIZE", "50"),
                Map.of("DB_HOST", "file-host", "DB_NAME", "file-db", "COPY_CONCURRENCY", "4"), p);
        assertThat(s.values().get("db.host")).isEqualTo(new Settings.Value("env-host", "environment (DB_HOST)", false));
        assertThat(s.values().get("db.name"))
                .isEqualTo(new Settings.Value("file-db", "env file .env.production (DB_NAME)", false));
        assertThat(s.values().get("db.user"))
                .isEqualTo(new Settings.Value("props-user", "application.properties (db.user)", false));
        assertThat(s.values().get("db.port")).isEqualTo(new Settings.Value("5432", "default", false));
        assertThat(s.values().get("db.sslmode")).isEqualTo(new Settings.Value("prefer", "default", false));
        // every other key, in Camel's environment form, through the same chain
        assertThat(s.values().get("copy.page-size").value()).isEqualTo("50");
        assertThat(s.values().get("copy.page-size").origin()).isEqualTo("environment (COPY_PAGE_SIZE)");
        assertThat(s.values().get("copy.concurrency").origin()).isEqualTo("env file .env.production (COPY_CONCURRENCY)");
        assertThat(s.problems()).isEmpty();
    }

    @Test
    void emptyPropertyFallsBackToTheDefault() {
        Settings s = settings(Map.of(), Map.of(), props("db.host", "", "db.port", ""));
        assertThat(s.get("db.host")).isEqualTo("localhost");
        assertThat(s.get("db.port")).isEqualTo("5432");
        assertThat(s.get("db.name")).isEqualTo("mastodon_production");
        assertThat(s.get("db.user")).isEqualTo("mastodon");
        assertThat(s.get("db.password")).isEmpty();
    }

    @Test
    void databaseUrlOverridesWhatItNames() {
        Settings s = settings(Map.of("DATABASE_URL", "postgresql://alice:s%40cr+t@db.example:6432/masto?sslmode=require",
                "DB_HOST", "ignored", "DB_PASS", "ignored-pass"), Map.of(), props());
        assertThat(s.get("db.host")).isEqualTo("db.example");
        assertThat(s.get("db.port")).isEqualTo("6432");
        assertThat(s.get("db.name")).isEqualTo("masto");
        assertThat(s.get("db.user")).isEqualTo("alice");
        assertThat(s.get("db.password")).isEqualTo("s@cr+t"); // '+' is not a space in a URL's user info
        assertThat(s.get("db.sslmode")).isEqualTo("require");
        assertThat(s.values().get("db.host").origin()).isEqualTo("environment (DATABASE_URL)");
        assertThat(s.values().get("db.password").secret()).isTrue();
    }

    @Test
    void databaseUrlKeepsTheOtherSettingsForWhatItDoesNotName() {
        Settings s = settings(Map.of("DB_PASS", "from-db-pass", "DB_NAME", "from-db-name"),
                Map.of("DATABASE_URL", "postgres://bob@10.0.0.5"), props());
        assertThat(s.get("db.host")).isEqualTo("10.0.0.5");
        assertThat(s.get("db.user")).isEqualTo("bob");
        assertThat(s.get("db.password")).isEqualTo("from-db-pass");
        assertThat(s.get("db.name")).isEqualTo("from-db-name");
        assertThat(s.get("db.port")).isEqualTo("5432");
        assertThat(s.values().get("db.user").origin()).isEqualTo("env file .env.production (DATABASE_URL)");
    }

    @Test
    void databaseUrlWithASocketDirectory() {
        Settings a = settings(Map.of("DATABASE_URL", "postgresql://mastodon@/mastodon_production?host=/var/run/postgresql"),
                Map.of(), props());
        assertThat(a.problems()).isEmpty();
        assertThat(a.get("db.host")).isEqualTo("/var/run/postgresql");
        assertThat(a.get("db.user")).isEqualTo("mastodon");
        assertThat(a.get("db.name")).isEqualTo("mastodon_production");
        Settings b = settings(Map.of("DATABASE_URL", "postgresql://masto:pw@%2Frun%2Fpostgresql:5433/live"), Map.of(), props());
        assertThat(b.problems()).isEmpty();
        assertThat(b.get("db.host")).isEqualTo("/run/postgresql");
        assertThat(b.get("db.port")).isEqualTo("5433");
        assertThat(b.get("db.user")).isEqualTo("masto");
    }

    @Test
    void databaseUrlWithIpv6Host() {
        Settings s = settings(Map.of("DATABASE_URL", "postgresql://u:p@[::1]:5444/d"), Map.of(), props());
        assertThat(s.get("db.host")).isEqualTo("::1");
        assertThat(s.get("db.port")).isEqualTo("5444");
    }

    @Test
    void badDatabaseUrlIsAProblemNamingTheFix() {
        Settings s = settings(Map.of("DATABASE_URL", "mysql://u@h/d"), Map.of(), props());
        assertThat(s.problems()).singleElement().asString().contains("DATABASE_URL (environment (DATABASE_URL))")
                .contains("postgresql://USER:PASSWORD@HOST:PORT/DATABASE");
        Settings port = settings(Map.of("DATABASE_URL", "postgresql://u@h:abc/d"), Map.of(), props());
        assertThat(port.problems()).singleElement().asString().contains("port 'abc'");
        Settings dbPort = settings(Map.of("DB_PORT", "five"), Map.of(), props());
        assertThat(dbPort.problems()).singleElement().asString().contains("DB_PORT (environment (DB_PORT)) is 'five'");
    }

    @Test
    void targetUsesTheTargetPrefixAndDefaultsPermissionAndKeyPrefixToTheSource() {
        Map<String, String> env = new HashMap<>(Map.of("S3_BUCKET", "old", "S3_PERMISSION", "", "S3_KEY_PREFIX", "masto",
                "AWS_ACCESS_KEY_ID", "src-key", "TARGET_S3_BUCKET", "new", "TARGET_AWS_ACCESS_KEY_ID", "dst-key",
                "TARGET_AWS_SECRET_ACCESS_KEY", "dst-secret", "TARGET_S3_REGION", "eu-central-1"));
        Settings s = settings(env, Map.of(), props());
        assertThat(s.get("source.bucket")).isEqualTo("old");
        assertThat(s.get("target.bucket")).isEqualTo("new");
        assertThat(s.get("target.access-key")).isEqualTo("dst-key");
        assertThat(s.get("source.access-key")).isEqualTo("src-key");
        assertThat(s.get("target.region")).isEqualTo("eu-central-1");
        assertThat(s.get("source.region")).isEqualTo("us-east-1");
        // an empty S3_PERMISSION (no ACL, e.g. R2) carries over to the target
        assertThat(s.values().get("target.permission"))
                .isEqualTo(new Settings.Value("", "same as source (environment (S3_PERMISSION))", false));
        assertThat(s.values().get("target.key-prefix").value()).isEqualTo("masto");
        assertThat(s.values().get("target.key-prefix").origin()).startsWith("same as source");

        env.put("TARGET_S3_PERMISSION", "private");
        assertThat(settings(env, Map.of(), props()).values().get("target.permission"))
                .isEqualTo(new Settings.Value("private", "environment (TARGET_S3_PERMISSION)", false));
        Settings dflt = settings(Map.of("S3_BUCKET", "b"), Map.of(), props());
        assertThat(dflt.get("source.permission")).isEqualTo("public-read");
        assertThat(dflt.values().get("target.permission").value()).isEqualTo("public-read");
    }

    @Test
    void s3HostnameIsOnlyForPublicUrlsNotTheApiEndpoint() {
        // Mastodon's paperclip.rb uses S3_HOSTNAME for the URLs it generates; the API is AWS's for S3_REGION
        Settings s = settings(Map.of("S3_HOSTNAME", "s3.eu-west-1.amazonaws.com", "S3_REGION", "eu-west-1"),
                Map.of(), props());
        assertThat(s.get("source.endpoint")).isNull();
        assertThat(s.get("source.path-style")).isEqualTo("false");
    }

    @Test
    void endpointMeansPathStyleUnlessOverridden() {
        Settings s = settings(Map.of("S3_ENDPOINT", "https://s3.eu.example", "TARGET_S3_ENDPOINT", "https://r2.example",
                "TARGET_S3_OVERRIDE_PATH_STYLE", "true"), Map.of(), props());
        assertThat(s.values().get("source.path-style")).isEqualTo(new Settings.Value("true", "derived from endpoint", false));
        assertThat(s.values().get("target.path-style"))
                .isEqualTo(new Settings.Value("false", "environment (TARGET_S3_OVERRIDE_PATH_STYLE)", false));
        Settings none = settings(Map.of(), Map.of(), props());
        assertThat(none.get("source.path-style")).isEqualTo("false");
        assertThat(none.values().get("source.path-style").origin()).isEqualTo("default");
        // an endpoint without a scheme gets S3_PROTOCOL's
        Settings bare = settings(Map.of("S3_ENDPOINT", "minio.local:9000", "S3_PROTOCOL", "http"), Map.of(), props());
        assertThat(bare.get("source.endpoint")).isEqualTo("http://minio.local:9000");
    }

    @Test
    void secretsAreMaskedInDisplayButKeptAsValues() {
        Settings s = settings(Map.of("AWS_SECRET_ACCESS_KEY", "sekrit-value", "DB_PASS", "hunter2",
                "DB_TUNNEL_KEY_PASSPHRASE", "phrase-xyz", "TARGET_AWS_ACCESS_KEY_ID", "AKIAEXAMPLE"), Map.of(),
                props("db.tunnel.key-passphrase", "", "db.tunnel.host", ""));
        assertThat(s.get("source.secret-key")).isEqualTo("sekrit-value");
        for (String k : new String[] {"source.secret-key", "db.password", "db.tunnel.key-passphrase", "target.access-key"}) {
            Settings.Value v = s.values().get(k);
            assertThat(v.secret()).as(k).isTrue();
            assertThat(v.display()).as(k).startsWith("******").doesNotContain(v.value());
        }
        assertThat(s.values().get("db.tunnel.host").display()).isEqualTo("(unset)");
        assertThat(Settings.mask("")).isEqualTo("(empty)");
        assertThat(Settings.isSecretName("db.tunnel.key-passphrase")).isTrue();
        assertThat(Settings.isSecretName("db.tunnel.key-file")).isFalse();
    }

    @Test
    void theSourceIsMastodonsLocalStorageUnlessS3IsEnabled() {
        java.nio.file.Path live = java.nio.file.Path.of("/home/mastodon/live");
        // Mastodon's rule: S3 only when S3_ENABLED is exactly 'true'
        Settings local = new Settings(Map.of(), Map.of("S3_ENABLED", "false", "S3_BUCKET", "b"), ".env.production", live,
                props());
        assertThat(local.get("source.kind")).isEqualTo("directory");
        assertThat(local.values().get("source.kind").origin()).contains("S3_ENABLED is not 'true'");
        assertThat(local.get("source.root")).isEqualTo("/home/mastodon/live/public/system");
        Settings on = new Settings(Map.of(), Map.of("S3_ENABLED", "true", "S3_BUCKET", "b"), ".env.production", live,
                props());
        assertThat(on.get("source.kind")).isEqualTo("bucket");
        // unset: the bucket decides
        assertThat(settings(Map.of("S3_BUCKET", "b"), Map.of(), props()).get("source.kind")).isEqualTo("bucket");
        assertThat(settings(Map.of(), Map.of(), props()).get("source.kind")).isEqualTo("directory");
        // PAPERCLIP_ROOT_PATH, with Paperclip's :rails_root and relative to Mastodon's directory
        assertThat(new Settings(Map.of(), Map.of("PAPERCLIP_ROOT_PATH", ":rails_root/public/media"), ".env.production",
                live, props()).get("source.root")).isEqualTo("/home/mastodon/live/public/media");
        assertThat(new Settings(Map.of(), Map.of("PAPERCLIP_ROOT_PATH", "storage"), ".env.production", live, props())
                .get("source.root")).isEqualTo("/home/mastodon/live/storage");
        assertThat(new Settings(Map.of("PAPERCLIP_ROOT_PATH", "/srv/media"), Map.of(), ".env.production", live, props())
                .get("source.root")).isEqualTo("/srv/media");
        // without an env file nothing names the root
        assertThat(settings(Map.of(), Map.of(), props()).get("source.root")).isNull();
    }

    @Test
    void theTargetIsADirectoryOnlyWhenTargetS3IsDisabled() {
        assertThat(settings(Map.of("TARGET_S3_BUCKET", "t"), Map.of(), props()).get("target.kind")).isEqualTo("bucket");
        assertThat(settings(Map.of(), Map.of(), props()).get("target.kind")).isEqualTo("bucket");
        Settings dirTarget = settings(Map.of("TARGET_S3_ENABLED", "false", "TARGET_PAPERCLIP_ROOT_PATH", "/mnt/new/system"),
                Map.of(), props());
        assertThat(dirTarget.get("target.kind")).isEqualTo("directory");
        assertThat(dirTarget.get("target.root")).isEqualTo("/mnt/new/system");
        // the source's root is never the target's default
        assertThat(new Settings(Map.of("TARGET_S3_ENABLED", "false"), Map.of(), ".env.production",
                java.nio.file.Path.of("/home/mastodon/live"), props()).get("target.root")).isNull();
    }
}
