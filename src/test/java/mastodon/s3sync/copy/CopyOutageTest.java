package mastodon.s3sync.copy;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import mastodon.s3sync.InProcessRunner;
import mastodon.s3sync.testing.Await;
import mastodon.s3sync.testing.LogCapture;
import mastodon.s3sync.testing.MastodonFixture;
import mastodon.s3sync.testing.OutageBlobStore;
import mastodon.s3sync.testing.PostgresServer;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * A store or the database lost in the middle of a copy: a short loss is ridden out (reconnect, retries), a loss that
 * lasts longer than copy.give-up-after ends the job with exit 1 and a message naming the party and its error, in
 * bounded time (not after every object exhausted its retries), and the rerun resumes and completes.
 */
@Timeout(400)
@CopyServers
class CopyOutageTest {

    /** Without the failure budget one object alone would retry for minutes (10 retries, backoff up to 60 s). */
    private static final long BOUND_MS = 90_000;

    private static List<MastodonFixture.SourceObject> seed(CopyEnvironment env, CopyEnvironment.World w, int rows)
            throws Exception {
        try (S3Client s3 = env.source.client()) {
            return w.fixture.generate(rows, s3, w.sourceBucket, "", 512, 11);
        }
    }

    /** Slow and small pages, so the run is still going when the outage starts. */
    private static void slow(CopyEnvironment.World w) throws java.io.IOException {
        w.env.put("COPY_REQUESTS_PER_SECOND", "25");
        w.env.put("COPY_PAGE_SIZE", "5");
        w.env.put("COPY_CHECKPOINT_INTERVAL", "200");
        w.env.put("COPY_GIVE_UP_AFTER", "4000");
        // a short queue between the page routes and the workers: pages are read as the copies progress, so the
        // database is still in use when it goes away
        java.nio.file.Files.writeString(w.workDir.resolve("application.properties"),
                "camel.component.seda.queue-size=5\n");
    }

    private static void waitForTargetObjects(CopyEnvironment env, CopyEnvironment.World w, int n) throws Exception {
        try (S3Client s3 = env.target.client()) {
            Await.until(Duration.ofSeconds(60), () -> CopyEndToEndTest.keys(s3, w.targetBucket).size() >= n,
                    n + " objects in the target (copying started)");
        }
    }

    private static void assertHoldsAll(CopyEnvironment env, String bucket, List<MastodonFixture.SourceObject> objects) {
        try (S3Client s3 = env.target.client()) {
            assertThat(CopyEndToEndTest.keys(s3, bucket)).hasSize(objects.size());
            for (MastodonFixture.SourceObject o : objects) {
                assertThat(s3.getObjectAsBytes(b -> b.bucket(bucket).key(o.key())).asByteArray()).as(o.key())
                        .isEqualTo(o.bytes());
            }
        }
    }

    @Test
    void aTargetThatStaysDownEndsTheJobInBoundedTimeAndTheRerunResumes(@TempDir Path dir, PostgresServer shared) throws Exception {
        OutageBlobStore[] target = new OutageBlobStore[1];
        try (CopyEnvironment env = new CopyEnvironment(shared, false, null, s -> target[0] = new OutageBlobStore(s))) {
            CopyEnvironment.World w = env.fresh(dir);
            List<MastodonFixture.SourceObject> objects = seed(env, w, 30);
            slow(w);
            InProcessRunner.Result r;
            long took;
            String log;
            try (LogCapture logs = new LogCapture("mastodon.s3sync")) {
                CompletableFuture<InProcessRunner.Result> run = CompletableFuture.supplyAsync(() -> w.run("copy"));
                waitForTargetObjects(env, w, 10);
                target[0].down = true;
                long t0 = System.currentTimeMillis();
                r = run.get(BOUND_MS + 60_000, TimeUnit.MILLISECONDS);
                took = System.currentTimeMillis() - t0;
                log = logs.text();
            }
            // after the stop, the objects it cut short are not reported one by one as failed (they are left for
            // the rerun; the summary above says why the job stopped)
            assertThat(log).contains("Stopping: the target store");
            assertThat(log.substring(log.indexOf("Stopping: the target store")).lines()
                    .filter(l -> l.contains(" failed: "))).as(log).isEmpty();

            assertThat(r.code()).isEqualTo(1);
            assertThat(took).as("ended in bounded time").isLessThan(BOUND_MS);
            // and promptly: the objects in flight were only retrying the dead store (their waits are cut short;
            // before, Camel's graceful shutdown waited 30 s for them)
            assertThat(took).as("ended soon after giving up (copy.give-up-after is 4 s)").isLessThan(25_000);
            assertThat(r.out()).contains("Stopped before the end: the target store (" + env.target.endpoint())
                    .contains("has failed every request for")
                    // the 503 itself, or the connection it closed in the middle of a PUT
                    .containsAnyOf("Last error: HTTP 503 ServiceUnavailable", "Last error: SdkClientException")
                    .contains("rerun the same command to resume");
            assertThat(target[0].refused.get()).isGreaterThan(0);

            target[0].down = false;
            w.env.remove("COPY_REQUESTS_PER_SECOND");
            InProcessRunner.Result again = w.run("copy");
            assertThat(again.code()).isZero();
            assertHoldsAll(env, w.targetBucket, objects);
        }
    }

    @Test
    void theDatabaseRestartedIsReconnectedAndLostForGoodEndsTheJob(@TempDir Path dir) throws Exception {
        PostgresServer pg = PostgresServer.restartable();
        try (CopyEnvironment env = new CopyEnvironment(pg, true, null, null)) {
            // `run` keeps querying the database (a look for new rows every 200 ms)
            CopyEnvironment.World w = env.fresh(dir);
            List<MastodonFixture.SourceObject> objects = seed(env, w, 5);
            w.env.put("COPY_POLL_INTERVAL", "200");
            w.env.put("COPY_GIVE_UP_AFTER", "4000");
            CompletableFuture<InProcessRunner.Result> run = CompletableFuture.supplyAsync(() -> w.run("run"));
            waitForTargetObjects(env, w, objects.size());

            // restarted for three seconds: the next looks fail, then reconnect; a row added afterwards is copied
            pg.restart(Duration.ofSeconds(3));
            String later = "site_uploads/files/000/000/009/original/9999999999999999.png";
            try (S3Client s3 = env.source.client()) {
                MastodonFixture.put(s3, w.sourceBucket, "", later, MastodonFixture.bytes(later, 300));
            }
            w.fixture.sql("INSERT INTO site_uploads (id, var, file_file_name, file_content_type) VALUES "
                    + "(9, 'mascot', '9999999999999999.png', 'image/png')");
            waitForTargetObjects(env, w, objects.size() + 1);
            assertThat(run).as("still running after the restart").isNotDone();

            // gone for longer than copy.give-up-after: exit 1 naming the database, in bounded time
            pg.stopServer();
            long t0 = System.currentTimeMillis();
            InProcessRunner.Result lost;
            try {
                lost = run.get(BOUND_MS + 60_000, TimeUnit.MILLISECONDS);
            } finally {
                pg.startAgain();
            }
            long took = System.currentTimeMillis() - t0;
            assertThat(lost.code()).isEqualTo(1);
            assertThat(took).as("ended in bounded time").isLessThan(BOUND_MS);
            // and promptly: the page routes were only retrying the lost database (their waits are cut short)
            assertThat(took).as("ended soon after giving up (copy.give-up-after is 4 s)").isLessThan(25_000);
            assertThat(lost.out()).contains("Stopped before the end: the database (" + pg.host() + ":" + pg.port());
            assertThat(w.run("copy").code()).isZero();
        }
    }
}
