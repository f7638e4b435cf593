package mastodon.s3sync;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** run with recover.follow-log: what is checked before anything starts. */
class PreflightFollowLogTest {

    @TempDir
    Path dir;

    @Test
    void aReadableLogRelativeToTheWorkingDirectoryPasses() throws Exception {
        Files.createDirectories(dir.resolve("nginx"));
        Files.writeString(dir.resolve("nginx/access.log"), "");
        Map<String, String> props = new HashMap<>(Map.of("recover.follow-log", "nginx/access.log"));
        assertThat(Preflight.followLog(props::get, dir)).isNull();
        // Preflight only checks: run makes the path absolute (CommandConfigureTest)
        assertThat(props).containsExactly(Map.entry("recover.follow-log", "nginx/access.log"));
    }

    @Test
    void aMissingLogOrABadRuleIsRefused() throws Exception {
        Map<String, String> props = new HashMap<>(Map.of("recover.follow-log", "nginx/access.log"));
        assertThat(Preflight.followLog(props::get, dir)).startsWith("recover.follow-log " + dir.resolve("nginx/access.log")
                .toAbsolutePath() + " cannot be read. Fix: point RECOVER_FOLLOW_LOG at nginx's current access log");
        Files.writeString(dir.resolve("access.log"), "");
        props = new HashMap<>(Map.of("recover.follow-log", "access.log", "recover.statuses", "4xx,x"));
        assertThat(Preflight.followLog(props::get, dir)).startsWith("recover.statuses '4xx,x': 'x' is not a status term");
    }
}
