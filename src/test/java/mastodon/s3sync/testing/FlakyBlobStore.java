package mastodon.s3sync.testing;

import java.io.InputStream;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import org.gaul.s3proxy.blobstore.BlobStore;
import org.gaul.s3proxy.blobstore.ForwardingBlobStore;

import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.services.s3.model.GetObjectRequest;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.PutObjectResponse;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * A store that answers real HTTP errors: the first {@code failures} GETs and/or PUTs of each key fail with the given
 * status and S3 error code (503 SlowDown, 500 InternalError...), then succeed. Keys containing {@code alwaysFail}
 * never succeed.
 */
public final class FlakyBlobStore extends ForwardingBlobStore {

    private final int failures;
    private final int status;
    private final String code;
    private final String alwaysFail;
    private final String ops;
    private final Map<String, AtomicInteger> attempts = new ConcurrentHashMap<>();
    public final AtomicInteger injected = new AtomicInteger();

    /** @param ops which operations fail: "get", "put" or "get,put" */
    public FlakyBlobStore(BlobStore delegate, String ops, int failures, int status, String code, String alwaysFail) {
        super(delegate);
        this.ops = ops;
        this.failures = failures;
        this.status = status;
        this.code = code;
        this.alwaysFail = alwaysFail;
    }

    private void maybeFail(String op, String key) {
        if (!ops.contains(op)) {
            return;
        }
        int n = attempts.computeIfAbsent(op + ":" + key, k -> new AtomicInteger()).getAndIncrement();
        if (n < failures || (alwaysFail != null && key.contains(alwaysFail))) {
            injected.incrementAndGet();
            throw (S3Exception) S3Exception.builder().statusCode(status)
                    .awsErrorDetails(AwsErrorDetails.builder().errorCode(code).errorMessage("injected " + code).build())
                    .message("injected " + code).build();
        }
    }

    @Override
    public ResponseInputStream<GetObjectResponse> getBlob(GetObjectRequest request) {
        maybeFail("get", request.key());
        return super.getBlob(request);
    }

    @Override
    public PutObjectResponse putBlob(PutObjectRequest request, InputStream input) {
        maybeFail("put", request.key());
        return super.putBlob(request, input);
    }
}
