package mastodon.s3sync.copy;

import static mastodon.s3sync.copy.CopyEndToEndTest.keys;
import static mastodon.s3sync.copy.CopyEndToEndTest.publicRead;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import mastodon.s3sync.InProcessRunner;
import mastodon.s3sync.testing.MastodonFixture;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;

/**
 * Exactly what Mastodon wrote, end to end, on the real schema of two Mastodon versions (4.3: imports, no thumbnail
 * schema version; 4.6: no imports, thumbnail schema version): the Content-Type of GIF smalls and GIF preview cards,
 * the source's own specific type kept, media of removed-but-kept statuses private, no small for an unprocessed
 * video/x-ms-asf upload, imports copied where the table exists, a verbatim {@code S3_KEY_PREFIX} with a trailing
 * slash, hostile rows refused one by one while the job goes on, and a database that is not Mastodon's refused.
 */
@Timeout(300)
@CopyServers
class CopyFidelityEndToEndTest {

    static CopyEnvironment servers;

    @BeforeAll
    static void start(CopyEnvironment shared) throws Exception {
        servers = shared;
    }

    static final String REMOVED_ORIGINAL = "media_attachments/files/000/000/101/original/1010101010101010.jpg";
    static final String REMOVED_SMALL = "media_attachments/files/000/000/101/small/1010101010101010.jpg";
    static final String GIF_SMALL = "media_attachments/files/000/000/103/small/1030303030303030.png";
    static final String GIF_CARD = "cache/preview_cards/images/000/000/005/original/0505050505050505.gif";
    static final String JPEG_BYTES_CARD = "preview_cards/images/000/000/006/original/0606060606060606.png";
    static final String IMPORT = "imports/data/000/000/007/original/following_accounts.csv";

    /** key -> Content-Type the target must have. */
    static Map<String, String> expected(String version) {
        Map<String, String> e = new LinkedHashMap<>();
        e.put("accounts/avatars/000/000/001/original/aaaa000000000001.png", "image/png");
        e.put(REMOVED_ORIGINAL, "image/jpeg");
        e.put(REMOVED_SMALL, "image/jpeg");
        e.put("media_attachments/files/000/000/102/original/1020202020202020.jpg", "image/jpeg");
        e.put("media_attachments/files/000/000/102/small/1020202020202020.jpg", "image/jpeg");
        e.put("media_attachments/files/000/000/103/original/1030303030303030.gif", "image/gif");
        e.put(GIF_SMALL, "image/gif"); // GIF bytes under a .png name, as Mastodon wrote them
        e.put("media_attachments/files/000/000/104/original/1040404040404040.wma", "video/x-ms-asf");
        e.put(GIF_CARD, "image/jpeg"); // a GIF card is stored as JPEG
        e.put(JPEG_BYTES_CARD, "image/jpeg"); // the source's own specific type, not the row's image/png
        // a remote video with a thumbnail: the thumbnail is under cache/ only where its schema version column
        // exists (4.6+)
        e.put("cache/media_attachments/files/000/000/105/original/1050505050505050.mp4", "video/mp4");
        e.put("cache/media_attachments/files/000/000/105/small/1050505050505050.png", "image/png");
        e.put((version.equals("4.3") ? "" : "cache/") + "media_attachments/thumbnails/000/000/105/original/"
                + "1515151515151515.jpeg", "image/jpeg");
        if (version.equals("4.3")) {
            e.put(IMPORT, "text/csv");
        }
        return e;
    }

    static void seed(CopyEnvironment.World w, String version, String prefix) throws Exception {
        MastodonFixture f = w.fixture;
        f.sql("INSERT INTO accounts (id, username, avatar_file_name, avatar_content_type) VALUES "
                + "(1, 'admin', 'aaaa000000000001.png', 'image/png')");
        // a status removed by moderation but kept (deleted_at set), and a live one
        f.sql("INSERT INTO statuses (id, account_id, deleted_at) VALUES (1001, 1, now()), (1002, 1, NULL)");
        f.sql("INSERT INTO media_attachments (id, account_id, status_id, file_file_name, file_content_type) VALUES "
                + "(101, 1, 1001, '1010101010101010.jpg', 'image/jpeg'), "
                + "(102, 1, 1002, '1020202020202020.jpg', 'image/jpeg'), "
                + "(103, 1, 1002, '1030303030303030.gif', 'image/gif'), "
                + "(104, 1, NULL, '1040404040404040.wma', 'video/x-ms-asf')");
        f.sql("INSERT INTO media_attachments (id, account_id, file_file_name, file_content_type, remote_url, "
                + "file_storage_schema_version, thumbnail_file_name, thumbnail_content_type) VALUES (105, 1, "
                + "'1050505050505050.mp4', 'video/mp4', 'https://remote.example/v.mp4', 1, '1515151515151515.jpeg', "
                + "'image/jpeg')");
        if (!version.equals("4.3")) {
            f.sql("UPDATE media_attachments SET thumbnail_storage_schema_version = 1 WHERE id = 105");
        }
        f.sql("INSERT INTO preview_cards (id, url, image_file_name, image_content_type, image_storage_schema_version) "
                + "VALUES (5, 'https://a.example', '0505050505050505.gif', 'image/gif', 1), "
                + "(6, 'https://b.example', '0606060606060606.png', 'image/png', NULL)");
        if (version.equals("4.3")) {
            f.sql("INSERT INTO imports (id, type, account_id, data_file_name, data_content_type) VALUES "
                    + "(7, 0, 1, 'following_accounts.csv', 'text/csv')");
        }
        try (S3Client s3 = servers.source.client()) {
            for (String key : expected(version).keySet()) {
                if (key.equals(JPEG_BYTES_CARD)) {
                    // Mastodon detected JPEG bytes: the source carries a specific type, which is the truth
                    String full = prefix.isEmpty() ? key : prefix + "/" + key;
                    s3.putObject(r -> r.bucket(w.sourceBucket).key(full).contentType("image/jpeg"),
                            RequestBody.fromBytes(bytes(key)));
                } else {
                    MastodonFixture.put(s3, w.sourceBucket, prefix, key, bytes(key));
                }
            }
        }
    }

    static byte[] bytes(String key) {
        return MastodonFixture.bytes(key, 500 + key.length());
    }

    static JsonNode report(CopyEnvironment.World w, String mode) throws Exception {
        return new ObjectMapper().readTree(w.report(mode).toFile());
    }

    static long sum(JsonNode report, String counter) {
        long n = 0;
        for (JsonNode t : report.get("tables")) {
            n += t.path(counter).asLong();
        }
        return n;
    }

    @ParameterizedTest(name = "Mastodon {0}")
    @ValueSource(strings = {"4.3", "4.6"})
    void copiesExactlyWhatMastodonWrote(String version, @TempDir Path dir) throws Exception {
        CopyEnvironment.World w = servers.fresh(dir, version);
        seed(w, version, "");
        Map<String, String> expected = expected(version);

        InProcessRunner.Result r = w.run("copy");
        assertThat(r.code()).as(r.err()).isZero();
        JsonNode report = report(w, "copy");
        assertThat(report.get("missing_at_source")).as("no style that never existed is looked for").isEmpty();
        assertThat(report.get("failed")).isEmpty();
        assertThat(report.has("tables")).isTrue();
        assertThat(report.get("tables").has("imports")).isEqualTo(version.equals("4.3"));
        // every object but the one whose source type was specific got its type from Mastodon's rules: counted
        assertThat(sum(report, "contentTypeRepaired")).isEqualTo(expected.size() - 1);
        assertThat(r.out()).contains((expected.size() - 1) + " object(s) written with the Content-Type Mastodon's "
                + "rules give");
        try (S3Client s3 = servers.target.client()) {
            assertThat(keys(s3, w.targetBucket)).containsExactlyInAnyOrderElementsOf(expected.keySet());
            for (Map.Entry<String, String> e : expected.entrySet()) {
                HeadObjectResponse h = s3.headObject(b -> b.bucket(w.targetBucket).key(e.getKey()));
                assertThat(h.contentType()).as("Content-Type of " + e.getKey()).isEqualTo(e.getValue());
                assertThat(s3.getObjectAsBytes(b -> b.bucket(w.targetBucket).key(e.getKey())).asByteArray())
                        .isEqualTo(bytes(e.getKey()));
                boolean removed = e.getKey().equals(REMOVED_ORIGINAL) || e.getKey().equals(REMOVED_SMALL);
                assertThat(publicRead(s3, w.targetBucket, e.getKey())).as("public-read ACL of " + e.getKey())
                        .isEqualTo(!removed);
            }
        }

        // a second pass over every row finds everything in place, the source-typed card included: nothing copied
        InProcessRunner.Result again = w.run("copy", "--restart");
        assertThat(again.code()).as(again.err()).isZero();
        JsonNode second = report(w, "copy");
        assertThat(sum(second, "copied")).isZero();
        assertThat(sum(second, "skipped")).isEqualTo(expected.size());

        // verify agrees, on the source's own type too
        InProcessRunner.Result verify = w.run("verify");
        assertThat(verify.code()).as(verify.out()).isZero();

        // --only imports: copied on 4.3, nothing to do (and no error) on 4.6
        InProcessRunner.Result imports = w.run("copy", "--only", "imports", "--restart");
        assertThat(imports.code()).as(imports.err()).isZero();
        assertThat(report(w, "copy").get("tables").has("imports")).isEqualTo(version.equals("4.3"));
    }

    /**
     * Through the routes in a dry run, which prints each source key and target key: s3proxy (Jetty) folds {@code //}
     * in request paths, so it cannot hold these keys, while AWS S3 and the other object stores Mastodon uses do.
     */
    @Test
    void keyPrefixWithATrailingSlashKeepsBothSlashes(@TempDir Path dir) throws Exception {
        CopyEnvironment.World w = servers.fresh(dir, "4.6");
        seed(w, "4.6", "");
        String key = "media_attachments/files/000/000/102/original/1020202020202020.jpg";
        // Mastodon with S3_KEY_PREFIX=masto/ wrote masto//media_attachments/...; the target prefix defaults to it
        w.env.put("S3_KEY_PREFIX", "masto/");
        InProcessRunner.Result r = w.run("copy", "--dry-run", "--only", "media_attachments");
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("masto//" + key + " -> masto//" + key + "  [image/jpeg, acl public-read]");
        assertThat(r.out()).doesNotContain(" masto/" + key).doesNotContain("masto///");
        // one leading '/' is dropped: /masto is masto
        w.env.put("TARGET_S3_KEY_PREFIX", "/masto");
        r = w.run("copy", "--dry-run", "--only", "media_attachments");
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("masto//" + key + " -> masto/" + key + "  [image/jpeg, acl public-read]");
    }

    @Test
    void hostileRowsAreRefusedOneByOneAndTheJobGoesOn(@TempDir Path dir) throws Exception {
        CopyEnvironment.World w = servers.fresh(dir, "4.3");
        MastodonFixture f = w.fixture;
        // a schema whose statuses lack deleted_at (as before Mastodon 3.5): no error, media stay public
        f.sql("ALTER TABLE statuses DROP COLUMN deleted_at");
        f.sql("INSERT INTO statuses (id, account_id) VALUES (1001, 1)");
        String longName = "a".repeat(300) + ".png";
        f.sql("INSERT INTO media_attachments (id, account_id, status_id, file_file_name, file_content_type) VALUES "
                + "(201, 1, NULL, NULL, 'image/png'), "
                + "(202, 1, NULL, '', 'image/png'), "
                + "(203, 1, NULL, '../../../../etc/passwd', 'image/png'), "
                + "(204, 1, NULL, 'a/b.png', 'image/png'), "
                + "(205, 1, NULL, '..', 'image/png'), "
                + "(206, 1, NULL, ?, 'image/png'), "
                + "(207, 1, NULL, '2070707070707070.png', E'image/png\\r\\nX-Amz-Acl: public-read-write'), "
                + "(208, 1, NULL, '2080808080808080.bin', 'application/x-unknown'), "
                + "(209, 1, 1001, '2090909090909090.jpg', 'image/jpeg')", longName);
        f.sql("INSERT INTO accounts (id, username, avatar_file_name, avatar_content_type, header_file_name, "
                + "header_content_type) VALUES (2, 'evil', E'a\\\\b.png', 'image/png', '2222222222222222.png', "
                + "'image/png')");
        f.sql("INSERT INTO imports (id, type, account_id, data_file_name, data_content_type) VALUES "
                + "(8, 0, 1, 'x/../../../backups/dumps/000/000/001/original/a.zip', 'text/csv'), "
                + "(9, 0, 1, 'blocks.csv', 'not a type')");
        List<String> good = List.of("media_attachments/files/000/000/208/original/2080808080808080.bin",
                "media_attachments/files/000/000/209/original/2090909090909090.jpg",
                "media_attachments/files/000/000/209/small/2090909090909090.jpg");
        // the source also holds objects at the places hostile names point to: none may be copied
        List<String> decoys = List.of("etc/passwd", "media_attachments/files/000/000/204/original/a/b.png",
                "backups/dumps/000/000/001/original/a.zip", "accounts/avatars/000/000/002/original/a\\b.png",
                "media_attachments/files/000/000/207/original/2070707070707070.png",
                "imports/data/000/000/009/original/blocks.csv");
        try (S3Client s3 = servers.source.client()) {
            for (String key : good) {
                MastodonFixture.put(s3, w.sourceBucket, "", key, bytes(key));
            }
            for (String key : decoys) {
                MastodonFixture.put(s3, w.sourceBucket, "", key, bytes(key));
            }
        }

        InProcessRunner.Result r = w.run("copy");
        assertThat(r.code()).as("refused rows fail the pass").isEqualTo(1);
        JsonNode report = report(w, "copy");
        List<String> refused = new ArrayList<>();
        for (JsonNode p : report.get("failed")) {
            assertThat(p.get("reason").asText()).startsWith("row refused: ");
            refused.add(p.get("table").asText() + " " + p.get("id").asLong());
        }
        // each hostile row once; the NULL and empty names are rows without a file (as Paperclip has them)
        assertThat(refused).containsExactlyInAnyOrder("media_attachments 203", "media_attachments 204",
                "media_attachments 205", "media_attachments 206", "media_attachments 207", "accounts 2",
                "imports 8", "imports 9");
        assertThat(r.out() + r.err()).doesNotContain("\r\nX-Amz-Acl");
        try (S3Client s3 = servers.target.client()) {
            Set<String> copied = new TreeSet<>(keys(s3, w.targetBucket));
            assertThat(copied).containsExactlyInAnyOrderElementsOf(good);
            // an unknown but well-formed type is copied as the original only, with its own type
            assertThat(s3.headObject(b -> b.bucket(w.targetBucket).key(good.get(0))).contentType())
                    .isEqualTo("application/x-unknown");
            assertThat(publicRead(s3, w.targetBucket, good.get(1))).isTrue();
        }
    }

    @Test
    void refusesADatabaseThatIsNotMastodonsNamingWhatIsMissing(@TempDir Path dir) throws Exception {
        CopyEnvironment.World w = servers.fresh(dir, "4.6");
        w.fixture.sql("ALTER TABLE media_attachments DROP COLUMN file_storage_schema_version");
        w.fixture.sql("DROP TABLE statuses");
        InProcessRunner.Result r = w.run("copy");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).startsWith("error: the database is not a Mastodon 4.x database")
                .contains("schema version 2026_06_11_150940")
                .contains("column media_attachments.file_storage_schema_version")
                .contains("table statuses")
                .contains("DB_NAME");
        // a pass that does not read media does not need them
        InProcessRunner.Result backups = w.run("copy", "--only", "backups");
        assertThat(backups.code()).as(backups.err()).isZero();

        w.fixture.sql("DROP TABLE schema_migrations");
        r = w.run("copy", "--only", "backups");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("no schema_migrations table").contains("lacks table schema_migrations");
    }
}
