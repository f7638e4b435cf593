package mastodon.s3sync;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import mastodon.s3sync.testing.PostgresServer;
import mastodon.s3sync.testing.RealServers;
import mastodon.s3sync.testing.S3Server;
import mastodon.s3sync.testing.SourceStore;
import mastodon.s3sync.testing.TargetStore;

/** The copy's state directory does not depend on where the command was started. */
@Timeout(120)
@RealServers
class StateLocationTest {

    private static PostgresServer pg;
    private static S3Server source;
    private static S3Server target;

    @BeforeAll
    static void servers(PostgresServer sharedPg, @SourceStore S3Server sharedSource, @TargetStore S3Server sharedTarget)
            throws Exception {
        pg = sharedPg;
        source = sharedSource;
        target = sharedTarget;
        RequiredSettingsTest.mastodon(pg, "mastodon_state", source, target);
        target.createBucket("media-other");
    }

    static Map<String, String> env(Path stateHome) {
        Map<String, String> env = RequiredSettingsTest.complete(pg, "mastodon_state", source, target);
        env.put("XDG_STATE_HOME", stateHome.toString());
        return env;
    }

    /** The state directory the command hands to the routes, started in {@code workDir}. */
    static String stateDirOf(Map<String, String> env, Path workDir, String... args) {
        Map<String, String> launched = new HashMap<>();
        InProcessRunner.Result r = new InProcessRunner(env, workDir).launcher((files, props) -> {
            launched.putAll(props);
            return 0;
        }).run(args);
        assertThat(r.code()).as(r.err()).isZero();
        return launched.get("copy.state-dir");
    }

    @Test
    void withoutASettingEveryDirectoryGetsTheSameStateForTheSameCopy(@TempDir Path dir) throws Exception {
        Path home = dir.resolve("xdg-state");
        Path a = Files.createDirectories(dir.resolve("a"));
        Path b = Files.createDirectories(dir.resolve("b/c"));
        Map<String, String> env = env(home);
        String fromA = stateDirOf(env, a, "copy");
        String fromB = stateDirOf(env, b, "verify");
        assertThat(fromA).isEqualTo(fromB).startsWith(home.resolve("mastodon-s3-sync").toString());
        assertThat(Path.of(fromA).getFileName().toString()).matches("mastodon_state-media-to-media-new-[0-9a-f]{8}");
        assertThat(Files.exists(a.resolve("state"))).as("no fresh ./state").isFalse();

        // another copy (another target) gets its own
        env.put("TARGET_S3_BUCKET", "media-other");
        assertThat(stateDirOf(env, a, "copy")).isNotEqualTo(fromA).contains("-to-media-other-");

        // without XDG_STATE_HOME: ~/.local/state
        env.remove("XDG_STATE_HOME");
        env.put("HOME", dir.resolve("home").toString());
        assertThat(stateDirOf(env, a, "copy")).startsWith(dir.resolve("home/.local/state/mastodon-s3-sync").toString());
    }

    @Test
    void anExplicitSettingOrAnExistingStateDirectoryWins(@TempDir Path dir) throws Exception {
        Map<String, String> env = env(dir.resolve("xdg-state"));
        Path work = Files.createDirectories(dir.resolve("work"));
        env.put("COPY_STATE_DIR", "here/state");
        assertThat(stateDirOf(env, work, "copy")).isEqualTo(work.resolve("here/state").toAbsolutePath().toString());

        // a checkout used so far, or the Docker image's /app/state: ./state when it exists
        env.remove("COPY_STATE_DIR");
        Files.createDirectories(work.resolve("state"));
        assertThat(stateDirOf(env, work, "copy")).isEqualTo(work.resolve("state").toAbsolutePath().toString());
    }
}
