package mastodon.s3sync.copy;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import mastodon.s3sync.InProcessRunner;
import mastodon.s3sync.testing.MastodonFixture;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectAclResponse;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.Permission;
import software.amazon.awssdk.services.s3.model.S3Object;
import software.amazon.awssdk.services.s3.model.Type;

/**
 * The copy job end to end: a hand-made Mastodon (every table, snowflake and small ids, local and remote rows, schema
 * version NULL and 1, a GIF avatar, a video, an audio, a suspended account, a backup) copied between two s3proxy
 * endpoints with different credentials; the exact target keys, bytes, Content-Type, Cache-Control and ACL.
 */
@Timeout(300)
@CopyServers
class CopyEndToEndTest {

    static CopyEnvironment servers;

    @BeforeAll
    static void start(CopyEnvironment shared) throws Exception {
        servers = shared;
    }

    static final String IMG = "image/jpeg";
    static final String PNG = "image/png";

    /** key -> expected content type, for every object the tool must copy (the missing one excluded). */
    static final Map<String, String> EXPECTED = new LinkedHashMap<>();
    /** keys Mastodon writes private */
    static final Set<String> PRIVATE = new TreeSet<>();
    static final String MISSING_KEY = "media_attachments/files/109/348/763/475/345/683/original/00000000000000ff.jpg";
    static final String SUSPENDED_FILE = "media_attachments/files/109/348/763/475/345/681/original/5555555555555555.jpg";

    static {
        // accounts
        EXPECTED.put("accounts/avatars/000/000/001/original/aaaa000000000001.png", PNG);
        EXPECTED.put("accounts/headers/000/000/001/original/aaaa000000000002.jpg", IMG);
        EXPECTED.put("cache/accounts/avatars/108/892/712/797/543/112/original/5396d516ae170bb0.gif", "image/gif");
        EXPECTED.put("cache/accounts/avatars/108/892/712/797/543/112/static/5396d516ae170bb0.png", PNG);
        EXPECTED.put("accounts/headers/000/464/472/original/2e94bd33745f86a6.gif", "image/gif");
        EXPECTED.put("accounts/headers/000/464/472/static/2e94bd33745f86a6.png", PNG);
        EXPECTED.put("accounts/avatars/000/000/007/original/7777777777777777.jpeg", IMG);
        // media
        EXPECTED.put("media_attachments/files/109/348/763/475/345/678/original/3562dcb3b25b8dd0.jpg", IMG);
        EXPECTED.put("media_attachments/files/109/348/763/475/345/678/small/3562dcb3b25b8dd0.jpg", IMG);
        EXPECTED.put("media_attachments/files/000/012/345/original/1234512345123451.png", PNG);
        EXPECTED.put("media_attachments/files/000/012/345/small/1234512345123451.png", PNG);
        EXPECTED.put("cache/media_attachments/files/109/348/763/475/345/679/original/9999999999999999.mp4", "video/mp4");
        EXPECTED.put("cache/media_attachments/files/109/348/763/475/345/679/small/9999999999999999.png", PNG);
        EXPECTED.put("media_attachments/thumbnails/109/348/763/475/345/679/original/8888888888888888.jpeg", IMG);
        EXPECTED.put("media_attachments/files/109/348/763/475/345/680/original/4444444444444444.mp3", "audio/mpeg");
        EXPECTED.put(SUSPENDED_FILE, IMG);
        EXPECTED.put("media_attachments/files/109/348/763/475/345/681/small/5555555555555555.jpg", IMG);
        // emoji, cards, providers, site uploads, backups
        EXPECTED.put("cache/custom_emojis/images/000/027/176/original/606b7f4e441132df.png", PNG);
        EXPECTED.put("cache/custom_emojis/images/000/027/176/static/606b7f4e441132df.png", PNG);
        EXPECTED.put("cache/preview_cards/images/045/027/478/original/0783d5e91a14fd49.jpeg", IMG);
        EXPECTED.put("preview_cards/images/000/000/002/original/0000000000000002.jpeg", IMG);
        EXPECTED.put("preview_card_providers/icons/000/000/004/original/4040404040404040.png", PNG);
        EXPECTED.put("preview_card_providers/icons/000/000/004/static/4040404040404040.png", PNG);
        EXPECTED.put("site_uploads/files/000/000/003/original/3030303030303030.png", PNG);
        EXPECTED.put("site_uploads/files/000/000/003/@1x/3030303030303030.png", PNG);
        EXPECTED.put("site_uploads/files/000/000/003/@2x/3030303030303030.png", PNG);
        EXPECTED.put("backups/dumps/000/000/005/original/archive-20240101120000-0123456789abcdef0123456789abcdef.zip",
                "application/zip");
        PRIVATE.add(SUSPENDED_FILE);
        PRIVATE.add("media_attachments/files/109/348/763/475/345/681/small/5555555555555555.jpg");
        PRIVATE.add("backups/dumps/000/000/005/original/archive-20240101120000-0123456789abcdef0123456789abcdef.zip");
    }

    static void seed(CopyEnvironment.World w, String prefix) throws Exception {
        MastodonFixture f = w.fixture;
        f.sql("INSERT INTO accounts (id, username, domain, avatar_file_name, avatar_content_type, header_file_name, "
                + "header_content_type) VALUES (1, 'admin', NULL, 'aaaa000000000001.png', 'image/png', "
                + "'aaaa000000000002.jpg', 'image/jpeg')");
        f.sql("INSERT INTO accounts (id, username, domain, avatar_file_name, avatar_content_type, "
                + "avatar_storage_schema_version) VALUES (108892712797543112, 'gif', 'remote.example', "
                + "'5396d516ae170bb0.gif', 'image/gif', 1)");
        f.sql("INSERT INTO accounts (id, username, domain, header_file_name, header_content_type) VALUES "
                + "(464472, 'old', 'old.example', '2e94bd33745f86a6.gif', 'image/gif')");
        f.sql("INSERT INTO accounts (id, username, domain, avatar_file_name, avatar_content_type, suspended_at, "
                + "avatar_storage_schema_version) VALUES (7, 'suspended', NULL, '7777777777777777.jpeg', 'image/jpeg', "
                + "now(), 1)");
        f.sql("INSERT INTO media_attachments (id, account_id, file_file_name, file_content_type, remote_url) VALUES "
                + "(109348763475345678, 1, '3562dcb3b25b8dd0.jpg', 'image/jpeg', '')");
        f.sql("INSERT INTO media_attachments (id, account_id, file_file_name, file_content_type, remote_url, "
                + "file_storage_schema_version) VALUES (12345, 1, '1234512345123451.png', 'image/png', '', 1)");
        f.sql("INSERT INTO media_attachments (id, account_id, file_file_name, file_content_type, remote_url, "
                + "file_storage_schema_version, thumbnail_file_name, thumbnail_content_type) VALUES "
                + "(109348763475345679, 108892712797543112, '9999999999999999.mp4', 'video/mp4', "
                + "'https://remote.example/v.mp4', 1, '8888888888888888.jpeg', 'image/jpeg')");
        f.sql("INSERT INTO media_attachments (id, account_id, file_file_name, file_content_type, remote_url, "
                + "file_meta) VALUES (109348763475345680, 1, '4444444444444444.mp3', 'audio/mpeg', '', "
                + "'{\"small\":{\"width\":400}}')");
        f.sql("INSERT INTO media_attachments (id, account_id, file_file_name, file_content_type, remote_url) VALUES "
                + "(109348763475345681, 7, '5555555555555555.jpg', 'image/jpeg', '')");
        f.sql("INSERT INTO media_attachments (id, account_id, file_file_name, file_content_type, remote_url) VALUES "
                + "(109348763475345682, 108892712797543112, NULL, NULL, 'https://remote.example/never-fetched.png')");
        f.sql("INSERT INTO media_attachments (id, account_id, file_file_name, file_content_type, remote_url) VALUES "
                + "(109348763475345683, 1, '00000000000000ff.jpg', 'image/jpeg', '')");
        f.sql("INSERT INTO custom_emojis (id, shortcode, domain, image_file_name, image_content_type, "
                + "image_storage_schema_version) VALUES (27176, 'blob', 'remote.example', '606b7f4e441132df.png', "
                + "'image/png', 1)");
        f.sql("INSERT INTO preview_cards (id, url, image_file_name, image_content_type, image_storage_schema_version) "
                + "VALUES (45027478, 'https://a.example', '0783d5e91a14fd49.jpeg', 'image/jpeg', 1)");
        f.sql("INSERT INTO preview_cards (id, url, image_file_name, image_content_type) VALUES "
                + "(2, 'https://b.example', '0000000000000002.jpeg', 'image/jpeg')");
        f.sql("INSERT INTO preview_card_providers (id, domain, icon_file_name, icon_content_type) VALUES "
                + "(4, 'a.example', '4040404040404040.png', 'image/png')");
        f.sql("INSERT INTO site_uploads (id, var, file_file_name, file_content_type) VALUES "
                + "(3, 'thumbnail', '3030303030303030.png', 'image/png')");
        f.sql("INSERT INTO backups (id, user_id, dump_file_name, dump_content_type) VALUES "
                + "(5, 1, 'archive-20240101120000-0123456789abcdef0123456789abcdef.zip', 'application/zip')");
        try (S3Client s3 = servers.source.client()) {
            for (String key : EXPECTED.keySet()) {
                MastodonFixture.put(s3, w.sourceBucket, prefix, key, MastodonFixture.bytes(key, 1000 + key.length()));
            }
        }
    }

    static Set<String> keys(S3Client s3, String bucket) {
        return s3.listObjectsV2Paginator(r -> r.bucket(bucket)).contents().stream().map(S3Object::key)
                .collect(Collectors.toCollection(TreeSet::new));
    }

    static boolean publicRead(S3Client s3, String bucket, String key) {
        GetObjectAclResponse acl = s3.getObjectAcl(r -> r.bucket(bucket).key(key));
        return acl.grants().stream().anyMatch(g -> g.grantee().type() == Type.GROUP
                && g.grantee().uri() != null && g.grantee().uri().endsWith("AllUsers")
                && g.permission() == Permission.READ);
    }

    static void assertTargetComplete(CopyEnvironment.World w, String targetPrefix) {
        String p = targetPrefix.isEmpty() ? "" : targetPrefix + "/";
        try (S3Client s3 = servers.target.client()) {
            assertThat(keys(s3, w.targetBucket)).containsExactlyInAnyOrderElementsOf(
                    EXPECTED.keySet().stream().map(k -> p + k).toList());
            for (Map.Entry<String, String> e : EXPECTED.entrySet()) {
                String key = p + e.getKey();
                byte[] got = s3.getObjectAsBytes(r -> r.bucket(w.targetBucket).key(key)).asByteArray();
                assertThat(got).as(key).isEqualTo(MastodonFixture.bytes(e.getKey(), 1000 + e.getKey().length()));
                HeadObjectResponse h = s3.headObject(r -> r.bucket(w.targetBucket).key(key));
                assertThat(h.contentType()).as("Content-Type of " + key).isEqualTo(e.getValue());
                assertThat(h.cacheControl()).as("Cache-Control of " + key)
                        .isEqualTo("public, max-age=315576000, immutable");
                assertThat(publicRead(s3, w.targetBucket, key)).as("public-read ACL of " + key)
                        .isEqualTo(!PRIVATE.contains(e.getKey()));
            }
        }
    }

    @Test
    void copiesEveryObjectWithMastodonsHeadersThenCopiesNothingTheSecondTime(@TempDir Path dir) throws Exception {
        CopyEnvironment.World w = servers.fresh(dir);
        seed(w, "");
        InProcessRunner.Result r = w.run("copy");
        assertThat(r.code()).as(r.err()).isEqualTo(0);
        assertTargetComplete(w, "");
        // the missing source object is reported (table, id, key), not an error
        JsonNode report = new ObjectMapper().readTree(w.report("copy").toFile());
        assertThat(report.get("missing_at_source")).hasSize(2); // the image's original and small
        Set<String> missingKeys = new TreeSet<>();
        for (JsonNode m : report.get("missing_at_source")) {
            assertThat(m.get("table").asText()).isEqualTo("media_attachments");
            assertThat(m.get("id").asLong()).isEqualTo(109348763475345683L);
            missingKeys.add(m.get("key").asText());
        }
        assertThat(missingKeys).containsExactlyInAnyOrder(MISSING_KEY, MISSING_KEY.replace("/original/", "/small/"));
        assertThat(report.get("failed")).isEmpty();
        assertThat(report.at("/tables/media_attachments/copied").asLong()).isEqualTo(10);
        assertThat(r.out()).contains("total").contains("media_attachments");
        assertThat(r.out() + r.err()).doesNotContain("secret-key-do-not-print");

        // second run: checkpoints say everything is done: nothing copied, nothing even looked at
        InProcessRunner.Result again = w.run("copy");
        assertThat(again.code()).isEqualTo(0);
        JsonNode second = new ObjectMapper().readTree(w.report("copy").toFile());
        assertThat(second.at("/tables/media_attachments/copied").asLong()).isEqualTo(0);

        // --restart goes over every row again: everything is already there, so all skipped, none copied
        InProcessRunner.Result restart = w.run("copy", "--restart");
        assertThat(restart.code()).isEqualTo(0);
        JsonNode third = new ObjectMapper().readTree(w.report("copy").toFile());
        long copied = 0;
        long skipped = 0;
        for (JsonNode t : third.get("tables")) {
            copied += t.get("copied").asLong();
            skipped += t.get("skipped").asLong();
        }
        assertThat(copied).isZero();
        assertThat(skipped).isEqualTo(EXPECTED.size());

        // verify agrees the target is complete
        assertThat(w.run("verify").code()).isEqualTo(0);
    }

    @Test
    void keyPrefixOnTheSourceAndNoneOnTheTarget(@TempDir Path dir) throws Exception {
        CopyEnvironment.World w = servers.fresh(dir);
        seed(w, "masto");
        w.env.put("S3_KEY_PREFIX", "masto");
        w.env.put("TARGET_S3_KEY_PREFIX", "");
        assertThat(w.run("copy").code()).isEqualTo(0);
        assertTargetComplete(w, "");
    }

    @Test
    void unsetTargetPrefixDefaultsToTheSourcePrefix(@TempDir Path dir) throws Exception {
        CopyEnvironment.World w = servers.fresh(dir);
        seed(w, "masto");
        w.env.put("S3_KEY_PREFIX", "masto");
        assertThat(w.run("copy").code()).isEqualTo(0);
        assertTargetComplete(w, "masto");
    }

    @Test
    void repairsAnObjectAnEarlierCopyStoredAsOctetStream(@TempDir Path dir) throws Exception {
        CopyEnvironment.World w = servers.fresh(dir);
        seed(w, "");
        String key = "media_attachments/files/109/348/763/475/345/678/original/3562dcb3b25b8dd0.jpg";
        try (S3Client s3 = servers.target.client()) {
            s3.putObject(r -> r.bucket(w.targetBucket).key(key).contentType("binary/octet-stream"),
                    RequestBody.fromBytes(MastodonFixture.bytes(key, 1000 + key.length())));
        }
        // by default the listings decide: same size in both stores, so it is left as it is
        assertThat(w.run("copy").code()).isEqualTo(0);
        try (S3Client s3 = servers.target.client()) {
            assertThat(s3.headObject(b -> b.bucket(w.targetBucket).key(key)).contentType())
                    .isEqualTo("binary/octet-stream");
        }
        // --check-headers HEADs what the target has and rewrites it with Mastodon's headers
        assertThat(w.run("copy", "--restart", "--check-headers").code()).isEqualTo(0);
        assertTargetComplete(w, "");
    }

    @Test
    void emptyPermissionSendsNoAcl(@TempDir Path dir) throws Exception {
        CopyEnvironment.World w = servers.fresh(dir);
        seed(w, "");
        w.env.put("TARGET_S3_PERMISSION", "");
        assertThat(w.run("copy", "--only", "site_uploads").code()).isEqualTo(0);
        try (S3Client s3 = servers.target.client()) {
            // no ACL sent: the store's default (private on s3proxy), not public-read
            assertThat(publicRead(s3, w.targetBucket, "site_uploads/files/000/000/003/original/3030303030303030.png"))
                    .isFalse();
            assertThat(keys(s3, w.targetBucket)).hasSize(3);
        }
    }

    @Test
    void devModeCopiesInlineOneObjectAtATime(@TempDir Path dir) throws Exception {
        CopyEnvironment.World w = servers.fresh(dir);
        seed(w, "");
        w.env.put("TARGET_S3_STORAGE_CLASS", "STANDARD_IA");
        InProcessRunner.Result r = w.run("copy", "--dev", "--only", "accounts", "--limit", "2");
        assertThat(r.code()).isZero();
        try (S3Client s3 = servers.target.client()) {
            assertThat(keys(s3, w.targetBucket)).containsExactlyInAnyOrder(
                    "accounts/avatars/000/000/001/original/aaaa000000000001.png",
                    "accounts/headers/000/000/001/original/aaaa000000000002.jpg",
                    "accounts/avatars/000/000/007/original/7777777777777777.jpeg");
            assertThat(s3.headObject(b -> b.bucket(w.targetBucket)
                    .key("accounts/avatars/000/000/001/original/aaaa000000000001.png")).storageClassAsString())
                    .isEqualTo("STANDARD_IA");
        }
    }

    @Test
    void dryRunPrintsTheKeysAndCopiesNothing(@TempDir Path dir) throws Exception {
        CopyEnvironment.World w = servers.fresh(dir);
        seed(w, "");
        InProcessRunner.Result r = w.run("copy", "--dry-run", "--only", "backups,site_uploads");
        assertThat(r.code()).isEqualTo(0);
        assertThat(r.out()).contains("backups/dumps/000/000/005/original/archive-20240101120000-"
                + "0123456789abcdef0123456789abcdef.zip -> backups/dumps/000/000/005/original/archive-20240101120000-"
                + "0123456789abcdef0123456789abcdef.zip  [application/zip, acl private]");
        assertThat(r.out()).contains("site_uploads/files/000/000/003/@2x/3030303030303030.png");
        try (S3Client s3 = servers.target.client()) {
            assertThat(keys(s3, w.targetBucket)).isEmpty();
        }
        assertThat(Files.exists(w.workDir.resolve("state/copy-backups.checkpoint"))).isFalse();
    }

    @Test
    void limitOffsetFromIdAndOnlySelectRows(@TempDir Path dir) throws Exception {
        CopyEnvironment.World w = servers.fresh(dir);
        seed(w, "");
        // media ids in order: 12345, ...678, ...679, ...680, ...681, ...682, ...683
        assertThat(w.run("copy", "--only", "media_attachments", "--offset", "1", "--limit", "2").code()).isZero();
        try (S3Client s3 = servers.target.client()) {
            assertThat(keys(s3, w.targetBucket)).containsExactlyInAnyOrder(
                    "media_attachments/files/109/348/763/475/345/678/original/3562dcb3b25b8dd0.jpg",
                    "media_attachments/files/109/348/763/475/345/678/small/3562dcb3b25b8dd0.jpg",
                    "cache/media_attachments/files/109/348/763/475/345/679/original/9999999999999999.mp4",
                    "cache/media_attachments/files/109/348/763/475/345/679/small/9999999999999999.png",
                    "media_attachments/thumbnails/109/348/763/475/345/679/original/8888888888888888.jpeg");
        }
        assertThat(Files.readAllLines(w.workDir.resolve("state/copy-media_attachments.checkpoint")).get(0))
                .isEqualTo("109348763475345679");
        // the next run continues from the checkpoint
        assertThat(w.run("copy", "--only", "media_attachments", "--limit", "1").code()).isZero();
        try (S3Client s3 = servers.target.client()) {
            assertThat(keys(s3, w.targetBucket)).contains(
                    "media_attachments/files/109/348/763/475/345/680/original/4444444444444444.mp3").hasSize(6);
        }
        // --from-id ignores the checkpoint
        assertThat(w.run("copy", "--only", "accounts", "--from-id", "464472").code()).isZero();
        try (S3Client s3 = servers.target.client()) {
            assertThat(keys(s3, w.targetBucket)).contains(
                    "accounts/headers/000/464/472/original/2e94bd33745f86a6.gif",
                    "cache/accounts/avatars/108/892/712/797/543/112/original/5396d516ae170bb0.gif")
                    .doesNotContain("accounts/avatars/000/000/001/original/aaaa000000000001.png");
        }
    }

    @Test
    void verifyListsWhatTheTargetLacks(@TempDir Path dir) throws Exception {
        CopyEnvironment.World w = servers.fresh(dir);
        seed(w, "");
        assertThat(w.run("copy", "--only", "custom_emojis,backups").code()).isZero();
        try (S3Client s3 = servers.target.client()) {
            s3.deleteObject(r -> r.bucket(w.targetBucket)
                    .key("cache/custom_emojis/images/000/027/176/static/606b7f4e441132df.png"));
        }
        InProcessRunner.Result r = w.run("verify", "--only", "custom_emojis,backups");
        assertThat(r.code()).isEqualTo(1);
        JsonNode report = new ObjectMapper().readTree(w.report("verify").toFile());
        assertThat(report.get("missing_in_target")).hasSize(1);
        assertThat(report.get("missing_in_target").get(0).get("key").asText())
                .isEqualTo("cache/custom_emojis/images/000/027/176/static/606b7f4e441132df.png");
        assertThat(report.get("missing_in_target").get(0).get("reason").asText()).isEqualTo("missing in target");
        assertThat(report.get("failed")).isEmpty();
    }

    /** verify names each outcome once, the same way in the summary, the progress lines and the report. */
    @Test
    void verifyNamesMissingInTargetAndDifferentApartFromMissingAtSource(@TempDir Path dir) throws Exception {
        CopyEnvironment.World w = servers.fresh(dir);
        seed(w, "");
        assertThat(w.run("copy", "--only", "custom_emojis,backups,media_attachments").code()).isEqualTo(0);
        String gone = "cache/custom_emojis/images/000/027/176/static/606b7f4e441132df.png";
        String changed = "backups/dumps/000/000/005/original/archive-20240101120000-0123456789abcdef0123456789abcdef.zip";
        try (S3Client s3 = servers.target.client()) {
            s3.deleteObject(r -> r.bucket(w.targetBucket).key(gone));
            MastodonFixture.put(s3, w.targetBucket, "", changed, new byte[3]);
        }
        InProcessRunner.Result r = w.run("verify", "--only", "custom_emojis,backups,media_attachments");
        assertThat(r.code()).isEqualTo(1);
        String header = r.out().lines().filter(l -> l.startsWith("verify ")).findFirst().orElseThrow();
        assertThat(header.split("\\s{2,}")).containsSubsequence("verify", "rows", "ok", "missing at source",
                "missing in target", "different", "failed", "MB", "ids covered");
        assertThat(r.out()).doesNotContain(" bad ");
        JsonNode report = new ObjectMapper().readTree(w.report("verify").toFile());
        assertThat(report.get("missing_in_target")).hasSize(1);
        assertThat(report.get("different")).hasSize(1);
        assertThat(report.get("different").get(0).get("reason").asText()).startsWith("size differs");
        assertThat(report.get("missing_at_source")).hasSize(2); // the media row whose image never reached the source
        assertThat(report.at("/tables/custom_emojis/missing_in_target").asLong()).isEqualTo(1);
        assertThat(report.at("/tables/backups/different").asLong()).isEqualTo(1);
        assertThat(report.at("/tables/media_attachments/missing_at_source").asLong()).isEqualTo(2);
        assertThat(report.at("/tables/backups/failed").asLong()).isZero();
        assertThat(report.at("/tables/backups").has("copied")).isFalse();
        assertThat(report.at("/tables/backups/ok").asLong()).isZero();
    }

    /** The dry run lists, and writes its own report: the real copy's report stays as it was. */
    @Test
    void dryRunWritesItsOwnReportNamingKeysListed(@TempDir Path dir) throws Exception {
        CopyEnvironment.World w = servers.fresh(dir);
        seed(w, "");
        assertThat(w.run("copy", "--only", "backups").code()).isZero();
        byte[] copyReport = Files.readAllBytes(w.report("copy"));
        InProcessRunner.Result r = w.run("copy", "--dry-run", "--only", "backups,site_uploads");
        assertThat(r.code()).isZero();
        assertThat(Files.readAllBytes(w.report("copy"))).isEqualTo(copyReport);
        Path dryReport = w.workDir.resolve("state/copy-dry-run-report.json");
        JsonNode report = new ObjectMapper().readTree(dryReport.toFile());
        assertThat(report.get("dryRun").asBoolean()).isTrue();
        assertThat(report.at("/tables/site_uploads/listed").asLong()).isEqualTo(3); // original, @1x and @2x
        assertThat(report.at("/tables/site_uploads").has("copied")).isFalse();
        assertThat(r.err()).contains("copy (dry run)", "listed", "Report: " + dryReport);
    }

    @Test
    void badConfigurationExitsTwoWithAMessageNamingTheSetting(@TempDir Path dir) throws Exception {
        CopyEnvironment.World w = servers.fresh(dir);
        Map<String, String> saved = new LinkedHashMap<>(w.env);

        w.env.remove("TARGET_S3_BUCKET");
        InProcessRunner.Result r = w.run("copy");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("TARGET_S3_BUCKET");

        w.env.putAll(saved);
        w.env.put("TARGET_AWS_SECRET_ACCESS_KEY", "wrong-secret");
        r = w.run("copy");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("TARGET_AWS_SECRET_ACCESS_KEY").doesNotContain("wrong-secret");

        w.env.putAll(saved);
        w.env.put("DB_PORT", "1");
        r = w.run("copy");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("DB_HOST");

        w.env.putAll(saved);
        w.env.put("S3_BUCKET", "no-such-bucket");
        r = w.run("copy");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("no-such-bucket").contains("S3_BUCKET");

        w.env.putAll(saved);
        w.env.put("TARGET_S3_PERMISSION", "world-writable");
        r = w.run("copy");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("TARGET_S3_PERMISSION");

        for (List<String> args : List.of(List.of("copy", "--limit", "ten"), List.of("copy", "--only", "statuses"),
                List.of("copy", "--bogus"), List.of("frobnicate"), List.of("copy", "--limit"))) {
            r = w.run(args.toArray(String[]::new));
            assertThat(r.code()).as(String.join(" ", args)).isEqualTo(2);
            assertThat(r.err()).startsWith("error: ");
        }
    }
}
