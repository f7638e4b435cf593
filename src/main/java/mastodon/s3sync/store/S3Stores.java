package mastodon.s3sync.store;

import java.net.URI;
import java.time.Duration;

import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.NoSuchBucketException;
import software.amazon.awssdk.services.s3.model.S3Exception;

/** Builds an S3 client for one store, and checks that the store answers before a job starts. */
public final class S3Stores {

    private S3Stores() {
    }

    /** A client with the SDK's standard retries (for reading). */
    public static S3Client client(StoreConfig c) {
        return client(c, true);
    }

    /**
     * @param sdkRetries false for a store written with streamed bodies: the SDK cannot rewind a streamed GET body to
     *                   retry a PUT (it fails with "mark/reset"), so the copy route retries the whole transfer instead
     */
    public static S3Client client(StoreConfig c, boolean sdkRetries) {
        AwsCredentialsProvider creds = c.accessKey().isEmpty()
                ? DefaultCredentialsProvider.builder().build()
                : StaticCredentialsProvider.create(AwsBasicCredentials.create(c.accessKey(), c.secretKey()));
        var b = S3Client.builder()
                .region(Region.of(c.region()))
                .credentialsProvider(creds)
                .forcePathStyle(c.pathStyle())
                // S3's endpoint rules once per bucket, not twice per request (CachedEndpoints)
                .endpointProvider(CachedEndpoints.ofDefaultRules())
                // S3-compatible stores (B2, R2, MinIO, s3proxy...) reject the aws-chunked CRC uploads of SDK >= 2.30
                .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
                .httpClientBuilder(ApacheHttpClient.builder()
                        .maxConnections(c.maxConnections())
                        // a PUT sends its body at once instead of waiting a round trip for "100 Continue" (the S3
                        // client asks for it on every upload): one round trip less per object and per part
                        .expectContinueEnabled(false)
                        // over https, an upload in full TLS records, not the Apache client's 8 KB writes (WholeRecordTls)
                        .socketFactory(WholeRecordTls.create())
                        .connectionTimeout(Duration.ofSeconds(10))
                        .socketTimeout(Duration.ofSeconds(120)));
        if (!sdkRetries) {
            b.overrideConfiguration(o -> o.retryStrategy(AwsRetryStrategy.doNotRetry()));
        }
        if (!c.endpoint().isEmpty()) {
            b.endpointOverride(URI.create(c.endpoint()));
        }
        return b.build();
    }

    /**
     * Fails with a message an admin can act on when the bucket is not reachable with these settings.
     *
     * @return null when fine, else the problem and its fix
     */
    public static String check(StoreConfig c, S3Client s3) {
        String env = c.side().equals("target") ? "TARGET_" : "";
        if (c.bucket().isEmpty()) {
            return c.side() + " bucket is not set. Fix: set " + env + "S3_BUCKET (or " + c.side() + ".bucket in "
                    + "application.properties).";
        }
        try {
            s3.headBucket(r -> r.bucket(c.bucket()));
            return null;
        } catch (NoSuchBucketException e) {
            return c.side() + " " + c.describe() + " does not exist. Fix: check " + env + "S3_BUCKET and " + env
                    + "S3_ENDPOINT.";
        } catch (S3Exception e) {
            int status = e.statusCode();
            if (status == 403 || status == 401) {
                return c.side() + " " + c.describe() + " refused the credentials (HTTP " + status + "). Fix: check "
                        + env + "AWS_ACCESS_KEY_ID and " + env + "AWS_SECRET_ACCESS_KEY.";
            }
            if (status == 404) {
                return c.side() + " " + c.describe() + " does not exist. Fix: check " + env + "S3_BUCKET.";
            }
            return c.side() + " " + c.describe() + " answered HTTP " + status + " (" + e.awsErrorDetails().errorCode()
                    + "). Fix: check " + env + "S3_ENDPOINT, " + env + "S3_REGION and the credentials.";
        } catch (RuntimeException e) {
            return c.side() + " " + c.describe() + " cannot be reached: " + e.getMessage() + ". Fix: check " + env
                    + "S3_ENDPOINT (scheme, host, port) and " + env + "S3_REGION.";
        }
    }
}
