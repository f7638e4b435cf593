package mastodon.s3sync.copy;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import mastodon.s3sync.InProcessRunner;
import mastodon.s3sync.testing.Await;
import mastodon.s3sync.testing.MastodonFixture;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * A run that says "done" is done: checkpoints belong to one copy (database, source, target), --restart starts over
 * even when the restarted run was killed before it saved anything, and verify checks every object unless told to
 * resume.
 */
@Timeout(300)
@CopyServers
class CopyTrustTest {

    static CopyEnvironment servers;

    @BeforeAll
    static void start(CopyEnvironment shared) throws Exception {
        servers = shared;
    }

    private static List<MastodonFixture.SourceObject> seed(CopyEnvironment.World w) throws Exception {
        try (S3Client s3 = servers.source.client()) {
            return w.fixture.generate(12, s3, w.sourceBucket, "", 512, 7);
        }
    }

    private static void assertHoldsAll(String bucket, List<MastodonFixture.SourceObject> objects) {
        try (S3Client s3 = servers.target.client()) {
            assertThat(CopyEndToEndTest.keys(s3, bucket)).hasSize(objects.size());
            for (MastodonFixture.SourceObject o : objects) {
                assertThat(s3.getObjectAsBytes(b -> b.bucket(bucket).key(o.key())).asByteArray()).as(o.key())
                        .isEqualTo(o.bytes());
            }
        }
    }

    @Test
    void aCheckpointOfAnotherTargetIsNotUsed(@TempDir Path dir) throws Exception {
        CopyEnvironment.World w = servers.fresh(dir);
        List<MastodonFixture.SourceObject> objects = seed(w);
        assertThat(w.run("copy").code()).isZero();
        assertHoldsAll(w.targetBucket, objects);

        // same state directory, a new and empty bucket: everything must be copied there
        String other = w.targetBucket + "-b";
        servers.target.createBucket(other);
        w.env.put("TARGET_S3_BUCKET", other);
        InProcessRunner.Result r = w.run("copy");
        assertThat(r.code()).isZero();
        assertThat(r.err()).contains("belong to another copy").contains("every table starts from its first row");
        assertHoldsAll(other, objects);
        assertThat(r.out()).contains("ids covered").contains("after 0 to ");

        // and back to the first target: its checkpoints are now the other copy's, so it is walked again (skips)
        w.env.put("TARGET_S3_BUCKET", w.targetBucket);
        InProcessRunner.Result back = w.run("copy");
        assertThat(back.code()).isZero();
        assertThat(back.out() + back.err()).contains("belong to another copy");
    }

    @Test
    void verifyChecksEveryObjectEvenAfterAVerifyThatPassed(@TempDir Path dir) throws Exception {
        CopyEnvironment.World w = servers.fresh(dir);
        List<MastodonFixture.SourceObject> objects = seed(w);
        assertThat(w.run("copy").code()).isZero();
        assertThat(w.run("verify").code()).isZero();

        String gone = objects.get(objects.size() / 2).key();
        try (S3Client s3 = servers.target.client()) {
            s3.deleteObject(b -> b.bucket(w.targetBucket).key(gone));
        }
        InProcessRunner.Result r = w.run("verify");
        assertThat(r.code()).as("the deleted object is found missing").isEqualTo(1);
        assertThat(r.out()).contains(gone);

        // --resume is the explicit way to continue after verify's own checkpoint
        InProcessRunner.Result resumed = w.run("verify", "--resume");
        assertThat(resumed.out()).contains("Rows up to the id where a table started were not looked at");
    }

    @Test
    void restartKilledBeforeItSavedAnythingStillStartsOver(@TempDir Path dir) throws Exception {
        CopyEnvironment.World w = servers.fresh(dir);
        List<MastodonFixture.SourceObject> objects = seed(w);
        assertThat(w.run("copy").code()).isZero();
        String gone = objects.get(0).key();
        try (S3Client s3 = servers.target.client()) {
            s3.deleteObject(b -> b.bucket(w.targetBucket).key(gone));
        }

        // `copy --restart` killed while starting: its routes never page a table (an idle route stands in for them)
        Path idleRoutes = Files.createDirectories(dir.resolve("idle-routes"));
        Files.copy(Path.of("routes", "copy-errors.camel.yaml"), idleRoutes.resolve("copy-errors.camel.yaml"));
        Files.writeString(idleRoutes.resolve("copy.camel.yaml"), """
                - route:
                    id: idle
                    from:
                      uri: timer:idle
                      parameters:
                        period: "60000"
                      steps:
                        - log:
                            message: "idle routes started"
                            logName: mastodon.s3sync.idle
                """);
        w.env.put("APP_ROUTES_DIR", idleRoutes.toString());
        Path log = dir.resolve("restart.log");
        Process p = CopyProcessTest.launch(w, "-Xmx256m", log, "copy", "--restart");
        Await.until(Duration.ofSeconds(60), () -> {
            assertThat(p.isAlive()).as("the child runs: " + Files.readString(log)).isTrue();
            return Files.readString(log).contains("idle routes started");
        }, "the idle routes of the child");
        p.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        assertThat(Files.readString(log)).contains("idle routes started");

        // a plain copy afterwards does not continue from the checkpoint older than the --restart
        w.env.put("APP_ROUTES_DIR", Path.of("routes").toAbsolutePath().toString());
        InProcessRunner.Result r = w.run("copy");
        assertThat(r.code()).isZero();
        assertHoldsAll(w.targetBucket, objects);
    }
}
