package mastodon.s3sync.copy;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import mastodon.s3sync.InProcessRunner;
import mastodon.s3sync.testing.FlakyBlobStore;
import mastodon.s3sync.testing.MastodonFixture;
import mastodon.s3sync.testing.PostgresServer;
import software.amazon.awssdk.services.s3.S3Client;

/** Stores that answer 503 SlowDown and 500 InternalError over real HTTP: retried, or reported and exit 1. */
@Timeout(300)
@CopyServers
class CopyFailingStoreTest {

    @Test
    void throttledAndFailingRequestsAreRetriedUntilEverythingIsCopied(@TempDir Path dir, PostgresServer pg) throws Exception {
        FlakyBlobStore[] flaky = new FlakyBlobStore[2];
        // each GET fails 4 times with 503 SlowDown (more than the SDK's own 3 attempts), each PUT 3 times with 500
        try (CopyEnvironment env = new CopyEnvironment(pg, false,
                s -> flaky[0] = new FlakyBlobStore(s, "get", 4, 503, "SlowDown", null),
                s -> flaky[1] = new FlakyBlobStore(s, "put", 3, 500, "InternalError", null))) {
            CopyEnvironment.World w = env.fresh(dir);
            w.env.put("COPY_RETRY_DELAY", "10");
            // a server that answers an error before reading the body closes the connection: the next attempt on
            // that connection breaks ("Broken pipe"), so some retries go to that
            w.env.put("COPY_RETRIES", "12");
            List<MastodonFixture.SourceObject> objects;
            try (S3Client s3 = env.source.client()) {
                objects = w.fixture.generate(4, s3, w.sourceBucket, "", 512, 7);
            }
            InProcessRunner.Result r = w.run("copy", "--only", "media_attachments,custom_emojis");
            assertThat(r.code()).as(r.err()).isZero();
            assertThat(flaky[0].injected.get()).as("GET errors injected").isGreaterThan(0);
            assertThat(flaky[1].injected.get()).as("PUT errors injected").isGreaterThan(0);
            try (S3Client s3 = env.target.client()) {
                for (MastodonFixture.SourceObject o : objects) {
                    if (o.key().contains("media_attachments/") || o.key().contains("custom_emojis/")) {
                        assertThat(s3.getObjectAsBytes(b -> b.bucket(w.targetBucket).key(o.key())).asByteArray())
                                .as(o.key()).isEqualTo(o.bytes());
                    }
                }
            }
        }
    }

    @Test
    void anObjectThatKeepsFailingIsReportedTheRestCopiedAndTheCheckpointStaysBeforeIt(@TempDir Path dir,
            PostgresServer pg)
            throws Exception {
        try (CopyEnvironment env = new CopyEnvironment(pg, false, null,
                s -> new FlakyBlobStore(s, "put", 0, 503, "SlowDown", "/000/000/002/"))) {
            CopyEnvironment.World w = env.fresh(dir);
            w.env.put("COPY_RETRY_DELAY", "10");
            // enough for the others to get past connections the failing answers closed ("Broken pipe");
            // the key that always fails uses them all up
            w.env.put("COPY_RETRIES", "5");
            try (S3Client s3 = env.source.client()) {
                w.fixture.generate(4, s3, w.sourceBucket, "", 256, 9);
            }
            InProcessRunner.Result r = w.run("copy", "--only", "custom_emojis");
            assertThat(r.code()).isEqualTo(1);
            assertThat(r.out()).contains("failed").contains("custom_emojis id 2");
            JsonNode report = new ObjectMapper().readTree(w.report("copy").toFile());
            assertThat(report.get("failed")).hasSize(2); // original and static of emoji 2
            for (JsonNode f : report.get("failed")) {
                assertThat(f.get("id").asLong()).isEqualTo(2);
                assertThat(f.get("reason").asText()).containsAnyOf("HTTP 503 SlowDown", "Broken pipe");
            }
            assertThat(report.at("/tables/custom_emojis/copied").asLong()).isEqualTo(6);
            // emoji 1 is done, 2 failed: a rerun must start at 2
            assertThat(Files.readAllLines(w.workDir.resolve("state/copy-custom_emojis.checkpoint")).get(0))
                    .isEqualTo("1");
        }
    }
}
