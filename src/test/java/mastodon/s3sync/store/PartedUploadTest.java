package mastodon.s3sync.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import mastodon.s3sync.copy.RetryPolicy;
import mastodon.s3sync.testing.FaultProxy;
import mastodon.s3sync.testing.S3Server;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;

/**
 * Large objects in parts against s3proxy behind a fault-injecting proxy: a failed part is retried alone, its bytes
 * read again from the part's offset, and a part that keeps failing aborts the upload.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class PartedUploadTest {

    private static final long PART = 5L * 1024 * 1024;
    private static final byte[] DATA = new byte[(int) (2 * PART + 1024 * 1024)]; // three parts, the last 1 MiB

    private static S3Server store;
    private static FaultProxy proxy;
    private static S3Client direct;
    private static S3Client throughProxy;

    @TempDir
    static Path dir;

    @BeforeAll
    static void start() throws Exception {
        new Random(7).nextBytes(DATA);
        store = new S3Server("key", "secret", dir);
        store.createBucket("bkt");
        proxy = new FaultProxy(store.port(), 1);
        direct = store.client();
        throughProxy = S3Client.builder().endpointOverride(URI.create(proxy.endpoint())).region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("key", "secret")))
                .forcePathStyle(true)
                .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
                .overrideConfiguration(o -> o.retryStrategy(AwsRetryStrategy.doNotRetry()))
                .build();
        direct.putObject(b -> b.bucket("bkt").key("source/big"),
                software.amazon.awssdk.core.sync.RequestBody.fromBytes(DATA));
    }

    @AfterAll
    static void stop() throws Exception {
        throughProxy.close();
        direct.close();
        proxy.close();
        store.close();
    }

    private final List<PartedUpload.Failure> failures = new CopyOnWriteArrayList<>();
    private final List<Long> reopenedAt = new CopyOnWriteArrayList<>();

    private PartedUpload upload(int retries) {
        return new PartedUpload(throughProxy, "bkt", PART, retries, 1, new RetryPolicy()::isRetryable, failures::add,
                party -> { }, (millis, cause) -> { });
    }

    /** Ranged GETs of the source object, recorded. */
    private PartedUpload.Source source() {
        return (key, offset) -> {
            reopenedAt.add(offset);
            return direct.getObject(b -> b.bucket("bkt").key(key).range("bytes=" + offset + "-"));
        };
    }

    private static final PartedUpload.Headers HEADERS = new PartedUpload.Headers("video/mp4",
            "public, max-age=315576000, immutable", "PUBLIC_READ", null);

    private static byte[] read(String key) {
        return direct.getObjectAsBytes(b -> b.bucket("bkt").key(key)).asByteArray();
    }

    @Test
    void aPartTheTargetRefusesTwiceIsRetriedAloneFromItsOffset() {
        AtomicInteger refusals = new AtomicInteger();
        proxy.only(r -> r.query().contains("partNumber=2") && refusals.getAndIncrement() < 2)
                .rate(FaultProxy.Fault.SLOW_DOWN, 1.0);
        try {
            long written = upload(3).upload("source/big", "target/retried", new ByteArrayInputStream(DATA),
                    DATA.length, HEADERS, source());
            assertThat(written).isEqualTo(DATA.length);
        } finally {
            proxy.clearFaults();
        }
        assertThat(read("target/retried")).isEqualTo(DATA);
        HeadObjectResponse head = direct.headObject(b -> b.bucket("bkt").key("target/retried"));
        assertThat(head.contentType()).isEqualTo("video/mp4");
        assertThat(head.cacheControl()).isEqualTo("public, max-age=315576000, immutable");
        // the source was read again from part 2's first byte (once per failed attempt), never from the start
        assertThat(reopenedAt).containsExactly(PART, PART);
        assertThat(failures).hasSize(2).allSatisfy(f -> assertThat(f.party()).isEqualTo("target"));
    }

    @Test
    void aSourceStreamCutInsideAPartIsReopenedAtThatPartAndCountedAgainstTheSource() {
        InputStream cut = new FilterInputStream(new ByteArrayInputStream(DATA)) {
            private long read;

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                if (read > PART + PART / 2) {
                    throw new IOException("connection reset by the source");
                }
                int n = super.read(b, off, len);
                read += Math.max(n, 0);
                return n;
            }
        };
        upload(3).upload("source/big", "target/cut", cut, DATA.length, HEADERS, source());
        assertThat(read("target/cut")).isEqualTo(DATA);
        assertThat(reopenedAt).containsExactly(PART);
        assertThat(failures).singleElement().satisfies(f -> assertThat(f.party()).isEqualTo("source"));
    }

    @Test
    void aPartThatKeepsFailingAbortsTheUploadAndGivesUpOnTheObject() {
        proxy.only(r -> r.query().contains("partNumber=3")).rate(FaultProxy.Fault.INTERNAL_ERROR, 1.0);
        try {
            assertThatThrownBy(() -> upload(2).upload("source/big", "target/never", new ByteArrayInputStream(DATA),
                    DATA.length, HEADERS, source()))
                    .isInstanceOf(PartedUpload.GaveUpException.class)
                    .hasMessageContaining("part 3 of target/never failed 3 times");
        } finally {
            proxy.clearFaults();
        }
        assertThat(failures).hasSize(3);
        // nothing left at the store: no object, no open upload whose parts would be billed
        assertThatThrownBy(() -> direct.headObject(b -> b.bucket("bkt").key("target/never")))
                .isInstanceOf(NoSuchKeyException.class);
        assertThat(direct.listMultipartUploads(b -> b.bucket("bkt").prefix("target/never")).uploads()).isEmpty();
        // and the copy does not repeat the whole object after that
        assertThat(new RetryPolicy().isRetryable(new PartedUpload.GaveUpException("x", new IOException()))).isFalse();
    }

    @Test
    void anErrorRetryingCannotChangeEndsTheObjectAtOnce() {
        proxy.only(r -> r.query().contains("partNumber=1")).rate(FaultProxy.Fault.INTERNAL_ERROR, 1.0);
        PartedUpload.Source forbidden = (key, offset) -> {
            throw new java.nio.file.AccessDeniedException(key);
        };
        try {
            assertThatThrownBy(() -> upload(5).upload("source/big", "target/denied",
                    new ByteArrayInputStream(DATA), DATA.length, HEADERS, forbidden))
                    .isInstanceOf(java.io.UncheckedIOException.class);
        } finally {
            proxy.clearFaults();
        }
        // the 500 was retryable, the unreadable source is not: two attempts, the second counted against the source
        assertThat(failures).extracting(PartedUpload.Failure::party).containsExactly("target", "source");
        assertThat(direct.listMultipartUploads(b -> b.bucket("bkt").prefix("target/denied")).uploads()).isEmpty();
    }
}
