package mastodon.s3sync.copy;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import mastodon.s3sync.testing.Await;
import mastodon.s3sync.testing.ChildJvm;
import mastodon.s3sync.testing.MastodonFixture;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * run, as a separate process: it keeps following new rows until stopped; one progress line per interval with the
 * totals and only the tables still working; a line when each pass ends saying when the next look is due; on SIGTERM
 * a normal stop with the summary, the JSON report and the checkpoint at the last row.
 */
@Timeout(180)
@CopyServers
class RunAliveTest {

    static CopyEnvironment servers;

    @BeforeAll
    static void start(CopyEnvironment shared) throws Exception {
        servers = shared;
    }

    static void waitFor(String what, Path log, java.util.concurrent.Callable<Boolean> ok) throws Exception {
        try {
            Await.until(java.time.Duration.ofSeconds(90), ok, what);
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + "; log:\n" + Files.readString(log), e);
        }
    }

    static String read(Path p) {
        try {
            return Files.exists(p) ? Files.readString(p) : "";
        } catch (java.io.IOException e) {
            return "";
        }
    }

    @Test
    void runSaysWhenAPassEndsAndWritesItsSummaryAndReportOnSigterm(@TempDir Path dir) throws Exception {
        CopyEnvironment.World w = servers.fresh(dir);
        String later = "site_uploads/files/000/000/004/original/4444444444444444.png";
        // three rows at two objects a second: the first pass lasts at least a second, so the progress lines (every
        // 200 ms) are sure to see it working. With one object it could end between two lines (it failed so once)
        for (int id = 1; id <= 3; id++) {
            String name = String.valueOf(id).repeat(16) + ".png";
            String key = "site_uploads/files/000/000/00" + id + "/original/" + name;
            w.fixture.sql("INSERT INTO site_uploads (id, var, file_file_name, file_content_type) VALUES (" + id
                    + ", 'var" + id + "', '" + name + "', 'image/png')");
            try (S3Client s3 = servers.source.client()) {
                MastodonFixture.put(s3, w.sourceBucket, "", key, MastodonFixture.bytes(key, 100));
            }
        }
        w.env.put("COPY_POLL_INTERVAL", "1000");
        w.env.put("COPY_PROGRESS_INTERVAL", "200");
        w.env.put("COPY_REQUESTS_PER_SECOND", "2");
        Path log = dir.resolve("run.log");
        Process p = ChildJvm.start(w.workDir, w.env, log, "-Xmx256m", "run", "--only", "site_uploads,backups");
        try {
            waitFor("the first pass", log, () -> read(log).contains("Pass 1 done: copied 3, skipped 0, missing at "
                    + "source 0, failed 0 | next look for new rows at "));
            assertThat(read(log)).contains("(every 1 s)");
            // a new row: the next pass copies it and says so
            w.fixture.sql("INSERT INTO site_uploads (id, var, file_file_name, file_content_type) VALUES "
                    + "(4, 'thumbnail', '4444444444444444.png', 'image/png')");
            try (S3Client s3 = servers.source.client()) {
                MastodonFixture.put(s3, w.sourceBucket, "", later, MastodonFixture.bytes(later, 100));
            }
            waitFor("a pass that copies the new row", log, () -> read(log).matches("(?s).*Pass 1 done: copied 3,.*"
                    + "Pass \\d+ done: copied 1,.*"));
            // run keeps following: the row Mastodon wrote while the old store is still in use is in the target
            try (S3Client s3 = servers.target.client()) {
                assertThat(s3.getObjectAsBytes(r -> r.bucket(w.targetBucket).key(later)).asByteArray())
                        .isEqualTo(MastodonFixture.bytes(later, 100));
            }
            p.destroy(); // SIGTERM: a normal stop
            assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        } finally {
            p.destroyForcibly();
        }
        String out = read(log);
        System.out.println(out);
        assertThat(p.exitValue()).as(out).isIn(0, 143); // 143: the JVM ended by SIGTERM, after its shutdown
        assertThat(out).doesNotContain("Exception");
        assertThat(Files.readAllLines(w.workDir.resolve("state/copy-site_uploads.checkpoint")).get(0)).isEqualTo("4");
        // progress: one line per interval, totals first, only the tables still working
        assertThat(out.lines().filter(l -> l.contains("m.s.progress") && l.contains(" | ETA ")))
                .isNotEmpty().allMatch(l -> l.contains(" | working: ") && !l.contains("backups"));
        // SIGTERM: the summary and the report
        assertThat(out).contains("ids covered", "Stopped before the end: run stopped (SIGTERM or Ctrl-C)");
        JsonNode report = new ObjectMapper().readTree(w.report("copy").toFile());
        assertThat(report.get("stoppedBecause").asText()).startsWith("run stopped");
        assertThat(report.at("/tables/site_uploads/copied").asLong()).isEqualTo(4);
    }
}
