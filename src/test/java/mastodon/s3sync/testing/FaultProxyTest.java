package mastodon.s3sync.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

import mastodon.s3sync.testing.FaultProxy.Fault;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Exception;

/** The fault proxy passes signed requests through unchanged, and injects each fault as it says. */
@Timeout(60)
@ExtendWith(S3Extension.class)
class FaultProxyTest {

    private static S3Client client(S3Server s3, FaultProxy proxy) {
        return S3Client.builder()
                .endpointOverride(URI.create(proxy.endpoint()))
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(s3.accessKey,
                        s3.secretKey)))
                .forcePathStyle(true)
                .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
                .overrideConfiguration(o -> o.retryStrategy(AwsRetryStrategy.doNotRetry()))
                .build();
    }

    @Test
    void passesSignedRequestsAndInjectsEachFault(@SourceStore S3Server s3) throws Exception {
        byte[] data = new byte[300_000];
        new Random(1).nextBytes(data);
        try (FaultProxy proxy = new FaultProxy(s3.port(), 7);
             S3Client c = client(s3, proxy)) {
            c.createBucket(b -> b.bucket("bkt"));
            c.putObject(b -> b.bucket("bkt").key("dir/a b+c.bin"), RequestBody.fromBytes(data));
            assertThat(c.getObjectAsBytes(b -> b.bucket("bkt").key("dir/a b+c.bin")).asByteArray()).isEqualTo(data);
            assertThat(c.listObjectsV2(b -> b.bucket("bkt")).contents()).hasSize(1);
            assertThat(proxy.seen()).anyMatch(s -> s.key().equals("dir/a b+c.bin") && s.completedWrite());

            proxy.rate(Fault.SLOW_DOWN, 1);
            assertThatThrownBy(() -> c.getObjectAsBytes(b -> b.bucket("bkt").key("dir/a b+c.bin")))
                    .isInstanceOfSatisfying(S3Exception.class, e -> {
                        assertThat(e.statusCode()).isEqualTo(503);
                        assertThat(e.awsErrorDetails().errorCode()).isEqualTo("SlowDown");
                    });
            assertThatThrownBy(() -> c.putObject(b -> b.bucket("bkt").key("x"), RequestBody.fromBytes(data)))
                    .isInstanceOfSatisfying(S3Exception.class, e -> assertThat(e.statusCode()).isEqualTo(503));
            proxy.clearFaults();
            proxy.rate(Fault.INTERNAL_ERROR, 1);
            assertThatThrownBy(() -> c.headObject(b -> b.bucket("bkt").key("dir/a b+c.bin")))
                    .isInstanceOfSatisfying(S3Exception.class, e -> assertThat(e.statusCode()).isEqualTo(500));
            proxy.clearFaults();
            proxy.rate(Fault.TRUNCATED_BODY, 1);
            assertThatThrownBy(() -> c.getObjectAsBytes(b -> b.bucket("bkt").key("dir/a b+c.bin")))
                    .isInstanceOf(SdkClientException.class)
                    .hasStackTraceContaining("Premature end of Content-Length");
            // a listing (XML) cut short
            assertThatThrownBy(() -> c.listObjectsV2(b -> b.bucket("bkt"))).isInstanceOf(SdkClientException.class);
            proxy.clearFaults();
            proxy.rate(Fault.RESET_MID_BODY, 1);
            assertThatThrownBy(() -> c.getObjectAsBytes(b -> b.bucket("bkt").key("dir/a b+c.bin")))
                    .isInstanceOf(SdkClientException.class);
            // an upload reset halfway leaves nothing behind
            assertThatThrownBy(() -> c.putObject(b -> b.bucket("bkt").key("y"), RequestBody.fromBytes(data)))
                    .isInstanceOf(SdkClientException.class);
            proxy.clearFaults();
            proxy.rate(Fault.LATENCY, 1);
            proxy.latencyMillis = 300;
            long t0 = System.nanoTime();
            assertThat(c.getObjectAsBytes(b -> b.bucket("bkt").key("dir/a b+c.bin")).asByteArray()).isEqualTo(data);
            assertThat((System.nanoTime() - t0) / 1_000_000).isGreaterThanOrEqualTo(300);
            proxy.clearFaults();
            assertThat(c.listObjectsV2(b -> b.bucket("bkt")).contents()).extracting(o -> o.key())
                    .containsExactly("dir/a b+c.bin");

            assertThat(proxy.injected(Fault.SLOW_DOWN)).isEqualTo(2);
            assertThat(proxy.injected(Fault.INTERNAL_ERROR)).isEqualTo(1);
            assertThat(proxy.injected(Fault.TRUNCATED_BODY)).isEqualTo(2);
            assertThat(proxy.injected(Fault.RESET_MID_BODY)).isEqualTo(2);
            assertThat(proxy.injected(Fault.LATENCY)).isEqualTo(1);

            // down, then up again
            proxy.down(FaultProxy.Down.SLOW_DOWN);
            assertThatThrownBy(() -> c.headBucket(b -> b.bucket("bkt")))
                    .isInstanceOfSatisfying(S3Exception.class, e -> assertThat(e.statusCode()).isEqualTo(503));
            proxy.down(FaultProxy.Down.REFUSE);
            assertThatThrownBy(() -> c.headBucket(b -> b.bucket("bkt"))).isInstanceOf(SdkClientException.class);
            proxy.up();
            c.headBucket(b -> b.bucket("bkt"));
        }
    }
}
