package mastodon.s3sync.mirror;

import static mastodon.s3sync.mirror.MirrorHarness.created;
import static mastodon.s3sync.mirror.MirrorHarness.message;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import mastodon.s3sync.testing.PostgresServer;
import mastodon.s3sync.testing.S3Server;
import mastodon.s3sync.testing.TargetStore;

/** One service copies and mirrors: `run` starts the mirror routes next to the copy routes when mirror.config is set. */
@Timeout(180)
@MirrorServers
class MirrorWithRunTest {

    @TempDir
    Path tmp;

    @Test
    void runAlsoMirrorsWhenConfigured(MirrorHarness h, @TargetStore S3Server target, PostgresServer pg) throws Exception {
        pg.createDatabase("mastodon_mirror");
        String schema = new String(MirrorWithRunTest.class.getResourceAsStream("/mastodon-schema/mastodon-4.6.sql").readAllBytes(),
                StandardCharsets.UTF_8);
        try (Connection c = pg.dataSource("mastodon_mirror").getConnection(); Statement s = c.createStatement()) {
            s.execute(schema);
        }
        target.createBucket("target");
        String queue = h.queue("run", 2, null);
        Path srv = tmp.resolve("srv");
        Path config = MirrorHarness.config(tmp, "{\"queue\": \"" + queue + "\", \"sync\": {\"test-folder/\": \""
                + srv + "\"}}");
        Path work = Files.createDirectories(tmp.resolve("work"));
        h.put("test-folder/from-run.txt", "mirrored by run");
        h.send(queue, message(created("test-folder/from-run.txt", 15, "0010")));
        Map<String, String> env = Map.ofEntries(
                Map.entry("MIRROR_CONFIG", config.toString()),
                Map.entry("S3_BUCKET", MirrorHarness.BUCKET), Map.entry("S3_ENDPOINT", h.s3.endpoint()),
                Map.entry("TARGET_S3_BUCKET", "target"), Map.entry("TARGET_S3_ENDPOINT", target.endpoint()),
                Map.entry("TARGET_AWS_ACCESS_KEY_ID", target.accessKey),
                Map.entry("TARGET_AWS_SECRET_ACCESS_KEY", target.secretKey),
                Map.entry("DB_HOST", pg.host()), Map.entry("DB_PORT", Integer.toString(pg.port())),
                Map.entry("DB_NAME", "mastodon_mirror"), Map.entry("DB_USER", pg.user()),
                Map.entry("DB_SSLMODE", "disable"),
                Map.entry("COPY_STATE_DIR", tmp.resolve("state").toString()),
                Map.entry("MIRROR_STATE_DIR", tmp.resolve("state/mirror").toString()));
        // `run` never ends by itself: stopped once the message is applied and the queue is empty
        MirrorHarness.Run run = h.runUntilDone(work, env, Duration.ofSeconds(90), queue, 1, "run");
        assertThat(run.err()).doesNotContain("error:");
        assertThat(MirrorHarness.tree(srv)).containsExactly(entry("from-run.txt", "mirrored by run"));
        assertThat(h.pending(queue)).isZero();
    }
}
