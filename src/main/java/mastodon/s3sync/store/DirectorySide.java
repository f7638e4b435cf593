package mastodon.s3sync.store;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;

/**
 * One side of a copy that is Mastodon's local storage, as the copy routes use it: the source's file for a key (its
 * length known), the target's write of a key. The directory is opened on first use, so a side that is a bucket never
 * touches it (the routes name both sides' beans; only the directory branch calls this one).
 */
public final class DirectorySide {

    private final String side;
    private final String root;
    private volatile LocalStore store;

    /**
     * @param side "source" or "target"
     * @param root the directory, or null/empty when this side is a bucket
     */
    public DirectorySide(String side, String root) {
        this.side = side;
        this.root = root == null || root.isBlank() ? null : root;
    }

    public LocalStore store() throws IOException {
        LocalStore s = store;
        if (s == null) {
            if (root == null) {
                throw new IllegalStateException("the " + side + " is a bucket, not a directory");
            }
            synchronized (this) {
                if (store == null) {
                    store = new LocalStore(Path.of(root));
                }
                s = store;
            }
        }
        return s;
    }

    /** The source's file for a key (NoSuchFileException: missing at the source). */
    public File file(String key) throws IOException {
        return store().file(key);
    }

    /** Writes the target's file for a key from the stream (closed after), as {@link LocalStore#write} does. */
    public long write(String key, InputStream body, long length) throws IOException {
        try (InputStream in = body) {
            return store().write(key, in, length);
        } catch (java.nio.file.NoSuchFileException e) {
            // not the source's missing file: the target's directory went away under the copy
            throw new java.nio.file.FileSystemException(e.getFile(), null, "cannot be written: " + e.getReason()
                    + " (does " + root + " still exist?)");
        }
    }

    /** For messages: "the source directory /home/mastodon/live/public/system". */
    public String describe() {
        return "the " + side + " directory " + root;
    }
}
