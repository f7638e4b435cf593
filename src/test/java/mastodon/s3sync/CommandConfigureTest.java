package mastodon.s3sync;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * What each command derives for its routes before they start (Preflight only checks): no server needed, the
 * derivations are plain map changes. The end-to-end command tests prove the routes run with them.
 */
@Timeout(30)
class CommandConfigureTest {

    @TempDir
    Path work;

    private Invocation inv() {
        return new Invocation(Map.of("XDG_STATE_HOME", work.resolve("xdg").toString()),
                new PrintStream(new ByteArrayOutputStream()), new PrintStream(new ByteArrayOutputStream()), work,
                (files, props) -> {
                    throw new AssertionError("configure starts nothing");
                });
    }

    private static Map<String, String> props(String... kv) {
        Map<String, String> p = new HashMap<>(Map.of("source.bucket", "media", "target.bucket", "media-new",
                "db.name", "mastodon", "management.enabled", "true"));
        for (int i = 0; i < kv.length; i += 2) {
            p.put(kv[i], kv[i + 1]);
        }
        return p;
    }

    @Test
    void copyIsOnePassIntoTheCopyQueueWithAnAbsoluteStateDirectory() {
        Map<String, String> p = props("copy.report-file", "reports/copy.json");
        StateLocation.Resolved state = new CopyCommand(inv(), "copy").configure(p);
        assertThat(p).containsEntry("copy.mode", "copy").containsEntry("copy.follow", "false")
                .containsEntry("copy.timer-repeat-count", "1").containsEntry("copy.sink", "seda:copy-queue")
                .containsEntry("camel.main.routes-reload-enabled", "false").containsEntry("management.enabled", "false")
                .containsEntry("copy.state-dir", state.dir().toString())
                .containsEntry("copy.report-file", work.resolve("reports/copy.json").toAbsolutePath().toString());
        assertThat(state.dir()).isAbsolute().startsWithRaw(work.resolve("xdg"));
    }

    @Test
    void eachCommandPicksItsModeAndSink() {
        Map<String, String> verify = props();
        new CopyCommand(inv(), "verify").configure(verify);
        assertThat(verify).containsEntry("copy.mode", "verify").containsEntry("copy.sink", "seda:verify-queue")
                .containsEntry("camel.main.route-filter-exclude-pattern", CopyCommand.VERIFY_EXCLUDES);
        Map<String, String> copy = props();
        new CopyCommand(inv(), "copy").configure(copy);
        assertThat(copy).as("only the routes a copy sends to are built")
                .containsEntry("camel.main.route-filter-exclude-pattern", CopyCommand.COPY_EXCLUDES);
        Map<String, String> run = props();
        new CopyCommand(inv(), "run").configure(run);
        assertThat(run).as("run reloads its route files: all of them").doesNotContainKey(
                "camel.main.route-filter-exclude-pattern");

        Map<String, String> dryRun = props("copy.dry-run", "true");
        new CopyCommand(inv(), "copy").configure(dryRun);
        assertThat(dryRun).containsEntry("copy.sink", "direct:print-key");

        Map<String, String> dev = props("copy.dev", "true");
        new CopyCommand(inv(), "copy").configure(dev);
        assertThat(dev).containsEntry("copy.sink", "direct:copy-object").containsEntry("copy.object-log-level", "INFO");

        Map<String, String> repair = props();
        new CopyCommand(inv(), "repair").configure(repair);
        assertThat(repair).containsEntry("copy.mode", "repair").containsEntry("copy.sink", "seda:repair-queue")
                .containsEntry("copy.list-target", "false")
                .containsEntry("camel.main.route-filter-exclude-pattern", CopyCommand.REPAIR_EXCLUDES);
    }

    @Test
    void runFollowsAndKeepsItsManagementPortAndMakesTheAccessLogAbsolute() {
        Map<String, String> p = props("recover.follow-log", " nginx/access.log ");
        new CopyCommand(inv(), "run").configure(p);
        assertThat(p).containsEntry("copy.follow", "true").containsEntry("copy.timer-repeat-count", "0")
                .containsEntry("management.enabled", "true").doesNotContainKey("camel.main.routes-reload-enabled")
                .containsEntry("recover.follow-log", work.resolve("nginx/access.log").toAbsolutePath().toString());

        Map<String, String> copy = props("recover.follow-log", "nginx/access.log");
        new CopyCommand(inv(), "copy").configure(copy);
        assertThat(copy).as("only run follows the log").containsEntry("recover.follow-log", "nginx/access.log");
    }

    @Test
    void recoverMakesLogsAndItsReportAbsolute() {
        Map<String, String> p = props("recover.logs", "logs/access.log, /var/log/nginx/access.log.2.gz,",
                "recover.report-file", "");
        new RecoverCommand(inv()).configure(p);
        assertThat(p).containsEntry("recover.logs", work.resolve("logs/access.log").toAbsolutePath() + ","
                        + "/var/log/nginx/access.log.2.gz")
                .containsEntry("recover.report-file", work.resolve("xdg/mastodon-s3-sync/recover-subscriptions-mastodon.csv")
                        .toString())
                .doesNotContainKey("recover.ssh.key-file");
    }
}
