package mastodon.s3sync;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import mastodon.s3sync.testing.PostgresServer;
import mastodon.s3sync.testing.RealServers;
import mastodon.s3sync.testing.S3Server;
import mastodon.s3sync.testing.SourceStore;
import mastodon.s3sync.testing.TargetStore;

/**
 * Against real servers (PostgreSQL, two s3proxy stores): a complete configuration gets through every startup check
 * to the launch of the routes; with one required setting removed or pointing at nothing, the preflight that connects
 * stops it with exit 2 and one line naming the setting and the fix, and nothing is launched.
 */
@Timeout(180)
@RealServers
class RequiredSettingsTest {

    private static PostgresServer pg;
    private static S3Server source;
    private static S3Server target;

    @BeforeAll
    static void servers(PostgresServer sharedPg, @SourceStore S3Server sharedSource, @TargetStore S3Server sharedTarget)
            throws Exception {
        pg = sharedPg;
        source = sharedSource;
        target = sharedTarget;
        mastodon(pg, "mastodon_live", source, target);
    }

    /** A Mastodon database {@code db} (the newest schema), the source bucket "media", the target bucket "media-new". */
    static void mastodon(PostgresServer pg, String db, S3Server source, S3Server target) throws Exception {
        pg.createDatabase(db);
        new mastodon.s3sync.testing.MastodonFixture(pg.dataSource(db)).createSchema();
        source.createBucket("media");
        target.createBucket("media-new");
    }

    static Map<String, String> complete() {
        return complete(pg, "mastodon_live", source, target);
    }

    /** Every setting copy needs: the database, the source bucket "media", the target bucket "media-new". */
    static Map<String, String> complete(PostgresServer pg, String db, S3Server source, S3Server target) {
        Map<String, String> env = new HashMap<>();
        env.put("DB_HOST", pg.host());
        env.put("DB_PORT", Integer.toString(pg.port()));
        env.put("DB_NAME", db);
        env.put("DB_USER", pg.user());
        env.put("DB_SSLMODE", "disable");
        env.put("S3_BUCKET", "media");
        env.put("S3_ENDPOINT", source.endpoint());
        env.put("AWS_ACCESS_KEY_ID", source.accessKey);
        env.put("AWS_SECRET_ACCESS_KEY", source.secretKey);
        env.put("TARGET_S3_BUCKET", "media-new");
        env.put("TARGET_S3_ENDPOINT", target.endpoint());
        env.put("TARGET_AWS_ACCESS_KEY_ID", target.accessKey);
        env.put("TARGET_AWS_SECRET_ACCESS_KEY", target.secretKey);
        return env;
    }

    /** A run whose routes went to a launcher that records their files and returns 42 instead of starting Camel. */
    record Launch(InProcessRunner.Result result, List<String> launched) {
        int code() {
            return result.code();
        }

        String err() {
            return result.err();
        }
    }

    static Launch run(Path dir, Map<String, String> env, String... args) {
        List<String> launched = new java.util.ArrayList<>();
        InProcessRunner.Result r = new InProcessRunner(env, dir).launcher((files, props) -> {
            launched.addAll(files);
            return 42;
        }).run(args);
        return new Launch(r, launched);
    }

    @Test
    void aCompleteConfigurationReachesTheLaunch(@TempDir Path dir) {
        for (String command : List.of("copy", "verify")) {
            Launch r = run(dir, complete(), command, "--limit", "10", "--only", "accounts");
            assertThat(r.err()).isEmpty();
            // the route files: verify's routes are verify.camel.yaml's, which copy does not load
            assertThat(r.launched()).containsExactlyElementsOf(
                    command.equals("verify") ? List.of("copy", "verify") : List.of("copy"));
            assertThat(r.code()).isEqualTo(42);
        }
    }

    static Stream<Arguments> missingOrWrong() {
        return Stream.of(
                Arguments.of("S3_BUCKET", null),
                Arguments.of("TARGET_S3_BUCKET", null),
                Arguments.of("S3_BUCKET", "no-such-bucket"),
                Arguments.of("TARGET_S3_BUCKET", "no-such-bucket"),
                Arguments.of("AWS_SECRET_ACCESS_KEY", "wrong-secret"),
                Arguments.of("TARGET_AWS_ACCESS_KEY_ID", "wrong-key"),
                Arguments.of("DB_NAME", null), // the default, mastodon_production, does not exist here
                Arguments.of("DB_NAME", "no_such_db"),
                Arguments.of("DB_USER", null), // the default, mastodon, is no role here
                Arguments.of("DB_PORT", null)); // the default, 5432: nothing of ours listens there
    }

    @ParameterizedTest(name = "{0}={1}")
    @MethodSource("missingOrWrong")
    void aMissingOrWrongRequiredSettingStopsAtStartup(String name, String value, @TempDir Path dir) {
        Map<String, String> env = complete();
        if (value == null) {
            env.remove(name);
        } else {
            env.put(name, value);
        }
        Launch r = run(dir, env, "copy");
        String all = r.result().all();
        assertThat(r.code()).as(all).isEqualTo(Application.BAD_CONFIG);
        List<String> errors = all.lines().filter(l -> l.startsWith("error:")).toList();
        assertThat(errors).as(all).singleElement().asString().contains(name).contains("Fix:");
        assertThat(all).doesNotContain("Exception").doesNotContain("\tat ").doesNotContain(source.secretKey)
                .doesNotContain(target.secretKey);
        assertThat(r.launched()).isEmpty();
    }
}
