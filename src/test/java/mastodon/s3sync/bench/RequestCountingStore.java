package mastodon.s3sync.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import org.gaul.s3proxy.blobstore.BlobStore;
import org.gaul.s3proxy.blobstore.ForwardingBlobStore;
import org.gaul.s3proxy.blobstore.domain.MultipartUpload;

import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.services.s3.model.CompleteMultipartUploadRequest;
import software.amazon.awssdk.services.s3.model.CompleteMultipartUploadResponse;
import software.amazon.awssdk.services.s3.model.CopyObjectRequest;
import software.amazon.awssdk.services.s3.model.CopyObjectResponse;
import software.amazon.awssdk.services.s3.model.CreateMultipartUploadRequest;
import software.amazon.awssdk.services.s3.model.DeleteObjectRequest;
import software.amazon.awssdk.services.s3.model.DeleteObjectResponse;
import software.amazon.awssdk.services.s3.model.DeleteObjectsRequest;
import software.amazon.awssdk.services.s3.model.DeleteObjectsResponse;
import software.amazon.awssdk.services.s3.model.GetObjectRequest;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.HeadBucketRequest;
import software.amazon.awssdk.services.s3.model.HeadBucketResponse;
import software.amazon.awssdk.services.s3.model.HeadObjectRequest;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.ListBucketsResponse;
import software.amazon.awssdk.services.s3.model.ListObjectsRequest;
import software.amazon.awssdk.services.s3.model.ListObjectsResponse;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Request;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.Part;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.PutObjectResponse;
import software.amazon.awssdk.services.s3.model.UploadPartRequest;
import software.amazon.awssdk.services.s3.model.UploadPartResponse;

/**
 * A bench store that counts the operations standing for S3 requests (one each; what the store then calls on itself, and
 * what s3proxy does with its own multipart stubs, is not counted) and notes when a bucket's first object was written ({@code DIR/first-write-BUCKET}: epoch milliseconds,
 * for the time from start to the first object copied).
 *
 * <p>A {@link ForwardingBlobStore}, not a {@code java.lang.reflect.Proxy}: s3proxy looks through forwarding stores to
 * learn what kind of store it serves, and a filesystem store keeps a multipart upload's Content-Type, Cache-Control and
 * ACL only when s3proxy knows it is one. Behind a reflective proxy the bench's target lost them, and {@code verify}
 * after a bench copy reported every object above copy.part-size as "different".
 */
final class RequestCountingStore extends ForwardingBlobStore {

    private final AtomicLong requests;
    private final Path firstWrites;

    /** @param firstWrites the directory of the first-write notes, or null for none */
    RequestCountingStore(BlobStore delegate, AtomicLong requests, Path firstWrites) {
        super(delegate);
        this.requests = requests;
        this.firstWrites = firstWrites;
    }

    /** The keys of s3proxy's own records of a multipart upload (its Content-Type, ACL...): not S3 requests. */
    private static final String STUB = ".s3proxy-mpu-stub-";

    private void count() {
        requests.incrementAndGet();
    }

    /** Counts an operation on an object, unless s3proxy makes it on one of its own stubs. */
    private void count(String key) {
        if (key == null || !key.startsWith(STUB)) {
            count();
        }
    }

    private void firstWrite(String bucket) {
        if (firstWrites == null) {
            return;
        }
        Path f = firstWrites.resolve("first-write-" + bucket);
        if (Files.exists(f)) {
            return;
        }
        try {
            Path tmp = firstWrites.resolve("first-write-" + bucket + ".tmp" + Thread.currentThread().getId());
            Files.writeString(tmp, System.currentTimeMillis() + "\n");
            Files.move(tmp, f, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public ListBucketsResponse list() {
        count();
        return delegate().list();
    }

    @Override
    public ListObjectsV2Response list(ListObjectsV2Request request) {
        count();
        return delegate().list(request);
    }

    @Override
    public ListObjectsResponse listV1(ListObjectsRequest request) {
        count();
        return delegate().listV1(request);
    }

    @Override
    public HeadBucketResponse headBucket(HeadBucketRequest request) {
        count();
        return delegate().headBucket(request);
    }

    @Override
    public PutObjectResponse putBlob(PutObjectRequest request, InputStream body) {
        count(request.key());
        PutObjectResponse r = delegate().putBlob(request, body);
        firstWrite(request.bucket());
        return r;
    }

    @Override
    public CopyObjectResponse copyBlob(CopyObjectRequest request) {
        count();
        return delegate().copyBlob(request);
    }

    @Override
    public HeadObjectResponse blobMetadata(HeadObjectRequest request) {
        count(request.key());
        return delegate().blobMetadata(request);
    }

    @Override
    public HeadObjectResponse blobMetadataIfPresent(HeadObjectRequest request) {
        count(request.key());
        return delegate().blobMetadataIfPresent(request);
    }

    @Override
    public ResponseInputStream<GetObjectResponse> getBlob(GetObjectRequest request) {
        count(request.key());
        return delegate().getBlob(request);
    }

    @Override
    public DeleteObjectResponse removeBlob(DeleteObjectRequest request) {
        count(request.key());
        return delegate().removeBlob(request);
    }

    @Override
    public DeleteObjectsResponse removeBlobs(DeleteObjectsRequest request) {
        count();
        return delegate().removeBlobs(request);
    }

    @Override
    public MultipartUpload initiateMultipartUpload(CreateMultipartUploadRequest request) {
        count();
        return delegate().initiateMultipartUpload(request);
    }

    @Override
    public void abortMultipartUpload(MultipartUpload upload) {
        count();
        delegate().abortMultipartUpload(upload);
    }

    @Override
    public CompleteMultipartUploadResponse completeMultipartUpload(MultipartUpload upload,
                                                                   CompleteMultipartUploadRequest request) {
        count();
        CompleteMultipartUploadResponse r = delegate().completeMultipartUpload(upload, request);
        firstWrite(upload.containerName());
        return r;
    }

    @Override
    public UploadPartResponse uploadMultipartPart(MultipartUpload upload, UploadPartRequest request,
                                                  InputStream body) {
        count();
        return delegate().uploadMultipartPart(upload, request, body);
    }

    @Override
    public List<Part> listMultipartUpload(MultipartUpload upload) {
        count();
        return delegate().listMultipartUpload(upload);
    }

    @Override
    public List<software.amazon.awssdk.services.s3.model.MultipartUpload> listMultipartUploads(String bucket) {
        count();
        return delegate().listMultipartUploads(bucket);
    }
}
