package mastodon.s3sync;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import mastodon.s3sync.testing.LogCapture;
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
    void anExplicitSettingOrThisCopysCheckpointsInStateWin(@TempDir Path dir) throws Exception {
        Map<String, String> env = env(dir.resolve("xdg-state"));
        Path work = Files.createDirectories(dir.resolve("work"));
        env.put("COPY_STATE_DIR", "here/state");
        assertThat(stateDirOf(env, work, "copy")).isEqualTo(work.resolve("here/state").toAbsolutePath().toString());
        env.remove("COPY_STATE_DIR");
        String own = stateDirOf(env, work, "copy");

        // a ./state made by something else (the Jolokia users file, another copy's checkpoints) does not decide
        Path local = Files.createDirectories(work.resolve("state"));
        Files.writeString(local.resolve("jolokia-users.properties"), "user.hawtio = x\n");
        Files.writeString(local.resolve("copy-accounts.checkpoint"), "42\ndatabase elsewhere:5432/other | source x\n");
        assertThat(stateDirOf(env, work, "copy")).isEqualTo(own);

        // this copy's checkpoints left there by an earlier version: used, so no full re-pass
        Map<String, String> launched = launched(env, work, "copy");
        String identity = mastodon.s3sync.copy.CopyOptions.identity(k -> launched.getOrDefault(k, ""));
        Files.writeString(local.resolve("copy-media_attachments.checkpoint"), "7\n" + identity + "\n");
        assertThat(stateDirOf(env, work, "copy")).isEqualTo(local.toAbsolutePath().toString());
        assertThat(stateDirOf(env, dir, "copy")).as("from elsewhere: its own").isEqualTo(own);
    }

    @Test
    void theStartMessageNamesTheStateDirectory(@TempDir Path dir) throws Exception {
        Map<String, String> env = env(dir.resolve("xdg-state"));
        Path work = Files.createDirectories(dir.resolve("work"));
        String log;
        try (LogCapture capture = new LogCapture("mastodon.s3sync", "%msg%n")) {
            String state = stateDirOf(env, work, "copy");
            log = capture.text();
            assertThat(log).contains("State (checkpoints, reports): " + state
                    + " (this user's state directory for this copy; COPY_STATE_DIR chooses another)");
        }
        env.put("COPY_STATE_DIR", "mine");
        try (LogCapture capture = new LogCapture("mastodon.s3sync", "%msg%n")) {
            stateDirOf(env, work, "copy");
            assertThat(capture.text()).contains("State (checkpoints, reports): " + work.resolve("mine")
                    + " (copy.state-dir / COPY_STATE_DIR)");
        }
    }

    @Test
    void mirrorAndRecoverFollowTheSameRules(@TempDir Path dir) throws Exception {
        Map<String, String> env = Map.of("XDG_STATE_HOME", dir.resolve("xdg").toString());
        Path a = Files.createDirectories(dir.resolve("a"));
        Path b = Files.createDirectories(dir.resolve("b"));
        // the mirror: one per queue, the same from every directory; a ./state (Jolokia's) does not decide
        Files.createDirectories(a.resolve("state"));
        StateLocation.Resolved m = StateLocation.mirror(env, a, "", "media-events");
        assertThat(m.dir()).isEqualTo(dir.resolve("xdg/mastodon-s3-sync/mirror-media-events"))
                .isEqualTo(StateLocation.mirror(env, b, null, "media-events").dir());
        assertThat(StateLocation.mirror(env, a, "", "other").dir()).isNotEqualTo(m.dir());
        // an explicit setting wins, relative to the working directory; an earlier version's ./state/mirror is kept
        assertThat(StateLocation.mirror(env, a, "seq", "media-events").dir()).isEqualTo(a.resolve("seq"));
        Files.createDirectories(b.resolve("state/mirror"));
        assertThat(StateLocation.mirror(env, b, "", "media-events").dir()).isEqualTo(b.resolve("state/mirror"));

        // recover's report: one per database, the same from every directory; an explicit setting wins
        Map<String, String> props = new HashMap<>(Map.of("db.name", "mastodon_production"));
        Path report = dir.resolve("xdg/mastodon-s3-sync/recover-subscriptions-mastodon_production.csv");
        assertThat(StateLocation.recoverReport(env, a, props::get).dir()).isEqualTo(report)
                .isEqualTo(StateLocation.recoverReport(env, b, props::get).dir());
        props.put("recover.report-file", "out/r.csv");
        assertThat(StateLocation.recoverReport(env, a, props::get).dir()).isEqualTo(a.resolve("out/r.csv"));
    }

    @Test
    void jolokiasUsersFileIsTheSameFromEveryDirectory(@TempDir Path dir) throws Exception {
        Map<String, String> env = env(dir.resolve("xdg"));
        Path a = Files.createDirectories(dir.resolve("a"));
        Path b = Files.createDirectories(dir.resolve("b"));
        String key = "management.jolokia-users-file";
        Path own = dir.resolve("xdg/mastodon-s3-sync/jolokia-users.properties");
        // before: state/jolokia-users.properties of each working directory, so another password per directory
        assertThat(launched(env, a, "run").get(key)).isEqualTo(own.toString())
                .isEqualTo(launched(env, b, "run").get(key));
        // an earlier version's file in ./state keeps its password; an explicit setting wins, relative to the directory
        Files.createDirectories(b.resolve("state"));
        Files.writeString(b.resolve("state/jolokia-users.properties"), "user.hawtio = kept\n");
        assertThat(launched(env, b, "run").get(key)).isEqualTo(b.resolve("state/jolokia-users.properties").toString());
        env.put("MANAGEMENT_JOLOKIA_USERS_FILE", "etc/users.properties");
        assertThat(launched(env, a, "run").get(key)).isEqualTo(a.resolve("etc/users.properties").toString());
    }

    static Map<String, String> launched(Map<String, String> env, Path workDir, String... args) {
        Map<String, String> launched = new HashMap<>();
        int code = new Application(env, System.out, new PrintStream(new ByteArrayOutputStream(), true), workDir)
                .launcher((files, props) -> {
                    launched.putAll(props);
                    return 0;
                }).run(args);
        assertThat(code).isZero();
        return launched;
    }
}
