package mastodon.s3sync.copy;

import java.io.InputStream;
import java.nio.channels.Channels;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.Files;

import mastodon.s3sync.store.DirectorySide;
import mastodon.s3sync.store.PartedUpload;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The copy's large objects (above copy.part-size), written in parts by {@link PartedUpload}: the task gives the keys,
 * the ACL and the storage class; a failed part is read again from the source's bucket (a ranged GET of the same
 * version: If-Match on the first GET's ETag) or its directory (the file at the part's offset).
 */
public final class PartedCopy {

    private final PartedUpload upload;
    private final S3Client sourceS3;
    private final String sourceBucket;
    private final DirectorySide sourceDirectory;

    /**
     * @param sourceDirectory the source's directory side when the source is a directory, else null (then the
     *                        source bucket is read)
     */
    public PartedCopy(PartedUpload upload, S3Client sourceS3, String sourceBucket, DirectorySide sourceDirectory) {
        this.upload = upload;
        this.sourceS3 = sourceS3;
        this.sourceBucket = sourceBucket;
        this.sourceDirectory = sourceDirectory;
    }

    /**
     * @param body        the source's stream, already open at its first byte
     * @param contentType the Content-Type to write (the source's, or Mastodon's when that was missing or generic)
     * @param sourceETag  the ETag of the source's GET, or null: a part read again must come from the same version
     * @return the bytes written
     */
    public long upload(CopyTask task, InputStream body, long length, String contentType, String sourceETag) {
        PartedUpload.Headers headers = new PartedUpload.Headers(contentType, CopyTask.CACHE_CONTROL,
                task.cannedAcl(), task.storageClass());
        return upload.upload(task.sourceKey(), task.targetKey(), body, length, headers, (key, offset) -> {
            if (sourceDirectory != null) {
                SeekableByteChannel ch = Files.newByteChannel(sourceDirectory.file(key).toPath());
                ch.position(offset);
                return Channels.newInputStream(ch);
            }
            return sourceS3.getObject(b -> {
                b.bucket(sourceBucket).key(key).range("bytes=" + offset + "-");
                if (sourceETag != null && !sourceETag.isEmpty()) {
                    b.ifMatch(sourceETag);
                }
            });
        });
    }
}
