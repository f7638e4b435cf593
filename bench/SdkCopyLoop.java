import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3BaseClientBuilder;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;

/**
 * The yardstick of bench/copy-vs-rclone.sh: the plainest AWS SDK v2 copy (Apache client, N threads, each GET
 * streamed into a single PUT of the same length), with the store settings of the tool (path style, checksums only
 * when required). No database, no routes, no checks, no retries: what a copy costs when everything around it is free.
 *
 * <pre>
 *   java -cp CLASSPATH SdkCopyLoop KEYS_FILE THREADS TARGET_BUCKET
 * </pre>
 * KEYS_FILE has one source key a line; the stores come from the environment the bench servers write (S3_ENDPOINT,
 * S3_BUCKET, AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, and the TARGET_ ones). The HTTP client is set as the tool's
 * (S3Stores): Apache 4, no "100 Continue" wait. (bench/RESULTS.md, 2026-11-29 13:00: the Apache 5, CRT and URL
 * connection clients were tried here and in the tool; none spent less CPU.)
 */
public final class SdkCopyLoop {

    public static void main(String[] args) throws Exception {
        List<String> keys = Files.readAllLines(Path.of(args[0]));
        int threads = Integer.parseInt(args[1]);
        String targetBucket = args[2];
        String sourceBucket = System.getenv("S3_BUCKET");
        S3Client source = client("", threads);
        S3Client target = client("TARGET_", threads);
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        AtomicLong bytes = new AtomicLong();
        long start = System.nanoTime();
        List<Future<?>> done = new java.util.ArrayList<>();
        for (String key : keys) {
            done.add(pool.submit(() -> {
                try (ResponseInputStream<GetObjectResponse> in = source.getObject(r -> r.bucket(sourceBucket)
                        .key(key))) {
                    long length = in.response().contentLength();
                    target.putObject(r -> r.bucket(targetBucket).key(key).contentType(in.response().contentType()),
                            RequestBody.fromInputStream(in, length));
                    bytes.addAndGet(length);
                }
                return null;
            }));
        }
        for (Future<?> f : done) {
            f.get();
        }
        pool.shutdown();
        pool.awaitTermination(1, TimeUnit.MINUTES);
        double secs = (System.nanoTime() - start) / 1e9;
        System.out.printf("%d objects, %d bytes in %.1f s%n", keys.size(), bytes.get(), secs);
        source.close();
        target.close();
    }

    private static S3Client client(String env, int threads) {
        return store(S3Client.builder(), env)
                .httpClientBuilder(ApacheHttpClient.builder().maxConnections(threads).expectContinueEnabled(false)
                        .connectionTimeout(Duration.ofSeconds(10)).socketTimeout(Duration.ofSeconds(120)))
                .build();
    }

    /**
     * A client of the store the environment names ({@code env} "" for the source, "TARGET_" for the target), set as the
     * tool sets its own (S3Stores): path style, checksums only when required. Also SdkAsyncCopyLoop's.
     */
    static <B extends S3BaseClientBuilder<B, ?>> B store(B builder, String env) {
        return builder.region(Region.US_EAST_1)
                .endpointOverride(URI.create(System.getenv(env + "S3_ENDPOINT")))
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(
                        System.getenv(env + "AWS_ACCESS_KEY_ID"), System.getenv(env + "AWS_SECRET_ACCESS_KEY"))))
                .forcePathStyle(true)
                .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED);
    }
}
