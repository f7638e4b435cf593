package mastodon.s3sync.copy;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.ObjectMapper;

import mastodon.s3sync.testing.CountingBlobStore;
import mastodon.s3sync.testing.MastodonFixture;
import mastodon.s3sync.testing.PostgresServer;
import mastodon.s3sync.testing.S3Server;
import mastodon.s3sync.testing.SourceStore;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

/** A page's target keys are checked with one listing instead of a HEAD each. */
@Timeout(300)
@CopyServers
class StoreListingTest {

    static CopyTask task(long id, String key) {
        return new CopyTask("media_attachments", id, key, "image/png", false);
    }

    @Test
    void findsWhichKeysOfAPageTheTargetLacks(@SourceStore S3Server s3) throws Exception {
        try (S3Client c = s3.client()) {
            s3.createBucket("listing-page");
            String a = "masto/media_attachments/files/109/348/763/475/345/678/original/a.png";
            String b = "masto/media_attachments/files/109/348/763/475/345/679/original/b.png";
            String outside = "masto/media_attachments/files/109/348/763/475/345/680/original/c.png";
            for (String k : List.of(a, outside, "masto/media_attachments/files/000/000/001/original/old.png")) {
                c.putObject(r -> r.bucket("listing-page").key(k), RequestBody.fromString("x"));
            }
            StoreListing listing = new StoreListing(c, "listing-page", "masto");
            List<CopyTask> page = List.of(
                    task(109348763475345678L, "media_attachments/files/109/348/763/475/345/678/original/a.png"),
                    task(109348763475345678L, "media_attachments/files/109/348/763/475/345/678/small/a.png"),
                    task(109348763475345679L, "media_attachments/files/109/348/763/475/345/679/original/b.png"),
                    task(1L, "media_attachments/files/000/000/001/original/old.png"),
                    task(2L, "media_attachments/files/000/000/002/original/new.png"));
            assertThat(listing.absentKeys(page)).containsExactlyInAnyOrder(
                    "masto/media_attachments/files/109/348/763/475/345/678/small/a.png", b,
                    "masto/media_attachments/files/000/000/002/original/new.png");
        }
    }

    @Test
    void aRangeFarWiderThanThePageGivesNoAnswer(@SourceStore S3Server s3) throws Exception {
        try (S3Client c = s3.client()) {
            s3.createBucket("listing-wide");
            for (int i = 2; i < 1100; i++) {
                String k = "accounts/avatars/000/" + String.format("%03d/%03d", i / 1000, i % 1000) + "/original/x.png";
                c.putObject(r -> r.bucket("listing-wide").key(k), RequestBody.fromString("x"));
            }
            StoreListing listing = new StoreListing(c, "listing-wide", "");
            List<CopyTask> page = List.of(
                    new CopyTask("accounts", 1, "accounts/avatars/000/000/001/original/a.png", "image/png", false),
                    new CopyTask("accounts", 999_999, "accounts/avatars/000/999/999/original/z.png", "image/png", false));
            // 1,098 keys lie between the two: not this page's range, so no answer (HEAD each instead)
            assertThat(listing.absentKeys(page)).isEmpty();
        }
    }

    @Test
    void aFreshCopySendsNoHeadToTheTargetAndARecheckOnlyHeadsTheTarget(@TempDir Path dir, PostgresServer pg) throws Exception {
        CountingBlobStore[] counting = new CountingBlobStore[2];
        try (CopyEnvironment env = new CopyEnvironment(pg, false, s -> counting[1] = new CountingBlobStore(s),
                s -> counting[0] = new CountingBlobStore(s))) {
            CopyEnvironment.World w = env.fresh(dir);
            List<MastodonFixture.SourceObject> objects;
            try (S3Client s3 = env.source.client()) {
                objects = w.fixture.generate(30, s3, w.sourceBucket, "", 100, 5);
            }
            assertThat(w.run("copy").code()).isZero();
            assertThat(counting[0].heads.get()).as("HEADs on a fresh target").isZero();
            assertThat(counting[0].lists.get()).isPositive();
            assertThat(counting[1].lists.get()).as("the source is not listed when the target has none").isZero();
            try (S3Client s3 = env.target.client()) {
                assertThat(CopyEndToEndTest.keys(s3, w.targetBucket)).hasSize(objects.size());
            }
            // everything is there now: both listings show the same sizes, so nothing else is asked
            counting[0].heads.set(0);
            counting[1].heads.set(0);
            assertThat(w.run("copy", "--restart").code()).isZero();
            assertThat(counting[0].heads.get()).as("HEADs at the target").isZero();
            assertThat(counting[1].heads.get()).as("HEADs at the source").isZero();
            // --check-headers: each object's headers are checked at the target (the source's size from its listing)
            assertThat(w.run("copy", "--restart", "--check-headers").code()).isZero();
            assertThat(counting[0].heads.get()).isEqualTo(objects.size());
            assertThat(counting[1].heads.get()).as("HEADs at the source").isZero();
            var report = new ObjectMapper().readTree(w.report("copy").toFile());
            long skipped = 0;
            for (var t : report.get("tables")) {
                skipped += t.get("skipped").asLong();
            }
            assertThat(skipped).isEqualTo(objects.size());
            // verify: a HEAD per object at the target only
            counting[0].heads.set(0);
            counting[1].heads.set(0);
            assertThat(w.run("verify").code()).isZero();
            assertThat(counting[0].heads.get()).isEqualTo(objects.size());
            assertThat(counting[1].heads.get()).isZero();
            // without listing, a HEAD per object on each side
            counting[0].heads.set(0);
            counting[1].heads.set(0);
            w.env.put("COPY_LIST_TARGET", "false");
            assertThat(w.run("copy", "--restart").code()).isZero();
            assertThat(counting[0].heads.get()).isEqualTo(objects.size());
            assertThat(counting[1].heads.get()).isEqualTo(objects.size());
        }
    }

    /**
     * The throttle (copy.requests-per-second) paces the objects that make requests. An object both listings show with
     * the same size makes none, so a second pass over a complete target is not held to the rate: at 1 object a second
     * this pass took one second per object before (about a minute here), and still copies what the target lacks.
     */
    @Test
    void aSecondPassIsNotHeldToTheRequestRate(@TempDir Path dir, CopyEnvironment env) throws Exception {
        {
            CopyEnvironment.World w = env.fresh(dir);
            List<MastodonFixture.SourceObject> objects;
            try (S3Client s3 = env.source.client()) {
                objects = w.fixture.generate(8, s3, w.sourceBucket, "", 100, 5);
            }
            assertThat(objects).hasSizeGreaterThan(30);
            assertThat(w.run("copy").code()).isZero();
            String gone = objects.get(0).key();
            try (S3Client s3 = env.target.client()) {
                s3.deleteObject(r -> r.bucket(w.targetBucket).key(gone));
                assertThat(CopyEndToEndTest.keys(s3, w.targetBucket)).hasSize(objects.size() - 1);
            }
            w.env.put("COPY_REQUESTS_PER_SECOND", "1");
            long start = System.nanoTime();
            assertThat(w.run("copy", "--restart").code()).isZero();
            long seconds = (System.nanoTime() - start) / 1_000_000_000L;
            assertThat(seconds).as("a pass over %d objects at 1 object/s: only the one to copy is paced", objects.size())
                    .isLessThan(objects.size() / 2);
            var report = new ObjectMapper().readTree(w.report("copy").toFile());
            assertThat(RepairEndToEndTest.total(report, "copied")).isEqualTo(1);
            assertThat(RepairEndToEndTest.total(report, "skipped")).isEqualTo(objects.size() - 1);
            try (S3Client s3 = env.target.client()) {
                assertThat(CopyEndToEndTest.keys(s3, w.targetBucket)).hasSize(objects.size());
            }
        }
    }
}
