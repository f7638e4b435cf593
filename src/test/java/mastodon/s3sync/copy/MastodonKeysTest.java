package mastodon.s3sync.copy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class MastodonKeysTest {

    private static final long SNOWFLAKE = 109348763475345678L;
    private static final String SNOWFLAKE_PARTITION = "109/348/763/475/345/678";
    private static final String HEX = "3562dcb3b25b8dd0";

    private final MastodonKeys keys = new MastodonKeys();

    /** A row map from alternating column names and values; values may be null. */
    private static Map<String, Object> row(Object... columnsAndValues) {
        Map<String, Object> row = new HashMap<>();
        for (int i = 0; i < columnsAndValues.length; i += 2) {
            row.put((String) columnsAndValues[i], columnsAndValues[i + 1]);
        }
        return row;
    }

    private static CopyTask task(String table, long id, String key, String contentType) {
        return new CopyTask(table, id, key, contentType, false);
    }

    private static CopyTask privateTask(String table, long id, String key, String contentType) {
        return new CopyTask(table, id, key, contentType, true);
    }

    private static CopyTask media(long id, String key, String contentType) {
        return task("media_attachments", id, key, contentType);
    }

    @Nested
    class IdPartition {

        @ParameterizedTest(name = "{0} -> {1}")
        @CsvSource({
                "0, 000/000/000",
                "1, 000/000/001",
                "12345, 000/012/345",
                "45027478, 045/027/478",
                "999999999, 999/999/999",
                "1000000000, 001/000/000/000",
                "1234567890, 001/234/567/890",
                "999999999999, 999/999/999/999",
                // 13 digits: four complete groups, the last digit is dropped
                "1234567890123, 123/456/789/012",
                // 14 digits: four complete groups, the last two digits are dropped
                "12345678901234, 123/456/789/012",
                "108892712797543112, 108/892/712/797/543/112",
                "109348763475345678, 109/348/763/475/345/678",
                // 19 digits: six complete groups, the last digit is dropped
                "9223372036854775807, 922/337/203/685/477/580",
        })
        void matchesMastodon(long id, String expected) {
            assertThat(MastodonKeys.idPartition(id)).isEqualTo(expected);
        }

        @Test
        void rejectsNegativeIds() {
            assertThatThrownBy(() -> MastodonKeys.idPartition(-1)).isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void tablesInCopyOrder() {
        assertThat(MastodonKeys.tables()).containsExactly("media_attachments", "accounts", "custom_emojis",
                "preview_cards", "site_uploads", "preview_card_providers", "backups", "imports");
    }

    @Test
    void onlyImportsIsOptional() {
        assertThat(MastodonKeys.tables().stream().filter(MastodonKeys::isOptional)).containsExactly("imports");
    }

    @Nested
    class WorkedExamples {

        @Test
        void localSnowflakeImage() {
            assertThat(keys.objectsFor("media_attachments", row("id", SNOWFLAKE, "remote_url", "",
                    "file_file_name", HEX + ".jpg", "file_content_type", "image/jpeg", "file_storage_schema_version", 1)))
                    .containsExactly(
                            media(SNOWFLAKE, "media_attachments/files/109/348/763/475/345/678/original/3562dcb3b25b8dd0.jpg",
                                    "image/jpeg"),
                            media(SNOWFLAKE, "media_attachments/files/109/348/763/475/345/678/small/3562dcb3b25b8dd0.jpg",
                                    "image/jpeg"));
        }

        @Test
        void remoteVideoVersion1() {
            assertThat(keys.objectsFor("media_attachments", row("id", SNOWFLAKE,
                    "remote_url", "https://example.social/v.mp4", "file_file_name", HEX + ".mp4",
                    "file_content_type", "video/mp4", "file_storage_schema_version", 1)))
                    .containsExactly(
                            media(SNOWFLAKE, "cache/media_attachments/files/" + SNOWFLAKE_PARTITION + "/original/" + HEX + ".mp4",
                                    "video/mp4"),
                            media(SNOWFLAKE, "cache/media_attachments/files/" + SNOWFLAKE_PARTITION + "/small/" + HEX + ".png",
                                    "image/png"));
        }

        @Test
        void thumbnailBefore46() {
            assertThat(keys.objectsFor("media_attachments", row("id", SNOWFLAKE, "remote_url", "",
                    "file_file_name", "aaaaaaaaaaaaaaaa.mp3", "file_content_type", "audio/mpeg",
                    "file_storage_schema_version", 1,
                    "thumbnail_file_name", HEX + ".jpeg", "thumbnail_content_type", "image/jpeg")))
                    .containsExactly(
                            media(SNOWFLAKE, "media_attachments/files/" + SNOWFLAKE_PARTITION + "/original/aaaaaaaaaaaaaaaa.mp3",
                                    "audio/mpeg"),
                            media(SNOWFLAKE, "media_attachments/thumbnails/" + SNOWFLAKE_PARTITION + "/original/" + HEX + ".jpeg",
                                    "image/jpeg"));
        }

        @Test
        void preSnowflakeLocalMedia() {
            assertThat(keys.objectsFor("media_attachments", row("id", 12345L, "remote_url", "",
                    "file_file_name", HEX + ".png", "file_content_type", "image/png")))
                    .containsExactly(
                            media(12345, "media_attachments/files/000/012/345/original/" + HEX + ".png", "image/png"),
                            media(12345, "media_attachments/files/000/012/345/small/" + HEX + ".png", "image/png"));
        }

        @Test
        void remoteSnowflakeAvatar() {
            assertThat(keys.objectsFor("accounts", row("id", 108892712797543112L, "domain", "example.social",
                    "avatar_file_name", "5396d516ae170bb0.png", "avatar_content_type", "image/png",
                    "avatar_storage_schema_version", 1)))
                    .containsExactly(task("accounts", 108892712797543112L,
                            "cache/accounts/avatars/108/892/712/797/543/112/original/5396d516ae170bb0.png", "image/png"));
        }

        @Test
        void remoteGifHeader() {
            assertThat(keys.objectsFor("accounts", row("id", 464472L, "domain", "example.social",
                    "header_file_name", "2e94bd33745f86a6.gif", "header_content_type", "image/gif",
                    "header_storage_schema_version", 1)))
                    .containsExactly(
                            task("accounts", 464472, "cache/accounts/headers/000/464/472/original/2e94bd33745f86a6.gif",
                                    "image/gif"),
                            task("accounts", 464472, "cache/accounts/headers/000/464/472/static/2e94bd33745f86a6.png",
                                    "image/png"));
        }

        @Test
        void remoteCustomEmoji() {
            assertThat(keys.objectsFor("custom_emojis", row("id", 27176L, "domain", "example.social",
                    "image_file_name", "606b7f4e441132df.png", "image_content_type", "image/png",
                    "image_storage_schema_version", 1)))
                    .containsExactly(
                            task("custom_emojis", 27176, "cache/custom_emojis/images/000/027/176/original/606b7f4e441132df.png",
                                    "image/png"),
                            task("custom_emojis", 27176, "cache/custom_emojis/images/000/027/176/static/606b7f4e441132df.png",
                                    "image/png"));
        }

        @Test
        void previewCardVersion1() {
            assertThat(keys.objectsFor("preview_cards", row("id", 45027478L,
                    "image_file_name", "0783d5e91a14fd49.jpeg", "image_content_type", "image/jpeg",
                    "image_storage_schema_version", 1)))
                    .containsExactly(task("preview_cards", 45027478,
                            "cache/preview_cards/images/045/027/478/original/0783d5e91a14fd49.jpeg", "image/jpeg"));
        }

        @Test
        void siteUploadThumbnail() {
            assertThat(keys.objectsFor("site_uploads", row("id", 3L, "var", "thumbnail",
                    "file_file_name", HEX + ".png", "file_content_type", "image/png")))
                    .containsExactly(
                            task("site_uploads", 3, "site_uploads/files/000/000/003/original/" + HEX + ".png", "image/png"),
                            task("site_uploads", 3, "site_uploads/files/000/000/003/@1x/" + HEX + ".png", "image/png"),
                            task("site_uploads", 3, "site_uploads/files/000/000/003/@2x/" + HEX + ".png", "image/png"));
        }

        @Test
        void backupIsPrivate() {
            String name = "archive-20240101120000-0123456789abcdef0123456789abcdef.zip";
            assertThat(keys.objectsFor("backups", row("id", 5L, "dump_file_name", name,
                    "dump_content_type", "application/zip")))
                    .containsExactly(privateTask("backups", 5, "backups/dumps/000/000/005/original/" + name,
                            "application/zip"));
        }

        @Test
        void keyPrefix() {
            List<CopyTask> tasks = keys.objectsFor("media_attachments", row("id", SNOWFLAKE,
                    "remote_url", "https://example.social/v.mp4", "file_file_name", HEX + ".mp4",
                    "file_content_type", "video/mp4", "file_storage_schema_version", 1));
            assertThat(tasks).extracting(t -> t.fullKey("masto")).containsExactly(
                    "masto/cache/media_attachments/files/" + SNOWFLAKE_PARTITION + "/original/" + HEX + ".mp4",
                    "masto/cache/media_attachments/files/" + SNOWFLAKE_PARTITION + "/small/" + HEX + ".png");
        }
    }

    @Nested
    class MediaAttachments {

        private List<CopyTask> remoteJpeg(Object version) {
            return keys.objectsFor("media_attachments", row("id", 7L, "remote_url", "https://example.social/a.jpg",
                    "file_file_name", HEX + ".jpg", "file_content_type", "image/jpeg",
                    "file_storage_schema_version", version));
        }

        @Test
        void remoteVersionNullIsNotCached() {
            assertThat(remoteJpeg(null)).containsExactly(
                    media(7, "media_attachments/files/000/000/007/original/" + HEX + ".jpg", "image/jpeg"),
                    media(7, "media_attachments/files/000/000/007/small/" + HEX + ".jpg", "image/jpeg"));
        }

        @Test
        void remoteVersion0IsNotCached() {
            assertThat(remoteJpeg(0)).containsExactly(
                    media(7, "media_attachments/files/000/000/007/original/" + HEX + ".jpg", "image/jpeg"),
                    media(7, "media_attachments/files/000/000/007/small/" + HEX + ".jpg", "image/jpeg"));
        }

        @Test
        void remoteVersion1IsCached() {
            assertThat(remoteJpeg(1)).containsExactly(
                    media(7, "cache/media_attachments/files/000/000/007/original/" + HEX + ".jpg", "image/jpeg"),
                    media(7, "cache/media_attachments/files/000/000/007/small/" + HEX + ".jpg", "image/jpeg"));
        }

        @Test
        void remoteVersionAsBigDecimalIsCached() {
            assertThat(remoteJpeg(BigDecimal.ONE)).extracting(CopyTask::key).allMatch(k -> k.startsWith("cache/"));
        }

        @Test
        void missingVersionColumnIsNotCached() {
            assertThat(keys.objectsFor("media_attachments", row("id", 7L, "remote_url", "https://example.social/a.jpg",
                    "file_file_name", HEX + ".jpg", "file_content_type", "image/jpeg")))
                    .extracting(CopyTask::key).noneMatch(k -> k.startsWith("cache/"));
        }

        @ParameterizedTest(name = "remote_url {0}")
        @ValueSource(strings = {"", "<null>", "<missing>"})
        void localVersion1IsNotCached(String remoteUrl) {
            Map<String, Object> row = row("id", 7L, "file_file_name", HEX + ".jpg", "file_content_type", "image/jpeg",
                    "file_storage_schema_version", 1);
            if (!remoteUrl.equals("<missing>")) {
                row.put("remote_url", remoteUrl.equals("<null>") ? null : remoteUrl);
            }
            assertThat(keys.objectsFor("media_attachments", row)).containsExactly(
                    media(7, "media_attachments/files/000/000/007/original/" + HEX + ".jpg", "image/jpeg"),
                    media(7, "media_attachments/files/000/000/007/small/" + HEX + ".jpg", "image/jpeg"));
        }

        private List<CopyTask> remoteWithThumbnail(Integer thumbnailVersion) {
            return keys.objectsFor("media_attachments", row("id", SNOWFLAKE, "remote_url", "https://example.social/v.mp4",
                    "file_file_name", HEX + ".mp4", "file_content_type", "video/mp4", "file_storage_schema_version", 1,
                    "thumbnail_file_name", "bbbbbbbbbbbbbbbb.jpeg", "thumbnail_content_type", "image/jpeg",
                    "thumbnail_storage_schema_version", thumbnailVersion));
        }

        @Test
        void remoteThumbnailBefore46IsNotCached() {
            assertThat(remoteWithThumbnail(null)).containsExactly(
                    media(SNOWFLAKE, "cache/media_attachments/files/" + SNOWFLAKE_PARTITION + "/original/" + HEX + ".mp4",
                            "video/mp4"),
                    media(SNOWFLAKE, "cache/media_attachments/files/" + SNOWFLAKE_PARTITION + "/small/" + HEX + ".png",
                            "image/png"),
                    media(SNOWFLAKE, "media_attachments/thumbnails/" + SNOWFLAKE_PARTITION + "/original/bbbbbbbbbbbbbbbb.jpeg",
                            "image/jpeg"));
        }

        @Test
        void remoteThumbnailVersion1IsCached() {
            assertThat(remoteWithThumbnail(1)).containsExactly(
                    media(SNOWFLAKE, "cache/media_attachments/files/" + SNOWFLAKE_PARTITION + "/original/" + HEX + ".mp4",
                            "video/mp4"),
                    media(SNOWFLAKE, "cache/media_attachments/files/" + SNOWFLAKE_PARTITION + "/small/" + HEX + ".png",
                            "image/png"),
                    media(SNOWFLAKE, "cache/media_attachments/thumbnails/" + SNOWFLAKE_PARTITION
                            + "/original/bbbbbbbbbbbbbbbb.jpeg", "image/jpeg"));
        }

        @Test
        void localThumbnailVersion1IsNotCached() {
            assertThat(keys.objectsFor("media_attachments", row("id", 8L, "remote_url", "",
                    "thumbnail_file_name", "bbbbbbbbbbbbbbbb.png", "thumbnail_content_type", "image/png",
                    "thumbnail_storage_schema_version", 1)))
                    .containsExactly(media(8, "media_attachments/thumbnails/000/000/008/original/bbbbbbbbbbbbbbbb.png",
                            "image/png"));
        }

        @Test
        void audioHasNoSmall() {
            assertThat(keys.objectsFor("media_attachments", row("id", 9L, "remote_url", "",
                    "file_file_name", HEX + ".mp3", "file_content_type", "audio/mpeg")))
                    .containsExactly(media(9, "media_attachments/files/000/000/009/original/" + HEX + ".mp3", "audio/mpeg"));
        }

        @Test
        void videoSmallIsPng() {
            assertThat(keys.objectsFor("media_attachments", row("id", 9L, "remote_url", "",
                    "file_file_name", HEX + ".mp4", "file_content_type", "video/mp4")))
                    .containsExactly(
                            media(9, "media_attachments/files/000/000/009/original/" + HEX + ".mp4", "video/mp4"),
                            media(9, "media_attachments/files/000/000/009/small/" + HEX + ".png", "image/png"));
        }

        @Test
        void nonAnimatedGifSmallIsPngNamedButGifTyped() {
            // the GIF transcoder returns a non-animated GIF untouched: the small holds GIF bytes, written image/gif
            assertThat(keys.objectsFor("media_attachments", row("id", 9L, "remote_url", "",
                    "file_file_name", HEX + ".gif", "file_content_type", "image/gif")))
                    .containsExactly(
                            media(9, "media_attachments/files/000/000/009/original/" + HEX + ".gif", "image/gif"),
                            media(9, "media_attachments/files/000/000/009/small/" + HEX + ".png", "image/gif"));
        }

        @Test
        void unprocessedAsfUploadIsAudioWithoutSmall() {
            assertThat(keys.objectsFor("media_attachments", row("id", 9L, "remote_url", "",
                    "file_file_name", HEX + ".wma", "file_content_type", "video/x-ms-asf")))
                    .containsExactly(media(9, "media_attachments/files/000/000/009/original/" + HEX + ".wma",
                            "video/x-ms-asf"));
        }

        @ParameterizedTest(name = "{0}")
        @ValueSource(strings = {"video/mp4", "video/ogg", "video/webm", "video/quicktime"})
        void mastodonsVideoTypesHaveAPngSmall(String type) {
            assertThat(keys.objectsFor("media_attachments", row("id", 9L, "remote_url", "",
                    "file_file_name", HEX + ".mp4", "file_content_type", type)))
                    .extracting(CopyTask::key, CopyTask::contentType)
                    .containsExactly(
                            org.assertj.core.groups.Tuple.tuple("media_attachments/files/000/000/009/original/" + HEX
                                    + ".mp4", type),
                            org.assertj.core.groups.Tuple.tuple("media_attachments/files/000/000/009/small/" + HEX
                                    + ".png", "image/png"));
        }

        @ParameterizedTest(name = "{0}")
        @ValueSource(strings = {"video/x-matroska", "video/x-msvideo", "video/avi"})
        void otherVideoTypesHaveNoSmall(String type) {
            assertThat(keys.objectsFor("media_attachments", row("id", 9L, "remote_url", "",
                    "file_file_name", HEX + ".mkv", "file_content_type", type))).hasSize(1);
        }

        @Test
        void unconvertedHeicSmallIsJpeg() {
            assertThat(keys.objectsFor("media_attachments", row("id", 9L, "remote_url", "",
                    "file_file_name", HEX + ".heic", "file_content_type", "image/heic")))
                    .containsExactly(
                            media(9, "media_attachments/files/000/000/009/original/" + HEX + ".heic", "image/heic"),
                            media(9, "media_attachments/files/000/000/009/small/" + HEX + ".jpeg", "image/jpeg"));
        }

        @Test
        void unlistedImageTypeHasNoSmall() {
            assertThat(keys.objectsFor("media_attachments", row("id", 9L, "remote_url", "",
                    "file_file_name", HEX + ".bmp", "file_content_type", "image/bmp"))).hasSize(1);
        }

        @Test
        void mediaOfARemovedButKeptStatusIsPrivateInEveryStyle() {
            assertThat(keys.objectsFor("media_attachments", row("id", 10L, "remote_url", "", "suspended", false,
                    "status_removed", true, "file_file_name", HEX + ".jpg", "file_content_type", "image/jpeg",
                    "thumbnail_file_name", "bbbbbbbbbbbbbbbb.jpeg", "thumbnail_content_type", "image/jpeg")))
                    .hasSize(3).allMatch(CopyTask::privateAcl);
        }

        @ParameterizedTest(name = "status_removed {0}")
        @ValueSource(strings = {"false", "<null>"})
        void mediaOfAKeptStatusIsNotPrivate(String removed) {
            assertThat(keys.objectsFor("media_attachments", row("id", 10L, "remote_url", "",
                    "status_removed", removed.equals("<null>") ? null : Boolean.valueOf(removed),
                    "file_file_name", HEX + ".jpg", "file_content_type", "image/jpeg")))
                    .hasSize(2).noneMatch(CopyTask::privateAcl);
        }

        @Test
        void webpSmallKeepsExtensionAndType() {
            assertThat(keys.objectsFor("media_attachments", row("id", 9L, "remote_url", "",
                    "file_file_name", HEX + ".webp", "file_content_type", "image/webp")))
                    .containsExactly(
                            media(9, "media_attachments/files/000/000/009/original/" + HEX + ".webp", "image/webp"),
                            media(9, "media_attachments/files/000/000/009/small/" + HEX + ".webp", "image/webp"));
        }

        @Test
        void otherTypeHasOriginalOnly() {
            assertThat(keys.objectsFor("media_attachments", row("id", 9L, "remote_url", "",
                    "file_file_name", HEX + ".bin", "file_content_type", "application/pdf")))
                    .containsExactly(media(9, "media_attachments/files/000/000/009/original/" + HEX + ".bin",
                            "application/pdf"));
        }

        @Test
        void missingContentTypeIsOctetStreamOriginalOnly() {
            assertThat(keys.objectsFor("media_attachments", row("id", 9L, "remote_url", "",
                    "file_file_name", HEX + ".jpg", "file_content_type", null)))
                    .containsExactly(media(9, "media_attachments/files/000/000/009/original/" + HEX + ".jpg",
                            "application/octet-stream"));
        }

        @Test
        void suspendedAccountMediaIsPrivateInEveryStyle() {
            assertThat(keys.objectsFor("media_attachments", row("id", 10L, "remote_url", "", "suspended", true,
                    "file_file_name", HEX + ".mp4", "file_content_type", "video/mp4",
                    "thumbnail_file_name", "bbbbbbbbbbbbbbbb.jpeg", "thumbnail_content_type", "image/jpeg")))
                    .containsExactly(
                            privateTask("media_attachments", 10, "media_attachments/files/000/000/010/original/" + HEX + ".mp4",
                                    "video/mp4"),
                            privateTask("media_attachments", 10, "media_attachments/files/000/000/010/small/" + HEX + ".png",
                                    "image/png"),
                            privateTask("media_attachments", 10,
                                    "media_attachments/thumbnails/000/000/010/original/bbbbbbbbbbbbbbbb.jpeg", "image/jpeg"));
        }

        @ParameterizedTest(name = "suspended {0}")
        @ValueSource(strings = {"false", "<null>"})
        void unsuspendedMediaIsNotPrivate(String suspended) {
            assertThat(keys.objectsFor("media_attachments", row("id", 10L, "remote_url", "",
                    "suspended", suspended.equals("<null>") ? null : Boolean.valueOf(suspended),
                    "file_file_name", HEX + ".mp3", "file_content_type", "audio/mpeg")))
                    .containsExactly(media(10, "media_attachments/files/000/000/010/original/" + HEX + ".mp3", "audio/mpeg"));
        }

        @Test
        void nullFileNameHasNoObjects() {
            assertThat(keys.objectsFor("media_attachments", row("id", 11L, "remote_url", "https://example.social/a.jpg",
                    "file_file_name", null, "file_content_type", "image/jpeg", "file_storage_schema_version", 1)))
                    .isEmpty();
        }

        @Test
        void emptyFileNameHasNoObjects() {
            assertThat(keys.objectsFor("media_attachments", row("id", 11L, "remote_url", "",
                    "file_file_name", "", "file_content_type", "image/jpeg"))).isEmpty();
        }

        @Test
        void onlyTheThumbnailWhenTheFileIsGone() {
            assertThat(keys.objectsFor("media_attachments", row("id", 11L, "remote_url", "",
                    "thumbnail_file_name", "bbbbbbbbbbbbbbbb.jpeg", "thumbnail_content_type", "image/jpeg")))
                    .containsExactly(media(11, "media_attachments/thumbnails/000/000/011/original/bbbbbbbbbbbbbbbb.jpeg",
                            "image/jpeg"));
        }

        @Test
        void fileNameWithoutDot() {
            assertThat(keys.objectsFor("media_attachments", row("id", 12L, "remote_url", "",
                    "file_file_name", HEX, "file_content_type", "video/mp4",
                    "thumbnail_file_name", "noext", "thumbnail_content_type", "image/jpeg")))
                    .containsExactly(
                            media(12, "media_attachments/files/000/000/012/original/" + HEX, "video/mp4"),
                            media(12, "media_attachments/files/000/000/012/small/" + HEX + ".png", "image/png"),
                            media(12, "media_attachments/thumbnails/000/000/012/original/noext", "image/jpeg"));
        }

        @Test
        void imageWithoutDotKeepsNameForSmall() {
            assertThat(keys.objectsFor("media_attachments", row("id", 12L, "remote_url", "",
                    "file_file_name", HEX, "file_content_type", "image/jpeg")))
                    .containsExactly(
                            media(12, "media_attachments/files/000/000/012/original/" + HEX, "image/jpeg"),
                            media(12, "media_attachments/files/000/000/012/small/" + HEX, "image/jpeg"));
        }

        @Test
        void onlyTheLastExtensionIsReplaced() {
            assertThat(keys.objectsFor("media_attachments", row("id", 12L, "remote_url", "",
                    "file_file_name", "a.b.gif", "file_content_type", "image/gif")))
                    .containsExactly(
                            media(12, "media_attachments/files/000/000/012/original/a.b.gif", "image/gif"),
                            media(12, "media_attachments/files/000/000/012/small/a.b.png", "image/gif"));
        }
    }

    @Nested
    class Accounts {

        @Test
        void gifAvatarHasStaticButJpegHeaderDoesNot() {
            assertThat(keys.objectsFor("accounts", row("id", 20L, "domain", null,
                    "avatar_file_name", "aaaaaaaaaaaaaaaa.gif", "avatar_content_type", "image/gif",
                    "header_file_name", "bbbbbbbbbbbbbbbb.jpeg", "header_content_type", "image/jpeg")))
                    .containsExactly(
                            task("accounts", 20, "accounts/avatars/000/000/020/original/aaaaaaaaaaaaaaaa.gif", "image/gif"),
                            task("accounts", 20, "accounts/avatars/000/000/020/static/aaaaaaaaaaaaaaaa.png", "image/png"),
                            task("accounts", 20, "accounts/headers/000/000/020/original/bbbbbbbbbbbbbbbb.jpeg", "image/jpeg"));
        }

        @Test
        void jpegAvatarHasOriginalOnly() {
            assertThat(keys.objectsFor("accounts", row("id", 20L, "domain", null,
                    "avatar_file_name", "aaaaaaaaaaaaaaaa.jpeg", "avatar_content_type", "image/jpeg")))
                    .containsExactly(
                            task("accounts", 20, "accounts/avatars/000/000/020/original/aaaaaaaaaaaaaaaa.jpeg", "image/jpeg"));
        }

        @Test
        void localVersion1IsNotCached() {
            assertThat(keys.objectsFor("accounts", row("id", 20L, "domain", null,
                    "avatar_file_name", "aaaaaaaaaaaaaaaa.png", "avatar_content_type", "image/png",
                    "avatar_storage_schema_version", 1)))
                    .containsExactly(task("accounts", 20, "accounts/avatars/000/000/020/original/aaaaaaaaaaaaaaaa.png",
                            "image/png"));
        }

        @Test
        void versionIsPerAttachment() {
            assertThat(keys.objectsFor("accounts", row("id", 20L, "domain", "example.social",
                    "avatar_file_name", "aaaaaaaaaaaaaaaa.png", "avatar_content_type", "image/png",
                    "avatar_storage_schema_version", 0,
                    "header_file_name", "bbbbbbbbbbbbbbbb.png", "header_content_type", "image/png",
                    "header_storage_schema_version", 1)))
                    .containsExactly(
                            task("accounts", 20, "accounts/avatars/000/000/020/original/aaaaaaaaaaaaaaaa.png", "image/png"),
                            task("accounts", 20, "cache/accounts/headers/000/000/020/original/bbbbbbbbbbbbbbbb.png",
                                    "image/png"));
        }

        @Test
        void suspendedAccountsOwnAvatarIsNotPrivate() {
            // only media attachments of suspended accounts turn private
            assertThat(keys.objectsFor("accounts", row("id", 20L, "domain", null, "suspended", true,
                    "avatar_file_name", "aaaaaaaaaaaaaaaa.png", "avatar_content_type", "image/png")))
                    .containsExactly(task("accounts", 20, "accounts/avatars/000/000/020/original/aaaaaaaaaaaaaaaa.png",
                            "image/png"));
        }

        @Test
        void noFilesNoObjects() {
            assertThat(keys.objectsFor("accounts", row("id", 20L, "domain", "example.social",
                    "avatar_file_name", null, "header_file_name", null))).isEmpty();
        }
    }

    @Nested
    class OtherTables {

        @Test
        void localCustomEmojiIsNotCachedButHasStatic() {
            assertThat(keys.objectsFor("custom_emojis", row("id", 30L, "domain", null,
                    "image_file_name", "606b7f4e441132df.gif", "image_content_type", "image/gif",
                    "image_storage_schema_version", 1)))
                    .containsExactly(
                            task("custom_emojis", 30, "custom_emojis/images/000/000/030/original/606b7f4e441132df.gif",
                                    "image/gif"),
                            task("custom_emojis", 30, "custom_emojis/images/000/000/030/static/606b7f4e441132df.png",
                                    "image/png"));
        }

        @Test
        void previewCardVersionNullIsNotCached() {
            assertThat(keys.objectsFor("preview_cards", row("id", 45027478L,
                    "image_file_name", "0783d5e91a14fd49.jpeg", "image_content_type", "image/jpeg",
                    "image_storage_schema_version", null)))
                    .containsExactly(task("preview_cards", 45027478,
                            "preview_cards/images/045/027/478/original/0783d5e91a14fd49.jpeg", "image/jpeg"));
        }

        @Test
        void previewCardProviderIconIsNeverCachedAndHasStatic() {
            assertThat(keys.objectsFor("preview_card_providers", row("id", 4L,
                    "icon_file_name", "cccccccccccccccc.ico", "icon_content_type", "image/vnd.microsoft.icon",
                    "icon_storage_schema_version", 1)))
                    .containsExactly(
                            task("preview_card_providers", 4,
                                    "preview_card_providers/icons/000/000/004/original/cccccccccccccccc.ico",
                                    "image/vnd.microsoft.icon"),
                            task("preview_card_providers", 4,
                                    "preview_card_providers/icons/000/000/004/static/cccccccccccccccc.png", "image/png"));
        }

        @Test
        void siteUploadFavicon() {
            assertThat(keys.objectsFor("site_uploads", row("id", 6L, "var", "favicon",
                    "file_file_name", HEX + ".ico", "file_content_type", "image/x-icon")))
                    .containsExactly(
                            task("site_uploads", 6, "site_uploads/files/000/000/006/original/" + HEX + ".ico", "image/x-icon"),
                            task("site_uploads", 6, "site_uploads/files/000/000/006/16/" + HEX + ".png", "image/png"),
                            task("site_uploads", 6, "site_uploads/files/000/000/006/32/" + HEX + ".png", "image/png"),
                            task("site_uploads", 6, "site_uploads/files/000/000/006/48/" + HEX + ".png", "image/png"));
        }

        @Test
        void siteUploadAppIcon() {
            List<CopyTask> tasks = keys.objectsFor("site_uploads", row("id", 7L, "var", "app_icon",
                    "file_file_name", HEX + ".png", "file_content_type", "image/png"));
            String dir = "site_uploads/files/000/000/007/";
            assertThat(tasks).extracting(CopyTask::key).containsExactly(
                    dir + "original/" + HEX + ".png",
                    dir + "36/" + HEX + ".png", dir + "48/" + HEX + ".png", dir + "57/" + HEX + ".png",
                    dir + "60/" + HEX + ".png", dir + "72/" + HEX + ".png", dir + "76/" + HEX + ".png",
                    dir + "96/" + HEX + ".png", dir + "114/" + HEX + ".png", dir + "120/" + HEX + ".png",
                    dir + "144/" + HEX + ".png", dir + "152/" + HEX + ".png", dir + "167/" + HEX + ".png",
                    dir + "180/" + HEX + ".png", dir + "192/" + HEX + ".png", dir + "256/" + HEX + ".png",
                    dir + "384/" + HEX + ".png", dir + "512/" + HEX + ".png", dir + "1024/" + HEX + ".png");
            assertThat(tasks).allSatisfy(t -> {
                assertThat(t.table()).isEqualTo("site_uploads");
                assertThat(t.rowId()).isEqualTo(7);
                assertThat(t.contentType()).isEqualTo("image/png");
                assertThat(t.privateAcl()).isFalse();
            });
        }

        @ParameterizedTest(name = "var {0}")
        @ValueSource(strings = {"mascot", "something_new", "<null>"})
        void siteUploadWithoutStyles(String var) {
            assertThat(keys.objectsFor("site_uploads", row("id", 8L, "var", var.equals("<null>") ? null : var,
                    "file_file_name", HEX + ".svg", "file_content_type", "image/svg+xml")))
                    .containsExactly(task("site_uploads", 8, "site_uploads/files/000/000/008/original/" + HEX + ".svg",
                            "image/svg+xml"));
        }

        @Test
        void backupWithoutContentTypeIsPrivateOctetStream() {
            assertThat(keys.objectsFor("backups", row("id", 1234567890L, "dump_file_name", "archive.zip")))
                    .containsExactly(privateTask("backups", 1234567890L,
                            "backups/dumps/001/234/567/890/original/archive.zip", "application/octet-stream"));
        }

        @Test
        void previewCardGifIsStoredAsJpegUnderItsGifName() {
            assertThat(keys.objectsFor("preview_cards", row("id", 2L, "image_file_name", "0000000000000002.gif",
                    "image_content_type", "image/gif", "image_storage_schema_version", 1)))
                    .containsExactly(task("preview_cards", 2,
                            "cache/preview_cards/images/000/000/002/original/0000000000000002.gif", "image/jpeg"));
        }

        @Test
        void importDataIsOriginalOnlyNeverCachedPublic() {
            assertThat(keys.objectsFor("imports", row("id", 12L, "data_file_name", "following_accounts.csv",
                    "data_content_type", "text/csv", "data_storage_schema_version", 1)))
                    .containsExactly(task("imports", 12, "imports/data/000/000/012/original/following_accounts.csv",
                            "text/csv"));
        }

        @Test
        void everyTableIsHandled() {
            Map<String, String> attachment = Map.of("media_attachments", "file", "accounts", "avatar",
                    "custom_emojis", "image", "preview_cards", "image", "site_uploads", "file",
                    "preview_card_providers", "icon", "backups", "dump", "imports", "data");
            for (String table : MastodonKeys.tables()) {
                String column = attachment.get(table);
                assertThat(keys.objectsFor(table, row("id", 1L, column + "_file_name", "x.png",
                        column + "_content_type", "image/png"))).as(table).isNotEmpty();
            }
        }
    }

    @Nested
    class ContentTypes {

        @ParameterizedTest(name = "''{0}''")
        @ValueSource(strings = {"binary/octet-stream", "application/octet-stream", "Application/Octet-Stream",
                "", "  ", "binary/octet-stream; charset=binary"})
        void genericTypesAreReplaced(String type) {
            assertThat(MastodonKeys.isGenericContentType(type)).isTrue();
        }

        @Test
        void noTypeIsGeneric() {
            assertThat(MastodonKeys.isGenericContentType(null)).isTrue();
        }

        @ParameterizedTest(name = "{0}")
        @ValueSource(strings = {"image/gif", "image/png", "image/jpeg", "video/mp4", "application/zip", "text/csv",
                "application/x-octet-stream-like"})
        void specificTypesAreKept(String type) {
            assertThat(MastodonKeys.isGenericContentType(type)).isFalse();
        }
    }

    @Nested
    class Ids {

        private List<CopyTask> backup(Object id) {
            return keys.objectsFor("backups", row("id", id, "dump_file_name", "a.zip", "dump_content_type",
                    "application/zip"));
        }

        @Test
        void integerId() {
            assertThat(backup(999999999)).containsExactly(privateTask("backups", 999999999,
                    "backups/dumps/999/999/999/original/a.zip", "application/zip"));
        }

        @Test
        void bigDecimalId() {
            assertThat(backup(new BigDecimal("1000000000"))).containsExactly(privateTask("backups", 1000000000L,
                    "backups/dumps/001/000/000/000/original/a.zip", "application/zip"));
        }

        @Test
        void bigDecimalSnowflake() {
            assertThat(backup(new BigDecimal("108892712797543112"))).containsExactly(privateTask("backups",
                    108892712797543112L, "backups/dumps/108/892/712/797/543/112/original/a.zip", "application/zip"));
        }

        @Test
        void missingIdIsRejected() {
            assertThatThrownBy(() -> backup(null)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("id");
        }
    }

    @Nested
    class Rejections {

        @Test
        void unknownTableNamesTheKnownOnes() {
            assertThatThrownBy(() -> keys.objectsFor("statuses", row("id", 1L)))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("statuses")
                    .hasMessageContaining("media_attachments, accounts, custom_emojis, preview_cards, site_uploads, "
                            + "preview_card_providers, backups, imports");
        }

        @Test
        void nullTableIsUnknown() {
            assertThatThrownBy(() -> keys.objectsFor(null, row("id", 1L)))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("media_attachments");
        }

        @ParameterizedTest(name = "file name {0}")
        @ValueSource(strings = {"../x.png", "a/b.png", "/abs.png", "..", ".", "a\0b.png", "a\\b.png", "..\\x.png",
                "a\nb.png", "a\rContent-Type: x.png", "a\u007fb.png"})
        void fileNameThatWouldLeaveItsPlace(String fileName) {
            assertThatThrownBy(() -> keys.objectsFor("media_attachments", row("id", 1L, "remote_url", "",
                    "file_file_name", fileName, "file_content_type", "image/png")))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("media_attachments")
                    .hasMessageContaining("file_file_name");
        }

        @ParameterizedTest(name = "file name {0}")
        @ValueSource(strings = {"${sys:user.home}.png", "a${header.CamelAwsS3Key}.png", "$simple{date:now}.png",
                "x.png${"})
        void fileNameHoldingAnExpressionIsRefused(String fileName) {
            assertThatThrownBy(() -> keys.objectsFor("custom_emojis", row("id", 1L, "image_file_name", fileName,
                    "image_content_type", "image/png")))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("evaluate as an expression");
        }

        @Test
        void badThumbnailNameIsRejectedToo() {
            assertThatThrownBy(() -> keys.objectsFor("media_attachments", row("id", 1L, "remote_url", "",
                    "thumbnail_file_name", "../../etc/passwd", "thumbnail_content_type", "image/png")))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("thumbnail_file_name")
                    .hasMessageContaining("../../etc/passwd");
        }

        @Test
        void nameLongerThanAFilesystemHoldsIsRefused() {
            String name = "a".repeat(252) + ".png";
            assertThatThrownBy(() -> keys.objectsFor("backups", row("id", 1L, "dump_file_name", name,
                    "dump_content_type", "application/zip")))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("longer than 255 bytes")
                    .hasMessageContaining("...");
            String fits = "a".repeat(251) + ".png";
            assertThat(keys.objectsFor("backups", row("id", 1L, "dump_file_name", fits))).hasSize(1);
            // bytes, not characters: 128 two-byte characters are 256 bytes
            assertThatThrownBy(() -> keys.objectsFor("backups", row("id", 1L, "dump_file_name", "é".repeat(128))))
                    .isInstanceOf(IllegalArgumentException.class);
            // three-byte characters: 85 are 255 bytes, 86 are 258
            assertThat(keys.objectsFor("backups", row("id", 1L, "dump_file_name", "€".repeat(85)))).hasSize(1);
            assertThatThrownBy(() -> keys.objectsFor("backups", row("id", 1L, "dump_file_name", "€".repeat(86))))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("longer than 255 bytes");
            // four-byte characters (two chars each): 63 are 252 bytes, 64 are 256
            assertThat(keys.objectsFor("backups", row("id", 1L, "dump_file_name", "😀".repeat(63)))).hasSize(1);
            assertThatThrownBy(() -> keys.objectsFor("backups", row("id", 1L, "dump_file_name", "😀".repeat(64))))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("longer than 255 bytes");
        }

        @ParameterizedTest(name = "content type {0}")
        @ValueSource(strings = {"image/png\r\nX-Amz-Acl: public-read", "not a type", "image/", "/png", "image png",
                "imäge/png"})
        void malformedContentTypeIsRefused(String type) {
            assertThatThrownBy(() -> keys.objectsFor("media_attachments", row("id", 1L, "remote_url", "",
                    "file_file_name", HEX + ".png", "file_content_type", type)))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("file_content_type")
                    .hasMessageContaining("is not a MIME type")
                    .hasMessageNotContaining("\n");
        }

        @ParameterizedTest(name = "content type {0}")
        @ValueSource(strings = {"application/x-evil", "text/plain; charset=utf-8", "image/svg+xml"})
        void wellFormedUnknownContentTypeIsOriginalOnly(String type) {
            assertThat(keys.objectsFor("media_attachments", row("id", 1L, "remote_url", "",
                    "file_file_name", HEX + ".bin", "file_content_type", type)))
                    .containsExactly(media(1, "media_attachments/files/000/000/001/original/" + HEX + ".bin", type));
        }

        @Test
        void dotsInsideANameAreFine() {
            assertThat(keys.objectsFor("backups", row("id", 1L, "dump_file_name", "a..b.zip",
                    "dump_content_type", "application/zip")))
                    .containsExactly(privateTask("backups", 1, "backups/dumps/000/000/001/original/a..b.zip",
                            "application/zip"));
        }
    }
}
