package mastodon.s3sync.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import mastodon.s3sync.testing.S3Server;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;

/** The bench stores' request counter: a store that behaves as the store it wraps, and counts. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class RequestCountingStoreTest {

    @Test
    void aMultipartUploadKeepsItsHeadersAndStubsAreNotCounted(@TempDir Path dir) throws Exception {
        // behind a java.lang.reflect.Proxy, s3proxy did not know its filesystem store and dropped the Content-Type and
        // Cache-Control of every multipart upload: a bench copy then looked wrong to verify for every large object
        AtomicLong requests = new AtomicLong();
        Path data = Files.createDirectories(dir.resolve("data"));
        S3Server store = new S3Server("key", "secret", data, s -> new RequestCountingStore(s, requests, dir));
        try (S3Client s3 = store.client()) {
            store.createBucket("bkt");
            long before = requests.get();
            String id = s3.createMultipartUpload(b -> b.bucket("bkt").key("big").contentType("video/mp4")
                    .cacheControl("public, max-age=315576000, immutable")).uploadId();
            String etag = s3.uploadPart(b -> b.bucket("bkt").key("big").uploadId(id).partNumber(1),
                    RequestBody.fromBytes(new byte[5 * 1024 * 1024])).eTag();
            s3.completeMultipartUpload(b -> b.bucket("bkt").key("big").uploadId(id).multipartUpload(
                    m -> m.parts(CompletedPart.builder().partNumber(1).eTag(etag).build())));
            HeadObjectResponse head = s3.headObject(b -> b.bucket("bkt").key("big"));

            assertThat(head.contentType()).isEqualTo("video/mp4");
            assertThat(head.cacheControl()).isEqualTo("public, max-age=315576000, immutable");
            // s3proxy's own stub records of the upload are not counted; its listing of the parts to complete is, as it
            // always was (BenchServers' counts before this class)
            assertThat(requests.get() - before).as("create, part, parts listed, complete, head").isEqualTo(5);
            assertThat(dir.resolve("first-write-bkt")).exists();
        } finally {
            store.close();
        }
    }
}
