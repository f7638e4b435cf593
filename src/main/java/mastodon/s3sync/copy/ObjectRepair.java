package mastodon.s3sync.copy;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.CopyObjectRequest;
import software.amazon.awssdk.services.s3.model.CreateMultipartUploadRequest;
import software.amazon.awssdk.services.s3.model.GetObjectAclResponse;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.MetadataDirective;
import software.amazon.awssdk.services.s3.model.ObjectCannedACL;
import software.amazon.awssdk.services.s3.model.ServerSideEncryption;
import software.amazon.awssdk.services.s3.model.UploadPartCopyResponse;

/**
 * The {@code repair} command's judgement of one object of the store Mastodon uses, and the requests that fix it in
 * place: what differs from what Mastodon would have written (Content-Type, Cache-Control, ACL), the CopyObject onto
 * itself with replaced metadata (a multipart copy above the single-copy limit), and the canned ACL to put.
 * <p>
 * The Content-Type rule is the copy's ({@link VerifyJudge#expectedContentType}): an object's own specific type is the
 * truth and is kept; only a missing or generic one ({@link MastodonKeys#isGenericContentType}) is replaced with the
 * type Mastodon's rules give.
 */
public final class ObjectRepair {

    /** S3 allows at most this many parts in one multipart upload. */
    static final int MAX_PARTS = 10_000;
    /** S3's smallest part (all but the last). */
    static final long MIN_PART = 5L * 1024 * 1024;

    /**
     * What one object needs.
     *
     * @param contentType  the type to write, or null when the object's own is right
     * @param cacheControl true when Cache-Control is not Mastodon's
     * @param acl          the canned ACL (enum name) to set because the object's differs, or null
     * @param wantedAcl    the canned ACL (enum name) Mastodon writes on this object, or null when ACLs are not
     *                     managed ({@code S3_PERMISSION} empty): a metadata copy carries it, so it keeps the ACL
     * @param was          the object's current values, for the dry run and the log
     */
    public record Fixes(String contentType, boolean cacheControl, String acl, String wantedAcl, String was) {

        /** A CopyObject onto itself is needed (Content-Type or Cache-Control). */
        public boolean metadata() {
            return contentType != null || cacheControl;
        }

        public boolean none() {
            return !metadata() && acl == null;
        }

        /** "Content-Type binary/octet-stream -> image/png, Cache-Control (none) -> ..., ACL private -> public-read". */
        public String describe() {
            return was;
        }
    }

    private final S3Client s3;
    private final String bucket;
    private final Function<CopyTask, String> wantedAcl;
    private final long partSize;

    /**
     * @param s3                 the client of the store Mastodon uses (source settings)
     * @param bucket             its bucket
     * @param wantedAcl          the canned ACL (enum name) Mastodon writes on a task's object; null: no ACLs
     * @param partSize           the part size of those copies (raised so that no object needs more than 10,000)
     */
    public ObjectRepair(S3Client s3, String bucket, Function<CopyTask, String> wantedAcl, long partSize) {
        this.s3 = s3;
        this.bucket = bucket;
        this.wantedAcl = wantedAcl;
        this.partSize = partSize;
    }

    /**
     * Compares one object with what Mastodon would have written.
     *
     * @param task the object's row, key and Mastodon's type and ACL for it
     * @param head the object's HEAD
     * @param acl  its ACL, or null when ACLs are not checked
     */
    public Fixes judge(CopyTask task, HeadObjectResponse head, GetObjectAclResponse acl) {
        List<String> was = new ArrayList<>();
        String type = null;
        if (MastodonKeys.isGenericContentType(head.contentType()) && !task.contentType().equals(head.contentType())) {
            type = task.contentType();
            was.add("Content-Type " + shown(head.contentType()) + " -> " + type);
        }
        boolean cache = !CopyTask.CACHE_CONTROL.equals(head.cacheControl());
        if (cache) {
            was.add("Cache-Control " + shown(head.cacheControl()) + " -> " + CopyTask.CACHE_CONTROL);
        }
        String wanted = wantedAcl.apply(task);
        String setAcl = null;
        if (wanted != null && acl != null) {
            String has = CannedAcl.of(acl);
            if (!wanted.equals(has)) {
                setAcl = wanted;
                was.add("ACL " + (has == null ? "(other grants)" : CannedAcl.shown(has)) + " -> " + CannedAcl.shown(wanted));
            }
        }
        return new Fixes(type, cache, setAcl, wanted, String.join(", ", was));
    }

    /**
     * The CopyObject of the object onto itself with Mastodon's Content-Type and Cache-Control: everything else the
     * HEAD shows is passed back (user metadata x-amz-meta-*, Content-Disposition/Encoding/Language, Expires, storage
     * class, KMS encryption), with the ACL Mastodon writes (a copy that replaces metadata also replaces the ACL on
     * AWS). Only if the object is still the one judged (ETag): a changed object fails with 412 and is judged again
     * at the next run.
     */
    public CopyObjectRequest copyRequest(String key, HeadObjectResponse head, Fixes fixes) {
        CopyObjectRequest.Builder b = CopyObjectRequest.builder()
                .sourceBucket(bucket).sourceKey(key).destinationBucket(bucket).destinationKey(key)
                .metadataDirective(MetadataDirective.REPLACE)
                .contentType(fixes.contentType() != null ? fixes.contentType() : head.contentType())
                .cacheControl(CopyTask.CACHE_CONTROL)
                .metadata(head.metadata())
                .contentDisposition(head.contentDisposition())
                .contentEncoding(head.contentEncoding())
                .contentLanguage(head.contentLanguage())
                .expires(head.expires());
        if (head.eTag() != null) {
            b.copySourceIfMatch(head.eTag());
        }
        if (fixes.wantedAcl() != null) {
            b.acl(ObjectCannedACL.valueOf(fixes.wantedAcl()));
        }
        if (head.storageClass() != null) {
            b.storageClass(head.storageClassAsString());
        }
        if (head.serverSideEncryption() == ServerSideEncryption.AWS_KMS) {
            b.serverSideEncryption(ServerSideEncryption.AWS_KMS).ssekmsKeyId(head.ssekmsKeyId());
        }
        return b.build();
    }

    /** The upload a multipart copy writes: the same headers as {@link #copyRequest}. */
    CreateMultipartUploadRequest createRequest(String key, HeadObjectResponse head, Fixes fixes) {
        CopyObjectRequest c = copyRequest(key, head, fixes);
        CreateMultipartUploadRequest.Builder b = CreateMultipartUploadRequest.builder().bucket(bucket).key(key)
                .contentType(c.contentType()).cacheControl(c.cacheControl()).metadata(c.metadata())
                .contentDisposition(c.contentDisposition()).contentEncoding(c.contentEncoding())
                .contentLanguage(c.contentLanguage()).expires(c.expires());
        if (c.acl() != null) {
            b.acl(c.acl());
        }
        if (c.storageClassAsString() != null) {
            b.storageClass(c.storageClassAsString());
        }
        if (c.serverSideEncryption() != null) {
            b.serverSideEncryption(c.serverSideEncryption()).ssekmsKeyId(c.ssekmsKeyId());
        }
        return b.build();
    }

    /**
     * The byte ranges (first, last; inclusive, as in {@code x-amz-copy-source-range}) of a multipart copy of
     * {@code size} bytes: parts of {@code partSize}, raised to {@code size / 10,000} (rounded up to a MiB) when that
     * would take more than 10,000 parts, and never below S3's 5 MiB.
     */
    static List<long[]> partRanges(long size, long partSize) {
        if (size <= 0) {
            throw new IllegalArgumentException("a multipart copy needs a non-empty object, not " + size + " bytes");
        }
        long part = Math.max(partSize, MIN_PART);
        if ((size + part - 1) / part > MAX_PARTS) {
            long mib = 1024 * 1024;
            part = ((size + MAX_PARTS - 1) / MAX_PARTS + mib - 1) / mib * mib;
        }
        List<long[]> ranges = new ArrayList<>();
        for (long first = 0; first < size; first += part) {
            ranges.add(new long[] {first, Math.min(size, first + part) - 1});
        }
        return ranges;
    }

    /**
     * Copies the object onto itself in parts (UploadPartCopy), with the headers of {@link #copyRequest}. Every part
     * copy names the ETag judged; a failure aborts the upload (the route's retry starts a new one).
     *
     * @return the number of parts
     */
    public int multipartCopy(String key, HeadObjectResponse head, Fixes fixes) {
        List<long[]> ranges = partRanges(head.contentLength(), partSize);
        String uploadId = s3.createMultipartUpload(createRequest(key, head, fixes)).uploadId();
        try {
            List<CompletedPart> parts = new ArrayList<>();
            for (int i = 0; i < ranges.size(); i++) {
                int n = i + 1;
                long[] r = ranges.get(i);
                UploadPartCopyResponse resp = s3.uploadPartCopy(u -> {
                    u.sourceBucket(bucket).sourceKey(key).destinationBucket(bucket).destinationKey(key)
                            .uploadId(uploadId).partNumber(n).copySourceRange("bytes=" + r[0] + "-" + r[1]);
                    if (head.eTag() != null) {
                        u.copySourceIfMatch(head.eTag());
                    }
                });
                parts.add(CompletedPart.builder().partNumber(n).eTag(resp.copyPartResult().eTag()).build());
            }
            s3.completeMultipartUpload(c -> c.bucket(bucket).key(key).uploadId(uploadId)
                    .multipartUpload(m -> m.parts(parts)));
            return parts.size();
        } catch (RuntimeException e) {
            try {
                s3.abortMultipartUpload(a -> a.bucket(bucket).key(key).uploadId(uploadId));
            } catch (RuntimeException abortFailed) {
                e.addSuppressed(abortFailed);
            }
            throw e;
        }
    }

    private static String shown(String v) {
        return v == null || v.isEmpty() ? "(none)" : v;
    }
}
