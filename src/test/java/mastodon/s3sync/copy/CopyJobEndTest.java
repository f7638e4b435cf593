package mastodon.s3sync.copy;

import static mastodon.s3sync.copy.CopyBookkeepingFixture.options;
import static mastodon.s3sync.copy.CopyBookkeepingFixture.plan;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The end of a pass: exit code, report, summary, checkpoints; the progress line and run's pass-end line. */
@Timeout(60)
class CopyJobEndTest {

    @TempDir
    Path state;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    private CopyJob job(String... more) {
        CopyJob job = new CopyJob(options(state, more), new MastodonKeys());
        job.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        job.parts().cursors().start("accounts", 0, 3, false);
        return job;
    }

    private String printed() {
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void aCompletePassExitsZeroWithItsReportSummaryAndCheckpoint() throws IOException {
        CopyJob job = job();
        assertThat(job.isComplete()).isFalse();
        List<CopyTask> t = plan(job, 1, 2);
        job.parts().planner().plan("accounts", 2, List.of());
        job.parts().cursors().scanned("accounts");
        assertThat(job.isComplete()).as("objects in flight").isFalse();
        job.parts().outcomes().copied(t.get(0), 2_000_000L, false);
        job.parts().outcomes().skipped(t.get(1));
        assertThat(job.isComplete()).isTrue();
        assertThat(job.finish()).isZero();
        assertThat(job.finish()).as("ends once").isEqualTo(1);
        JsonNode report = new ObjectMapper().readTree(state.resolve("copy-report.json").toFile());
        assertThat(report.at("/tables/accounts/copied").asLong()).isEqualTo(1);
        assertThat(report.at("/tables/accounts/skipped").asLong()).isEqualTo(1);
        assertThat(report.at("/tables/accounts/checkpoint").asLong()).isEqualTo(2);
        assertThat(report.at("/tables/accounts/bytes").asLong()).isEqualTo(2_000_000);
        assertThat(report.has("stoppedBecause")).isFalse();
        assertThat(report.get("failed")).isEmpty();
        assertThat(printed()).contains("copy", "rows", "copied", "skipped", "missing at source", "ids covered")
                .containsPattern("accounts\\s+2\\s+1\\s+1\\s+0\\s+0\\s+2\\.0  after 0 to 2")
                .containsPattern("total\\s+2\\s+1\\s+1\\s+0\\s+0\\s+2\\.0")
                .contains("Report: " + state.resolve("copy-report.json"));
        assertThat(new CheckpointStore(state, "copy", job.options().identity()).load("accounts").lastId())
                .hasValue(2);
    }

    @Test
    void aFailureMakesExitOneAndIsListedInTheSummaryAndReport() throws IOException {
        CopyJob job = job();
        List<CopyTask> t = plan(job, 1);
        job.parts().outcomes().failed(t.get(0), new IOException("connection reset"));
        assertThat(job.finish()).isEqualTo(1);
        assertThat(printed()).contains("1 object(s) failed; the first ones:",
                "  accounts id 1 accounts/avatars/000/000/001/original/a1.png: ");
        JsonNode report = new ObjectMapper().readTree(state.resolve("copy-report.json").toFile());
        assertThat(report.at("/failed/0/key").asText()).isEqualTo("accounts/avatars/000/000/001/original/a1.png");
        assertThat(report.at("/failed/0/id").asLong()).isEqualTo(1);
    }

    @Test
    void stopSaysWhyInTheSummaryAndReport() throws IOException {
        CopyJob job = job();
        plan(job, 1);
        assertThat(job.stop("the target store failed every request for 3 minutes")).isEqualTo(1);
        assertThat(printed()).contains("Stopped before the end: the target store failed every request");
        JsonNode report = new ObjectMapper().readTree(state.resolve("copy-report.json").toFile());
        assertThat(report.get("stoppedBecause").asText()).startsWith("the target store");
        job.shutdown(); // Camel stops afterwards: nothing printed twice
        assertThat(printed().split("Stopped before the end", -1)).hasSize(2);
    }

    @Test
    void theRepairSummaryHasAColumnPerKindOfFix() {
        CopyJob job = job("copy.mode", "repair", "source.permission", "");
        List<CopyTask> t = plan(job, 1);
        job.parts().outcomes().repaired(t.get(0), new ObjectRepair.Fixes(null, true, null, null, "Cache-Control"), 5L);
        job.finish();
        assertThat(printed()).contains("repaired", "type", "cache", "acl", "unchanged")
                .containsPattern("accounts\\s+1\\s+1\\s+0\\s+1\\s+0\\s+0\\s+0\\s+0  after 0 to 1")
                .contains("ACLs were not checked: S3_PERMISSION is empty");
    }

    @Test
    void theProgressLineNamesTheTablesStillMovingAndRunSaysWhenAPassEnds() {
        CopyJob job = job("copy.follow", "true");
        job.parts().cursors().rearm("accounts");
        List<CopyTask> t = plan(job, 1, 2);
        job.parts().outcomes().copied(t.get(0), 10L, false);
        assertThat(job.parts().progress().progressLines()).singleElement().asString()
                .startsWith("rows 1/3 (33%) | copied 1, skipped 0, missing at source 0, failed 0 |")
                .endsWith("| ETA - | working: accounts 33%");
        assertThat(job.parts().progress().passEnded(60_000)).as("an object in flight").isNull();
        job.parts().outcomes().copied(t.get(1), 10L, false);
        job.parts().planner().plan("accounts", 2, List.of());
        job.parts().cursors().scanned("accounts");
        assertThat(job.parts().progress().passEnded(60_000)).startsWith("Pass 1 done: copied 2, skipped 0, "
                + "missing at source 0, failed 0 | next look for new rows at ").endsWith("(every 60 s)");
        assertThat(job.parts().progress().passEnded(60_000)).as("once per pass").isNull();
        assertThat(job.isComplete()).as("run never completes").isFalse();
    }
}
