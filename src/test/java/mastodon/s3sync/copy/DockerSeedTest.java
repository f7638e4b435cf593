package mastodon.s3sync.copy;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.ObjectMapper;
import mastodon.s3sync.InProcessRunner;
import mastodon.s3sync.testing.ChildJvm;
import mastodon.s3sync.testing.S3Server;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The compose demo's seed (docker/seed/): seed.sql loads into Mastodon's schema, seed.sh writes one file per key the
 * dry run derives into a bucket directory laid out as s3proxy's filesystem store keeps it, and a copy from that store
 * finds every object (nothing missing at the source). No Docker engine needed: the script runs here with a stand-in
 * for the image's launcher.
 */
@Timeout(240)
@CopyServers
class DockerSeedTest {

    @Test
    void theSeedGivesACopyWithNothingMissing(@TempDir Path dir, CopyEnvironment env) throws Exception {
        CopyEnvironment.World w = env.fresh(dir.resolve("world"));
        w.fixture.sql(Files.readString(Path.of("docker/seed/seed.sql")));
        // a stand-in for /app/bin/mastodon-s3-sync: the application on this test's class path
        Path launcher = dir.resolve("mastodon-s3-sync");
        Files.writeString(launcher, "#!/bin/sh\nexec " + ChildJvm.shellLine("-Xmx256m") + " \"$@\"\n");
        launcher.toFile().setExecutable(true);
        Path stores = dir.resolve("source-s3");
        Path bucketDir = stores.resolve("demo-media");
        ProcessBuilder pb = new ProcessBuilder("sh", "docker/seed/seed.sh", bucketDir.toString())
                .redirectErrorStream(true);
        pb.environment().putAll(w.env);
        pb.environment().put("MASTODON_S3_SYNC", launcher.toString());
        pb.environment().put("COPY_STATE_DIR", dir.resolve("seed-state").toString());
        Process p = pb.start();
        assertThat(p.waitFor(180, TimeUnit.SECONDS)).isTrue();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.exitValue()).as(out).isZero();
        long files;
        try (Stream<Path> all = Files.walk(bucketDir)) {
            files = all.filter(Files::isRegularFile).count();
        }
        assertThat(files).as(out).isGreaterThan(500);
        assertThat(out).contains("seed: " + files + " objects written");

        // the files are a bucket to s3proxy's filesystem store, and a copy from it misses nothing
        try (S3Server source = new S3Server("seed-key", "seed-secret", stores)) {
            Map<String, String> e = w.env;
            e.put("S3_ENDPOINT", source.endpoint());
            e.put("S3_BUCKET", "demo-media");
            e.put("AWS_ACCESS_KEY_ID", "seed-key");
            e.put("AWS_SECRET_ACCESS_KEY", "seed-secret");
            InProcessRunner.Result r = w.run("copy");
            assertThat(r.code()).as(r.out() + r.err()).isZero();
            assertThat(new ObjectMapper().readTree(w.report("copy").toFile()).get("missing_at_source"))
                    .as("missing at the source").isEmpty();
            try (S3Client t = env.target.client()) {
                assertThat(t.listObjectsV2Paginator(b -> b.bucket(w.targetBucket)).contents().stream().count())
                        .isEqualTo(files);
            }
        }
        // a second run of the seed leaves the bucket as it is
        Process again = pb.start();
        assertThat(again.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(new String(again.getInputStream().readAllBytes(), StandardCharsets.UTF_8))
                .contains("already holds objects");
    }
}
