import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicLong;

import org.reactivestreams.Subscriber;

import software.amazon.awssdk.core.async.AsyncRequestBody;
import software.amazon.awssdk.core.async.AsyncResponseTransformer;
import software.amazon.awssdk.core.async.ResponsePublisher;
import software.amazon.awssdk.http.nio.netty.NettyNioAsyncHttpClient;
import software.amazon.awssdk.services.s3.S3AsyncClient;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;

/**
 * The asynchronous counterpart of SdkCopyLoop: the AWS SDK v2's S3AsyncClient on its Netty client (a few event-loop
 * threads, no thread per request), at most N objects in flight, each GET's body streamed as it arrives into a PUT of
 * the same length. It answers one question for bench/RESULTS.md: does a client that does not block a thread per
 * request spend less CPU per object at high concurrency with latency, where the blocking clients' CPU per object
 * rises (the SDK loop and the tool: 2 ms at 16, about 5 ms at 64)?
 *
 * <pre>
 *   java -cp CLASSPATH SdkAsyncCopyLoop KEYS_FILE IN_FLIGHT TARGET_BUCKET
 * </pre>
 * The stores come from the environment as in SdkCopyLoop. The Netty client ships in the tool's jar already
 * (camel-aws-common depends on it).
 */
public final class SdkAsyncCopyLoop {

    public static void main(String[] args) throws Exception {
        List<String> keys = Files.readAllLines(Path.of(args[0]));
        int inFlight = Integer.parseInt(args[1]);
        String targetBucket = args[2];
        String sourceBucket = System.getenv("S3_BUCKET");
        S3AsyncClient source = client("", inFlight);
        S3AsyncClient target = client("TARGET_", inFlight);
        Semaphore slots = new Semaphore(inFlight);
        AtomicLong bytes = new AtomicLong();
        AtomicLong failed = new AtomicLong();
        long start = System.nanoTime();
        for (String key : keys) {
            slots.acquire();
            source.getObject(r -> r.bucket(sourceBucket).key(key), AsyncResponseTransformer.toPublisher())
                    .thenCompose(body -> {
                        GetObjectResponse got = body.response();
                        bytes.addAndGet(got.contentLength());
                        return target.putObject(r -> r.bucket(targetBucket).key(key).contentType(got.contentType())
                                .contentLength(got.contentLength()), new Streamed(body, got.contentLength()));
                    })
                    .whenComplete((r, e) -> {
                        if (e != null) {
                            failed.incrementAndGet();
                            System.err.println(key + ": " + e);
                        }
                        slots.release();
                    });
        }
        slots.acquire(inFlight);
        double secs = (System.nanoTime() - start) / 1e9;
        System.out.printf("%d objects (%d failed), %d bytes in %.1f s%n", keys.size(), failed.get(), bytes.get(), secs);
        source.close();
        target.close();
        System.exit(failed.get() == 0 ? 0 : 1);
    }

    /** The GET's body as the PUT's, with the length the GET announced. */
    private record Streamed(ResponsePublisher<GetObjectResponse> get, long length) implements AsyncRequestBody {
        @Override
        public Optional<Long> contentLength() {
            return Optional.of(length);
        }

        @Override
        public void subscribe(Subscriber<? super ByteBuffer> s) {
            get.subscribe(s);
        }
    }

    private static S3AsyncClient client(String env, int inFlight) {
        return SdkCopyLoop.store(S3AsyncClient.builder(), env)
                .httpClientBuilder(NettyNioAsyncHttpClient.builder().maxConcurrency(inFlight)
                        .connectionTimeout(Duration.ofSeconds(10)).readTimeout(Duration.ofSeconds(120))
                        .writeTimeout(Duration.ofSeconds(120)))
                .build();
    }
}
