package mastodon.s3sync.mirror;

import static mastodon.s3sync.mirror.MirrorHarness.BUCKET;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;

import org.junit.jupiter.api.Test;

import mastodon.s3sync.testing.LogCapture;

/**
 * mirror.file-log-level=debug (as an admin may write it), below the log's INFO: the line per file written or deleted
 * is left out, while the files, the counters and the other outcomes' lines are as at the default
 * (MirrorRoutesTest.aLinePerFileAtInfo).
 */
class MirrorRoutesFileLogLevelTest extends MirrorRouteTestSupport {

    @Override
    String unmapped() {
        return "ack";
    }

    @Override
    String fileLogLevel() {
        return "debug";
    }

    @Test
    void noLinePerFileBelowTheLevel() throws Exception {
        context.start();
        h.put("test-folder/quiet.txt", "quiet");
        try (LogCapture log = new LogCapture("mastodon.s3sync.mirror")) {
            apply(event("ObjectCreated:Put", BUCKET, "test-folder/quiet.txt", "0010"));
            assertThat(Files.readString(a.resolve("quiet.txt"))).isEqualTo("quiet");
            apply(event("ObjectRemoved:Delete", BUCKET, "test-folder/quiet.txt", "0020"));
            assertThat(a.resolve("quiet.txt")).doesNotExist();
            apply(event("ObjectRemoved:Delete", BUCKET, "test-folder/quiet.txt", "0030"));
            // an outcome that is not a file written or deleted keeps its own level
            apply(event("ObjectCreated:Put", BUCKET, "test-folder/quiet.txt", "0005"));
            assertThat(log.text()).doesNotContain("mirror: wrote").doesNotContain("mirror: deleted")
                    .contains("INFO mirror: skipped ObjectCreated:Put media/test-folder/quiet.txt");
        }
        assertThat(count("created")).isEqualTo(1);
        assertThat(count("removed")).isEqualTo(2);
        assertThat(count("stale")).isEqualTo(1);
    }
}
