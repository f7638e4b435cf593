package mastodon.s3sync.mirror;

import java.nio.file.Path;

/**
 * What the mirror does with one record (or one object of a resync listing).
 *
 * @param directory    the mapped directory (WRITE, DELETE)
 * @param relativePath the rest of the key under {@code directory} (WRITE, DELETE)
 * @param file         {@code directory/relativePath}
 * @param reason       why nothing is done (IGNORE, REJECT, UNMAPPED)
 */
public record MirrorAction(Type type, S3Event event, Path directory, String relativePath, Path file, String reason) {

    public enum Type { WRITE, DELETE, IGNORE, REJECT, UNMAPPED }

    public String key() {
        return event.key();
    }

    public String bucket() {
        return event.bucket();
    }

    /** The path written through the file component: relative to the root "/" (see mirror.camel.yaml). */
    public String fileName() {
        return file.toString().substring(1);
    }
}
