package mastodon.s3sync.testing;

import java.util.concurrent.atomic.AtomicInteger;

import org.gaul.s3proxy.blobstore.BlobStore;
import org.gaul.s3proxy.blobstore.ForwardingBlobStore;

import software.amazon.awssdk.services.s3.model.HeadObjectRequest;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Request;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;

/** Counts the HEAD and LIST requests a store answers. */
public final class CountingBlobStore extends ForwardingBlobStore {

    public final AtomicInteger heads = new AtomicInteger();
    public final AtomicInteger lists = new AtomicInteger();

    public CountingBlobStore(BlobStore delegate) {
        super(delegate);
    }

    @Override
    public HeadObjectResponse blobMetadata(HeadObjectRequest request) {
        heads.incrementAndGet();
        return super.blobMetadata(request);
    }

    @Override
    public ListObjectsV2Response list(ListObjectsV2Request request) {
        lists.incrementAndGet();
        return super.list(request);
    }
}
