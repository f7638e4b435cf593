package mastodon.s3sync.store;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.function.Predicate;

import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.CreateMultipartUploadRequest;
import software.amazon.awssdk.services.s3.model.ObjectCannedACL;

/**
 * Writes one object to a bucket in parts, streamed, and retries a part alone when it fails: the bytes of a failed
 * part are read again from the source (a ranged GET, or the file at that offset), not the whole object. A large
 * object (a backup of several GiB: hundreds of parts) on a store that fails one request in a few hundred would
 * otherwise almost never complete, each failure starting it over.
 *
 * <p>The first attempt reads every part from the stream already open; after a failure that stream is closed and
 * the rest of the object is read from a new one opened at the failed part's first byte. Memory: no part is buffered.
 * A part that still fails after its retries aborts the upload (no parts left billed at the store) and ends the object
 * with {@link GaveUpException}, which is not retried again as a whole.
 */
public final class PartedUpload {

    /** Opens the source object from an offset to its end (a ranged GET of the same version, or the file). */
    @FunctionalInterface
    public interface Source {
        InputStream openAt(String key, long offset) throws IOException;
    }

    /** The object's headers, as the route set them. */
    public record Headers(String contentType, String cacheControl, String cannedAcl, String storageClass) {
    }

    /** A part failed more times than allowed; the upload was aborted. Retrying the object would repeat the same. */
    public static final class GaveUpException extends RuntimeException {
        public GaveUpException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /** Which side a failed attempt is counted against, and the error. */
    public record Failure(String party, Throwable error) {
    }

    private final S3Client target;
    private final String bucket;
    private final long partSize;
    private final int retries;
    private final long retryDelayMillis;
    private final Predicate<Throwable> retryable;
    private final Consumer<Failure> onFailure;
    private final Consumer<String> onSuccess;
    private final BiConsumer<Long, Throwable> sleeper;

    /**
     * @param retryable  which errors are worth another try of the part
     * @param onFailure  each failed attempt (the failure budget counts them per party: source, target)
     * @param onSuccess  each part written (the party's outage, if any, is over)
     */
    public PartedUpload(S3Client target, String bucket, long partSize, int retries, long retryDelayMillis,
                        Predicate<Throwable> retryable, Consumer<Failure> onFailure, Consumer<String> onSuccess) {
        this(target, bucket, partSize, retries, retryDelayMillis, retryable, onFailure, onSuccess,
                PartedUpload::sleep);
    }

    PartedUpload(S3Client target, String bucket, long partSize, int retries, long retryDelayMillis,
                 Predicate<Throwable> retryable, Consumer<Failure> onFailure, Consumer<String> onSuccess,
                 BiConsumer<Long, Throwable> sleeper) {
        this.target = target;
        this.bucket = bucket;
        this.partSize = partSize;
        this.retries = retries;
        this.retryDelayMillis = retryDelayMillis;
        this.retryable = retryable;
        this.onFailure = onFailure;
        this.onSuccess = onSuccess;
        this.sleeper = sleeper;
    }

    /** The number of parts of an object this long (S3 allows at most 10,000). */
    public long parts(long length) {
        return Math.max(1, (length + partSize - 1) / partSize);
    }

    /**
     * Uploads {@code length} bytes as {@code targetKey}, reading them from {@code first} (closed here) and, after a
     * failure, from {@code source} at the failed part's offset.
     *
     * @return the bytes written
     */
    public long upload(String sourceKey, String targetKey, InputStream first, long length, Headers headers,
                       Source source) {
        if (parts(length) > 10_000) {
            closeQuietly(first);
            throw new GaveUpException(targetKey + " needs " + parts(length) + " parts of " + partSize
                    + " bytes; S3 allows 10,000. Fix: raise copy.part-size.", null);
        }
        CreateMultipartUploadRequest.Builder create = CreateMultipartUploadRequest.builder().bucket(bucket)
                .key(targetKey).contentType(headers.contentType()).cacheControl(headers.cacheControl());
        if (headers.cannedAcl() != null && !headers.cannedAcl().isEmpty()) {
            create.acl(ObjectCannedACL.valueOf(headers.cannedAcl()));
        }
        if (headers.storageClass() != null && !headers.storageClass().isEmpty()) {
            create.storageClass(headers.storageClass());
        }
        String uploadId;
        try {
            uploadId = target.createMultipartUpload(create.build()).uploadId();
        } catch (RuntimeException e) {
            closeQuietly(first);
            throw e; // nothing started: the object's own retry applies
        }
        boolean completed = false;
        Reader reader = new Reader(first);
        try {
            List<CompletedPart> done = new ArrayList<>();
            for (int n = 1; (long) (n - 1) * partSize < length; n++) {
                long offset = (n - 1) * partSize;
                long size = Math.min(partSize, length - offset);
                done.add(part(sourceKey, targetKey, uploadId, n, offset, size, reader, source));
            }
            target.completeMultipartUpload(b -> b.bucket(bucket).key(targetKey).uploadId(uploadId)
                    .multipartUpload(m -> m.parts(done)));
            completed = true;
            return length;
        } finally {
            reader.close();
            if (!completed) {
                try {
                    target.abortMultipartUpload(b -> b.bucket(bucket).key(targetKey).uploadId(uploadId));
                } catch (RuntimeException ignored) {
                    // the next run's sweep of abandoned uploads (AbandonedUploads) aborts it
                }
            }
        }
    }

    private CompletedPart part(String sourceKey, String targetKey, String uploadId, int n, long offset, long size,
                               Reader reader, Source source) {
        for (int attempt = 0; ; attempt++) {
            PartBody.Party party = new PartBody.Party();
            try {
                if (reader.stream == null) {
                    party.opening = true;
                    reader.stream = source.openAt(sourceKey, offset);
                    party.opening = false;
                }
                InputStream body = new PartBody(reader.stream, size, party);
                String etag = target.uploadPart(b -> b.bucket(bucket).key(targetKey).uploadId(uploadId).partNumber(n)
                        .contentLength(size), RequestBody.fromInputStream(body, size)).eTag();
                onSuccess.accept("source");
                onSuccess.accept("target");
                return CompletedPart.builder().partNumber(n).eTag(etag).build();
            } catch (IOException | RuntimeException e) {
                // the stream's position is lost: the next attempt reads from this part's first byte
                reader.close();
                String who = party.sourceFailed || party.opening ? "source" : "target";
                onFailure.accept(new Failure(who, e));
                if (!retryable.test(e)) {
                    throw e instanceof RuntimeException r ? r : new java.io.UncheckedIOException((IOException) e);
                }
                if (attempt >= retries) {
                    throw new GaveUpException("part " + n + " of " + targetKey + " failed " + (attempt + 1)
                            + " times; the upload was aborted", e);
                }
                sleeper.accept(Math.min(60_000, retryDelayMillis << Math.min(attempt, 16)), e);
            }
        }
    }

    private static void sleep(Long millis, Throwable cause) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new GaveUpException("interrupted while waiting to retry a part", cause);
        }
    }

    private static void closeQuietly(InputStream in) {
        try {
            if (in != null) {
                in.close();
            }
        } catch (IOException ignored) {
            // nothing more to read from it
        }
    }

    /** The stream the parts are read from, replaced after a failure. */
    private static final class Reader {
        InputStream stream;

        Reader(InputStream first) {
            this.stream = first;
        }

        void close() {
            closeQuietly(stream);
            stream = null;
        }
    }
}
