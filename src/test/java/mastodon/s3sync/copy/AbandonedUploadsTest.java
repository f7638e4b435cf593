package mastodon.s3sync.copy;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

import mastodon.s3sync.testing.S3Extension;
import mastodon.s3sync.testing.S3Server;
import mastodon.s3sync.testing.TargetStore;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.MultipartUpload;

/** Which unfinished multipart uploads the sweep aborts (on a real s3proxy), and when it aborts none. */
@Timeout(60)
@ExtendWith(S3Extension.class)
class AbandonedUploadsTest {

    private static CopyOptions options(Map<String, String> extra) {
        Map<String, String> p = new HashMap<>(extra);
        return CopyOptions.from(p::get);
    }

    @Test
    void onlyTheTablesKeysUnderTheTargetPrefix() {
        assertThat(new AbandonedUploads(null, "b", options(Map.of())).prefixes("media_attachments"))
                .containsExactly("media_attachments/", "cache/media_attachments/");
        // the prefix is used verbatim, as Mastodon does: "mastodon/" + "/" + key
        assertThat(new AbandonedUploads(null, "b", options(Map.of("target.key-prefix", "mastodon/")))
                .prefixes("accounts")).containsExactly("mastodon//accounts/", "mastodon//cache/accounts/");
        assertThat(new AbandonedUploads(null, "b", options(Map.of("target.key-prefix", "mastodon")))
                .prefixes("accounts")).containsExactly("mastodon/accounts/", "mastodon/cache/accounts/");
    }

    @Test
    void abortsTheUploadsUnderTheCopiedTablesOnlyAndNoneInADryRunOrVerify(@TargetStore S3Server s3) throws Exception {
        try (S3Client c = s3.client()) {
            c.createBucket(b -> b.bucket("target"));
            for (String k : new String[] {"media_attachments/files/000/000/001/original/a.mp4",
                "cache/media_attachments/files/000/000/002/original/b.mp4", "accounts/avatars/000/000/003/original/c.png",
                "other/d.bin"}) {
                c.createMultipartUpload(b -> b.bucket("target").key(k));
            }
            Map<String, String> media = Map.of("copy.only", "media_attachments");
            assertThat(new AbandonedUploads(c, "target", options(Map.of("copy.dry-run", "true"))).abortAll())
                    .isZero();
            assertThat(new AbandonedUploads(c, "target", options(Map.of("copy.mode", "verify")))
                    .abortFor("media_attachments")).isZero();
            assertThat(c.listMultipartUploads(b -> b.bucket("target")).uploads()).hasSize(4);

            assertThat(new AbandonedUploads(c, "target", options(media)).abortFor("media_attachments")).isEqualTo(2);
            assertThat(c.listMultipartUploads(b -> b.bucket("target")).uploads()).extracting(MultipartUpload::key)
                    .containsExactlyInAnyOrder("accounts/avatars/000/000/003/original/c.png", "other/d.bin");
            assertThat(new AbandonedUploads(c, "target", options(Map.of("copy.only", "accounts"))).abortAll())
                    .isEqualTo(1);
            assertThat(c.listMultipartUploads(b -> b.bucket("target")).uploads()).extracting(MultipartUpload::key)
                    .containsExactly("other/d.bin");
        }
    }
}
