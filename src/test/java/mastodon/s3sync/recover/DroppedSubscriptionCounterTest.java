package mastodon.s3sync.recover;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DroppedSubscriptionCounterTest {

    @TempDir
    Path dir;

    private static AccessLogEntry at(String time) {
        return new AccessLogEntry("10.0.0.1", Instant.parse(time), "POST", "/api/subscriptions/1", null, 404, "-", "ua");
    }

    @Test
    void onlyRequestsFromTheStartSecondOnAreNew() throws Exception {
        Path log = Files.writeString(dir.resolve("access.log"), "x\n");
        DroppedSubscriptionCounter c = new DroppedSubscriptionCounter(log,
                Clock.fixed(Instant.parse("2026-11-20T10:00:00.700Z"), ZoneOffset.UTC));
        assertThat(c.isNew(at("2026-11-20T09:59:59Z"))).isFalse();
        assertThat(c.isNew(at("2026-11-20T10:00:00Z"))).isTrue(); // the log has whole seconds only
        assertThat(c.isNew(at("2026-11-20T10:00:01Z"))).isTrue();
        assertThat(c.isNew(null)).isFalse();
    }

    @Test
    void seesRenameAndCopytruncateRotations() throws Exception {
        Path log = Files.writeString(dir.resolve("access.log"), "line one\nline two\n");
        DroppedSubscriptionCounter c = new DroppedSubscriptionCounter(log, Clock.systemUTC());
        Files.writeString(log, "line one\nline two\nline three\n");
        assertThat(c.rotated()).isFalse(); // grew
        Files.writeString(log, "");
        assertThat(c.rotated()).isTrue(); // truncated (logrotate copytruncate)
        assertThat(c.rotated()).isFalse();
        Files.writeString(log, "a much longer first line than before, much longer\n");
        Files.move(log, dir.resolve("access.log.1"));
        assertThat(c.rotated()).isFalse(); // renamed away, the new file not there yet
        Files.writeString(log, "a much longer first line than before, much longer, and longer still\n");
        assertThat(c.rotated()).isTrue(); // another file under the name
    }
}
