package mastodon.s3sync.copy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CopyTaskTest {

    private static final CopyTask TASK = new CopyTask("media_attachments", 109348763475345678L,
            "cache/media_attachments/files/109/348/763/475/345/678/original/3562dcb3b25b8dd0.mp4", "video/mp4", false);

    @ParameterizedTest(name = "prefix ''{0}''")
    @CsvSource(value = {
            "masto    | masto/cache/media_attachments/files/109/348/763/475/345/678/original/3562dcb3b25b8dd0.mp4",
            // verbatim, as kt-paperclip joins it: a trailing '/' makes two slashes, real keys in such a bucket
            "masto/   | masto//cache/media_attachments/files/109/348/763/475/345/678/original/3562dcb3b25b8dd0.mp4",
            "masto//  | masto///cache/media_attachments/files/109/348/763/475/345/678/original/3562dcb3b25b8dd0.mp4",
            "a/b      | a/b/cache/media_attachments/files/109/348/763/475/345/678/original/3562dcb3b25b8dd0.mp4",
            "a/b/     | a/b//cache/media_attachments/files/109/348/763/475/345/678/original/3562dcb3b25b8dd0.mp4",
            // one leading '/' of the whole path is dropped
            "/masto   | masto/cache/media_attachments/files/109/348/763/475/345/678/original/3562dcb3b25b8dd0.mp4",
            "//masto  | /masto/cache/media_attachments/files/109/348/763/475/345/678/original/3562dcb3b25b8dd0.mp4",
            "''       | cache/media_attachments/files/109/348/763/475/345/678/original/3562dcb3b25b8dd0.mp4",
            "/        | /cache/media_attachments/files/109/348/763/475/345/678/original/3562dcb3b25b8dd0.mp4",
    }, delimiter = '|')
    void fullKeyPutsThePrefixBeforeTheKey(String prefix, String expected) {
        assertThat(TASK.fullKey(prefix)).isEqualTo(expected);
    }

    @Test
    void fullKeyWithoutPrefixIsTheKey() {
        assertThat(TASK.fullKey(null)).isEqualTo(TASK.key());
    }

    @Test
    void cacheControlIsWhatMastodonWrites() {
        assertThat(CopyTask.CACHE_CONTROL).isEqualTo("public, max-age=315576000, immutable");
    }

    @Test
    void travelsAsFlatJson() throws Exception {
        ObjectMapper json = new ObjectMapper();
        CopyTask backup = new CopyTask("backups", 5, "backups/dumps/000/000/005/original/a.zip", "application/zip", true)
                .planned("masto", "", "PUBLIC_READ", "STANDARD_IA").listed(1234L, CopyTask.ABSENT);

        String text = json.writeValueAsString(backup);
        JsonNode tree = json.readTree(text);

        assertThat(tree.fieldNames()).toIterable()
                .containsExactlyInAnyOrder("table", "rowId", "key", "contentType", "privateAcl", "sourceKey",
                        "targetKey", "cannedAcl", "storageClass", "sourceSize", "targetSize");
        assertThat(tree.get("rowId").asLong()).isEqualTo(5);
        assertThat(tree.get("privateAcl").asBoolean()).isTrue();
        assertThat(tree.get("sourceKey").asText()).isEqualTo("masto/backups/dumps/000/000/005/original/a.zip");
        assertThat(tree.get("targetKey").asText()).isEqualTo("backups/dumps/000/000/005/original/a.zip");
        assertThat(tree.get("cannedAcl").asText()).as("a backup is private whatever the permission")
                .isEqualTo("PRIVATE");
        assertThat(tree.get("targetSize").asLong()).isEqualTo(CopyTask.ABSENT);
        assertThat(json.readValue(text, CopyTask.class)).isEqualTo(backup);
        // nothing listed: null sizes, told apart from a listing that found the key absent
        CopyTask unlisted = new CopyTask("accounts", 1, "accounts/avatars/000/000/001/original/a.png", "image/png",
                false).planned(null, null, "PUBLIC_READ", "");
        CopyTask back = json.readValue(json.writeValueAsString(unlisted), CopyTask.class);
        assertThat(back.sourceSize()).isNull();
        assertThat(back.targetSize()).isNull();
        assertThat(back.cannedAcl()).isEqualTo("PUBLIC_READ");
        assertThat(back.storageClass()).as("blank: the store's default").isNull();
    }

    @Test
    void anEmptyPermissionSendsNoAclEvenForPrivateObjects() {
        CopyTask backup = new CopyTask("backups", 5, "backups/dumps/000/000/005/original/a.zip", "application/zip", true);
        assertThat(backup.planned(null, null, null, null).cannedAcl()).isNull();
    }
}
