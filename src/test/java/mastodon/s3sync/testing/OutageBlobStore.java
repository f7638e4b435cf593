package mastodon.s3sync.testing;

import java.io.InputStream;
import java.util.concurrent.atomic.AtomicInteger;

import org.gaul.s3proxy.blobstore.BlobStore;
import org.gaul.s3proxy.blobstore.ForwardingBlobStore;

import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.services.s3.model.GetObjectRequest;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.HeadObjectRequest;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Request;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.PutObjectResponse;
import software.amazon.awssdk.services.s3.model.S3Exception;

/** A store that can go down: while {@link #down} is set, every GET, PUT, HEAD and listing answers 503 over HTTP. */
public final class OutageBlobStore extends ForwardingBlobStore {

    public volatile boolean down;
    public final AtomicInteger refused = new AtomicInteger();

    public OutageBlobStore(BlobStore delegate) {
        super(delegate);
    }

    private void check() {
        if (down) {
            refused.incrementAndGet();
            throw (S3Exception) S3Exception.builder().statusCode(503)
                    .awsErrorDetails(AwsErrorDetails.builder().errorCode("ServiceUnavailable")
                            .errorMessage("the store is down (test)").build())
                    .message("the store is down (test)").build();
        }
    }

    @Override
    public ResponseInputStream<GetObjectResponse> getBlob(GetObjectRequest request) {
        check();
        return super.getBlob(request);
    }

    @Override
    public PutObjectResponse putBlob(PutObjectRequest request, InputStream input) {
        check();
        return super.putBlob(request, input);
    }

    @Override
    public HeadObjectResponse blobMetadata(HeadObjectRequest request) {
        check();
        return super.blobMetadata(request);
    }

    @Override
    public ListObjectsV2Response list(ListObjectsV2Request request) {
        check();
        return super.list(request);
    }
}
