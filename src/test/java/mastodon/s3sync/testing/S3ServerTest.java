package mastodon.s3sync.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

/** The kit's own S3 client: what it sends to an http store. */
@Timeout(60)
@ExtendWith(S3Extension.class)
class S3ServerTest {

    /**
     * An upload goes as {@code UNSIGNED-PAYLOAD} with its plain length ({@link UnsignedPayloadOverHttp}): the SDK's
     * default over http, a signed aws-chunked body (a signature every 128 KiB), would send more bytes than the
     * object has. The store accepts the signature and keeps the bytes.
     */
    @Test
    void uploadsGoUnsignedOverHttpAndTheStoreAcceptsThem(@SourceStore S3Server s3) throws Exception {
        byte[] data = new byte[300_000];
        new Random(3).nextBytes(data);
        s3.createBucket("kit-unsigned");
        try (FaultProxy proxy = new FaultProxy(s3.port(), 1); S3Client c = s3.client(proxy.endpoint())) {
            c.putObject(b -> b.bucket("kit-unsigned").key("a.bin"), RequestBody.fromBytes(data));
            // the proxy records a request once its answer is relayed, which the client may read first
            Await.until(Duration.ofSeconds(10), () -> proxy.seen().stream().anyMatch(x -> x.method().equals("PUT")),
                    "the proxy recorded the PUT");
            assertThat(proxy.seen()).filteredOn(x -> x.method().equals("PUT") && x.onObject())
                    .singleElement().satisfies(put -> {
                        assertThat(put.completedWrite()).isTrue();
                        assertThat(put.requestBytes()).isEqualTo(data.length);
                    });
            assertThat(c.getObjectAsBytes(b -> b.bucket("kit-unsigned").key("a.bin")).asByteArray()).isEqualTo(data);
        }
    }
}
