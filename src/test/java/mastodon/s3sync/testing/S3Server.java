package mastodon.s3sync.testing;

import java.net.URI;
import java.nio.file.Path;

import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.auth.AuthenticationType;
import org.gaul.s3proxy.nio2blob.FilesystemNio2BlobStore;
import org.gaul.s3proxy.nio2blob.TransientNio2BlobStore;

import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3Configuration;

/**
 * A real S3-compatible server (s3proxy) on 127.0.0.1, in-process, with its own credentials, backed by a directory
 * (or memory: {@code dir == null}). Two of these with different credentials stand for two providers.
 */
public final class S3Server implements AutoCloseable {

    private final S3Proxy proxy;
    public final String accessKey;
    private final boolean secure;
    public final String secretKey;

    public S3Server(String accessKey, String secretKey, Path dir) throws Exception {
        this(accessKey, secretKey, dir, null);
    }

    /** @param wrap wraps the store (e.g. in a {@link FlakyBlobStore}), or null */
    public S3Server(String accessKey, String secretKey, Path dir,
                    java.util.function.UnaryOperator<org.gaul.s3proxy.blobstore.BlobStore> wrap) throws Exception {
        this(accessKey, secretKey, dir, wrap, null, null);
    }

    /** With a key store (path, password): serves https only, with that key store's certificate. */
    public S3Server(String accessKey, String secretKey, Path dir,
                    java.util.function.UnaryOperator<org.gaul.s3proxy.blobstore.BlobStore> wrap, Path keyStore,
                    String keyStorePassword) throws Exception {
        this.secure = keyStore != null;
        this.accessKey = accessKey;
        this.secretKey = secretKey;
        S3Proxy.Builder b = S3Proxy.builder()
                .blobStore(wrap(wrap, dir == null ? new TransientNio2BlobStore() : new FilesystemNio2BlobStore(dir.toString())))
                .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, accessKey, secretKey);
        if (secure) {
            b.secureEndpoint(URI.create("https://127.0.0.1:0")).keyStore(keyStore.toString(), keyStorePassword);
        } else {
            b.endpoint(URI.create("http://127.0.0.1:0"));
        }
        proxy = b.build();
        proxy.start();
        while (!proxy.getState().equals("STARTED")) {
            Thread.sleep(10);
        }
    }

    private static org.gaul.s3proxy.blobstore.BlobStore wrap(
            java.util.function.UnaryOperator<org.gaul.s3proxy.blobstore.BlobStore> wrap,
            org.gaul.s3proxy.blobstore.BlobStore store) {
        return wrap == null ? store : wrap.apply(store);
    }

    public String endpoint() {
        return secure ? "https://127.0.0.1:" + proxy.getSecurePort() : "http://127.0.0.1:" + proxy.getPort();
    }

    public int port() {
        return proxy.getPort();
    }

    public S3Client client() {
        return client(endpoint());
    }

    /** The kit's client for this store's credentials at another endpoint (a {@link FaultProxy} in front of it). */
    public S3Client client(String endpoint) {
        return S3Client.builder()
                .endpointOverride(URI.create(endpoint))
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(accessKey, secretKey)))
                .serviceConfiguration(S3Configuration.builder().pathStyleAccessEnabled(true).build())
                .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
                .putAuthScheme(new UnsignedPayloadOverHttp())
                .build();
    }

    /** Creates the bucket; one the kit kept from an earlier class ({@link #deleteAllBuckets}) is used as it is. */
    public void createBucket(String bucket) {
        try (S3Client c = client()) {
            c.createBucket(b -> b.bucket(bucket));
        } catch (software.amazon.awssdk.services.s3.model.BucketAlreadyOwnedByYouException e) {
            // kept: see deleteAllBuckets
        }
    }

    /**
     * Empties and deletes every bucket (objects and unfinished multipart uploads): the store as it started. A bucket
     * the store still calls not empty (s3proxy keeps what an interrupted multipart upload left in its files) is kept,
     * and said so; the kit's bucket names are unique per class, and {@link #createBucket} accepts a kept one.
     */
    public void deleteAllBuckets() {
        try (S3Client c = client()) {
            for (var bucket : c.listBuckets().buckets()) {
                String name = bucket.name();
                try {
                    for (var u : c.listMultipartUploadsPaginator(b -> b.bucket(name)).uploads()) {
                        c.abortMultipartUpload(b -> b.bucket(name).key(u.key()).uploadId(u.uploadId()));
                    }
                    for (var o : c.listObjectsV2Paginator(b -> b.bucket(name)).contents()) {
                        c.deleteObject(b -> b.bucket(name).key(o.key()));
                    }
                    c.deleteBucket(b -> b.bucket(name));
                } catch (software.amazon.awssdk.services.s3.model.S3Exception e) {
                    System.err.println("test kit: bucket " + name + " kept: " + e.getMessage());
                }
            }
        }
    }

    @Override
    public void close() throws Exception {
        proxy.stop();
    }
}
