package mastodon.s3sync.copy;

import static mastodon.s3sync.copy.CopyEndToEndTest.EXPECTED;
import static mastodon.s3sync.copy.CopyEndToEndTest.PRIVATE;
import static mastodon.s3sync.copy.CopyEndToEndTest.publicRead;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import mastodon.s3sync.InProcessRunner;
import mastodon.s3sync.testing.MastodonFixture;
import mastodon.s3sync.testing.OutageBlobStore;
import mastodon.s3sync.testing.PostgresServer;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.ObjectCannedACL;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * The repair command end to end on a real s3proxy (the source settings: the store Mastodon uses): a bucket filled as a
 * listing-based sync (rclone, {@code aws s3 sync}) leaves it, repaired in place; bytes compared before and after.
 */
@Timeout(300)
@CopyServers
class RepairEndToEndTest {

    static CopyEnvironment servers;

    @BeforeAll
    static void start(CopyEnvironment shared) throws Exception {
        servers = shared;
        CopyEndToEndTest.servers = servers; // its seed() (rows and objects) puts the objects through these servers
    }

    static final String CACHE = "public, max-age=315576000, immutable";
    /** An object whose stored type is specific (though not the rule's): kept, with its user metadata. */
    static final String SPECIFIC = "media_attachments/files/000/012/345/original/1234512345123451.png";
    /** An object that only lacks its ACL: fixed with PutObjectAcl alone. */
    static final String ACL_ONLY = "accounts/avatars/000/000/001/original/aaaa000000000001.png";
    /** A big object (11 MiB): a multipart copy of three parts when the threshold is lowered. */
    static final String BIG = "media_attachments/files/109/348/763/475/345/680/original/4444444444444444.mp3";

    /** Seeds the database and the source bucket as a listing-based sync leaves it: no type, no cache, one ACL. */
    static void seedAsSyncLeftIt(CopyEnvironment.World w, boolean allPublic) throws Exception {
        CopyEndToEndTest.seed(w, ""); // binary/octet-stream, no Cache-Control, s3proxy's default ACL (private)
        try (S3Client s3 = servers.source.client()) {
            s3.putObject(r -> r.bucket(w.sourceBucket).key(SPECIFIC).contentType("image/webp")
                    .metadata(Map.of("origin", "rclone")), RequestBody.fromBytes(bytesOf(SPECIFIC)));
            s3.putObject(r -> r.bucket(w.sourceBucket).key(ACL_ONLY).contentType("image/png").cacheControl(CACHE),
                    RequestBody.fromBytes(bytesOf(ACL_ONLY)));
            if (allPublic) {
                for (String key : EXPECTED.keySet()) {
                    s3.putObjectAcl(r -> r.bucket(w.sourceBucket).key(key).acl(ObjectCannedACL.PUBLIC_READ));
                }
            }
        }
    }

    static byte[] bytesOf(String key) {
        return MastodonFixture.bytes(key, 1000 + key.length());
    }

    /** key -> SHA-256 of every object in the bucket. */
    static Map<String, String> digests(S3Client s3, String bucket) throws Exception {
        Map<String, String> d = new TreeMap<>();
        for (S3Object o : s3.listObjectsV2Paginator(r -> r.bucket(bucket)).contents()) {
            byte[] b = s3.getObjectAsBytes(r -> r.bucket(bucket).key(o.key())).asByteArray();
            d.put(o.key(), HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b)));
        }
        return d;
    }

    /** key -> "type | cache-control | public?" of every expected object. */
    static Map<String, String> headers(S3Client s3, String bucket) {
        Map<String, String> h = new TreeMap<>();
        for (String key : EXPECTED.keySet()) {
            HeadObjectResponse r = s3.headObject(b -> b.bucket(bucket).key(key));
            h.put(key, r.contentType() + " | " + r.cacheControl() + " | " + publicRead(s3, bucket, key) + " | "
                    + r.metadata());
        }
        return h;
    }

    static void assertRepaired(S3Client s3, String bucket, boolean acls, boolean expectPublicWhenNotChecked) {
        for (Map.Entry<String, String> e : EXPECTED.entrySet()) {
            String key = e.getKey();
            HeadObjectResponse h = s3.headObject(r -> r.bucket(bucket).key(key));
            assertThat(h.contentType()).as("Content-Type of " + key)
                    .isEqualTo(key.equals(SPECIFIC) ? "image/webp" : e.getValue());
            assertThat(h.cacheControl()).as("Cache-Control of " + key).isEqualTo(CACHE);
            boolean wantPublic = acls ? !PRIVATE.contains(key) : expectPublicWhenNotChecked;
            assertThat(publicRead(s3, bucket, key)).as("public-read ACL of " + key).isEqualTo(wantPublic);
        }
        assertThat(s3.headObject(r -> r.bucket(bucket).key(SPECIFIC)).metadata())
                .as("user metadata kept").containsEntry("origin", "rclone");
    }

    static long total(JsonNode report, String counter) {
        long n = 0;
        for (JsonNode t : report.get("tables")) {
            n += t.get(counter).asLong();
        }
        return n;
    }

    @Test
    void repairsAnAllPrivateSyncInPlaceThenASecondRepairChangesNothing(@TempDir Path dir) throws Exception {
        CopyEnvironment.World w = servers.fresh(dir);
        seedAsSyncLeftIt(w, false);
        try (S3Client s3 = servers.source.client()) {
            Map<String, String> before = digests(s3, w.sourceBucket);
            Map<String, String> headersBefore = headers(s3, w.sourceBucket);

            // --dry-run lists what it would change and changes nothing
            InProcessRunner.Result dry = w.run("repair", "--dry-run");
            assertThat(dry.code()).as(dry.err()).isZero();
            String line = "accounts/headers/000/000/001/original/aaaa000000000002.jpg: Content-Type binary/octet-stream"
                    + " -> image/jpeg, Cache-Control (none) -> " + CACHE + ", ACL private -> public-read";
            assertThat(dry.out()).contains(line);
            assertThat(dry.out()).contains(ACL_ONLY + ": ACL private -> public-read");
            assertThat(dry.err()).as("the dry run's summary goes to stderr").contains("repair (dry run)");
            assertThat(headers(s3, w.sourceBucket)).isEqualTo(headersBefore);
            assertThat(digests(s3, w.sourceBucket)).isEqualTo(before);
            JsonNode dryReport = new ObjectMapper().readTree(w.report("repair-dry-run").toFile());
            assertThat(dryReport.get("dryRun").asBoolean()).isTrue();
            assertThat(total(dryReport, "repaired")).isEqualTo(EXPECTED.size());
            Path checkpoint = dir.resolve("state").resolve("repair-media_attachments.checkpoint");
            assertThat(checkpoint).as("a dry run saves no checkpoint").doesNotExist();

            InProcessRunner.Result r = w.run("repair");
            assertThat(r.code()).as(r.err()).isZero();
            assertRepaired(s3, w.sourceBucket, true, false);
            assertThat(digests(s3, w.sourceBucket)).as("bytes and keys unchanged").isEqualTo(before);
            JsonNode report = new ObjectMapper().readTree(w.report("repair").toFile());
            assertThat(report.get("mode").asText()).isEqualTo("repair");
            assertThat(total(report, "repaired")).isEqualTo(EXPECTED.size());
            assertThat(total(report, "contentTypeFixed")).isEqualTo(EXPECTED.size() - 2); // SPECIFIC, ACL_ONLY
            assertThat(total(report, "cacheControlFixed")).isEqualTo(EXPECTED.size() - 1); // ACL_ONLY
            assertThat(total(report, "aclFixed")).isEqualTo(EXPECTED.size() - PRIVATE.size());
            assertThat(total(report, "failed")).isZero();
            assertThat(report.get("missing_at_source")).hasSize(2); // the row whose objects are not in the store
            assertThat(r.out()).contains("repaired").doesNotContain("secret-key-do-not-print");
            assertThat(r.err()).doesNotContain("secret-key-do-not-print");
            // its own checkpoints (id, then the identity: the database and the source store, no target)
            List<String> saved = Files.readAllLines(checkpoint);
            assertThat(saved.get(0)).isEqualTo("109348763475345683");
            assertThat(String.join("\n", saved)).doesNotContain("target");
            assertThat(dir.resolve("state").resolve("copy-media_attachments.checkpoint")).doesNotExist();

            // again, over every row (--restart: the checkpoints say all is done): nothing differs, nothing written
            Map<String, String> repairedHeaders = headers(s3, w.sourceBucket);
            InProcessRunner.Result again = w.run("repair", "--restart");
            assertThat(again.code()).as(again.err()).isZero();
            JsonNode second = new ObjectMapper().readTree(w.report("repair").toFile());
            assertThat(total(second, "repaired")).isZero();
            assertThat(total(second, "contentTypeFixed") + total(second, "cacheControlFixed")
                    + total(second, "aclFixed")).isZero();
            assertThat(total(second, "unchanged")).isEqualTo(EXPECTED.size());
            assertThat(headers(s3, w.sourceBucket)).isEqualTo(repairedHeaders);
            assertThat(digests(s3, w.sourceBucket)).isEqualTo(before);
        }
    }

    @Test
    void allPublicSyncMakesSuspendedMediaAndBackupsPrivateWithMultipartCopies(@TempDir Path dir) throws Exception {
        CopyEnvironment.World w = servers.fresh(dir);
        seedAsSyncLeftIt(w, true);
        byte[] big = MastodonFixture.bytes(BIG, 11 * 1024 * 1024 + 17);
        try (S3Client s3 = servers.source.client()) {
            s3.putObject(r -> r.bucket(w.sourceBucket).key(BIG).contentType("binary/octet-stream")
                    .acl(ObjectCannedACL.PUBLIC_READ), RequestBody.fromBytes(big));
            Map<String, String> before = digests(s3, w.sourceBucket);
            // every object above 1,000 bytes is copied in parts of 5 MiB: BIG in three
            w.env.put("REPAIR_MULTIPART_THRESHOLD", "1000");
            w.env.put("REPAIR_PART_SIZE", Long.toString(5L * 1024 * 1024));
            InProcessRunner.Result r = w.run("repair");
            assertThat(r.code()).as(r.err()).isZero();
            assertRepaired(s3, w.sourceBucket, true, false);
            assertThat(digests(s3, w.sourceBucket)).as("bytes and keys unchanged").isEqualTo(before);
            assertThat(s3.listMultipartUploads(b -> b.bucket(w.sourceBucket)).uploads()).isEmpty();
            // written by multipart copies: s3proxy's ETag of a multipart object ends with its number of parts
            assertThat(s3.headObject(b -> b.bucket(w.sourceBucket).key(BIG)).eTag()).endsWith("-3\"");
            assertThat(s3.headObject(b -> b.bucket(w.sourceBucket).key(ACL_ONLY.replace("avatars", "headers")
                    .replace("aaaa000000000001.png", "aaaa000000000002.jpg"))).eTag()).endsWith("-1\"");
            JsonNode report = new ObjectMapper().readTree(w.report("repair").toFile());
            assertThat(total(report, "aclFixed")).isEqualTo(PRIVATE.size()); // the public ones were right
            assertThat(total(report, "failed")).isZero();
        }
    }

    @Test
    void emptyPermissionChecksAndSetsNoAcl(@TempDir Path dir) throws Exception {
        CopyEnvironment.World w = servers.fresh(dir);
        seedAsSyncLeftIt(w, false);
        w.env.put("S3_PERMISSION", "");
        w.env.keySet().removeIf(k -> k.startsWith("TARGET_")); // repair needs no target store
        try (S3Client s3 = servers.source.client()) {
            Map<String, String> before = digests(s3, w.sourceBucket);
            InProcessRunner.Result r = w.run("repair");
            assertThat(r.code()).as(r.err()).isZero();
            // headers repaired; ACLs neither read nor written: still s3proxy's default (private)
            assertRepaired(s3, w.sourceBucket, false, false);
            assertThat(digests(s3, w.sourceBucket)).isEqualTo(before);
            JsonNode report = new ObjectMapper().readTree(w.report("repair").toFile());
            assertThat(total(report, "aclFixed")).isZero();
            // ACL_ONLY had Mastodon's type and cache: nothing to do without ACLs
            assertThat(total(report, "unchanged")).isEqualTo(1);
            assertThat(r.out()).contains("ACLs were not checked");
        }
    }

    @Test
    void aSourceThatStaysDownEndsWithExitOneAndARerunRepairs(@TempDir Path dir, PostgresServer pg) throws Exception {
        OutageBlobStore[] source = new OutageBlobStore[1];
        try (CopyEnvironment env = new CopyEnvironment(pg, false, s -> source[0] = new OutageBlobStore(s), null)) {
            CopyEnvironment previous = CopyEndToEndTest.servers;
            CopyEndToEndTest.servers = env;
            try {
                CopyEnvironment.World w = env.fresh(dir);
                CopyEndToEndTest.seed(w, "");
                w.env.put("COPY_GIVE_UP_AFTER", "2000");
                w.env.put("COPY_RETRIES", "2");
                w.env.put("COPY_RETRY_DELAY", "100");
                source[0].down = true;
                InProcessRunner.Result down = w.run("repair");
                assertThat(down.code()).as(down.err()).isEqualTo(1);
                assertThat(down.out()).contains("Stopped before the end").contains("the source store");
                source[0].down = false;
                try (S3Client s3 = env.source.client()) {
                    HeadObjectResponse h = s3.headObject(b -> b.bucket(w.sourceBucket).key(ACL_ONLY));
                    assertThat(h.contentType()).isEqualTo("binary/octet-stream"); // nothing written meanwhile
                    InProcessRunner.Result again = w.run("repair");
                    assertThat(again.code()).as(again.err()).isZero();
                    for (String key : EXPECTED.keySet()) {
                        HeadObjectResponse r = s3.headObject(b -> b.bucket(w.sourceBucket).key(key));
                        assertThat(r.cacheControl()).as(key).isEqualTo(CACHE);
                        assertThat(r.contentType()).as(key).isEqualTo(EXPECTED.get(key));
                    }
                }
            } finally {
                CopyEndToEndTest.servers = previous;
            }
        }
    }

    @Test
    void aWrongPermissionStopsBeforeAnythingStartsAndHelpNamesTheCommand(@TempDir Path dir) throws Exception {
        CopyEnvironment.World w = servers.fresh(dir);
        w.env.put("S3_PERMISSION", "public");
        InProcessRunner.Result r = w.run("repair");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("S3_PERMISSION");
        assertThat(w.run("help").out()).contains("repair");
        assertThat(w.run("repair", "--help").out()).contains("--dry-run");
    }
}
