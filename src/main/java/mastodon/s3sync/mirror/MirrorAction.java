package mastodon.s3sync.mirror;

import java.nio.file.Path;

/**
 * Where one record (or one object of a resync listing) goes: its file when its key is mapped, else why not.
 *
 * @param placement    MAPPED (a file to write or delete), FOLDER (a folder placeholder), UNMAPPED (no prefix
 *                     matches), REJECTED (another bucket, a path that leaves its directory or goes through a link)
 * @param directory    the mapped directory (MAPPED)
 * @param relativePath the rest of the key under {@code directory} (MAPPED)
 * @param file         {@code directory/relativePath} (MAPPED)
 * @param reason       why there is no file (FOLDER, UNMAPPED, REJECTED)
 */
public record MirrorAction(Placement placement, S3Event event, Path directory, String relativePath, Path file,
                           String reason) {

    public enum Placement { MAPPED, FOLDER, UNMAPPED, REJECTED }

    static MirrorAction refused(Placement placement, S3Event e, String reason) {
        return new MirrorAction(placement, e, null, null, null, reason);
    }

    public String key() {
        return event.key();
    }

    public String bucket() {
        return event.bucket();
    }

    /** For logs: the event name, bucket and key, without control characters. */
    public String describe() {
        return event.describe();
    }

    /** For logs: the file, without control characters. */
    public String fileText() {
        return file == null ? "" : Mirror.safe(file.toString());
    }

    /** The path written through the file component: relative to the root "/" (see mirror.camel.yaml). */
    public String fileName() {
        return file.toString().substring(1);
    }
}
