package mastodon.s3sync.store;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Mastodon's local storage: a directory ({@code PAPERCLIP_ROOT_PATH}, {@code public/system}) whose paths under the root
 * are the object keys ({@code cache/} included, no key prefix).
 *
 * <p>Reading (a source) follows symbolic links: admins link {@code cache/} to another disk. Writing (a target) never
 * leaves the root: a key with {@code ..}, {@code .} or empty segments, a leading {@code /}, a backslash or a NUL is
 * refused, and so is a path through a symbolic link that leads out of the root. A file is written under a temporary
 * name in its directory, flushed to disk, given mode 0644 (directories 0755, so nginx can serve them) and renamed over
 * the name, so no reader sees a partial file and a crash leaves none behind under the real name. Camel's file producer
 * does not flush to disk before its rename (its {@code forceWrites} is not used by Camel 4.17's file writes), hence
 * this class.
 */
public final class LocalStore {

    /**
     * A key that cannot be a path under the root (traversal, absolute, odd characters, a link out of the root). A
     * {@link FileSystemException}: retrying does not change it.
     */
    public static final class UnsafeKeyException extends FileSystemException {
        public UnsafeKeyException(String message) {
            super(null, null, message);
        }

        @Override
        public String getMessage() {
            return getReason();
        }
    }

    private static final Set<PosixFilePermission> FILE_MODE = PosixFilePermissions.fromString("rw-r--r--");
    private static final Set<PosixFilePermission> DIR_MODE = PosixFilePermissions.fromString("rwxr-xr-x");
    private static final int BUFFER = 64 * 1024;

    private final Path root;
    private final Path realRoot;

    /**
     * @param root the directory; it must exist
     * @throws IOException when it does not exist or is not a directory
     */
    public LocalStore(Path root) throws IOException {
        this.root = root.toAbsolutePath().normalize();
        if (!Files.isDirectory(this.root)) {
            throw new NoSuchFileException(this.root.toString(), null, "not a directory");
        }
        this.realRoot = this.root.toRealPath();
    }

    public Path root() {
        return root;
    }

    /** Where this store is, for messages. */
    public String describe() {
        return "directory " + root;
    }

    /**
     * The path of a key under the root, by name only (no file system access).
     *
     * @throws UnsafeKeyException when the key could name something outside the root
     */
    public Path path(String key) throws UnsafeKeyException {
        if (key == null || key.isEmpty()) {
            throw new UnsafeKeyException("empty key");
        }
        if (key.startsWith("/")) {
            throw new UnsafeKeyException("key '" + printable(key) + "' is an absolute path");
        }
        for (int i = 0; i < key.length(); i++) {
            char c = key.charAt(i);
            if (c == '\\' || c < 0x20 || c == 0x7f) {
                throw new UnsafeKeyException("key '" + printable(key) + "' holds a backslash or a control character");
            }
        }
        for (String segment : key.split("/", -1)) {
            if (segment.isEmpty() || segment.equals(".") || segment.equals("..")) {
                throw new UnsafeKeyException("key '" + printable(key) + "' has an empty, '.' or '..' segment");
            }
        }
        return root.resolve(key);
    }

    /**
     * The size of a key's file as a source sees it (links followed), or null when there is none.
     *
     * @throws IOException when the key is unsafe, names a directory, or cannot be examined
     */
    public Long sourceSize(String key) throws IOException {
        Path p = path(key);
        try {
            BasicFileAttributes a = Files.readAttributes(p, BasicFileAttributes.class);
            if (!a.isRegularFile()) {
                throw new FileSystemException(p.toString(), null, "not a regular file");
            }
            return a.size();
        } catch (NoSuchFileException e) {
            return null;
        }
    }

    /**
     * The size of a key's file as a target sees it (links not followed: a link is not a copy), or null when there is
     * none.
     */
    public Long targetSize(String key) throws IOException {
        Path p = path(key);
        try {
            BasicFileAttributes a = Files.readAttributes(p, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            return a.isRegularFile() ? a.size() : null;
        } catch (NoSuchFileException e) {
            return null;
        }
    }

    /**
     * A key's file, checked to be a readable regular file, for a stream that knows its length (the S3 producer reads
     * a {@code File} body with its length).
     *
     * @throws NoSuchFileException when it does not exist (the object is missing at the source)
     * @throws IOException         when it is not a regular file or cannot be read
     */
    public java.io.File file(String key) throws IOException {
        Path p = path(key);
        BasicFileAttributes a = Files.readAttributes(p, BasicFileAttributes.class);
        if (!a.isRegularFile()) {
            throw new FileSystemException(p.toString(), null, a.isDirectory() ? "is a directory, not a file"
                    : "not a regular file");
        }
        if (!Files.isReadable(p)) {
            throw new java.nio.file.AccessDeniedException(p.toString(), null, "cannot be read by this user");
        }
        return p.toFile();
    }

    /**
     * Writes a key's file from a stream of a known length: into a temporary file beside it, flushed to disk, mode
     * 0644, renamed over the name, the directory flushed too. Parent directories are created with mode 0755.
     *
     * @param length the length the source announced; a stream that ends early or runs long fails and leaves nothing
     * @return the bytes written
     * @throws UnsafeKeyException when the key, or a symbolic link on its way, leads out of the root
     */
    public long write(String key, InputStream in, long length) throws IOException {
        Path target = path(key);
        Path dir = target.getParent();
        createDirectories(dir);
        Path realDir = dir.toRealPath();
        if (!realDir.startsWith(realRoot)) {
            throw new UnsafeKeyException("key '" + printable(key) + "' leads through a symbolic link out of " + root
                    + " (to " + realDir + ")");
        }
        if (Files.isDirectory(target, LinkOption.NOFOLLOW_LINKS)) {
            throw new FileSystemException(target.toString(), null, "is a directory; the object cannot be written there");
        }
        Path temp = temporary(realDir, target.getFileName().toString());
        long written = 0;
        try {
            try (FileChannel ch = FileChannel.open(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
                 OutputStream out = Channels.newOutputStream(ch)) {
                byte[] buf = new byte[BUFFER];
                for (int n; (n = in.read(buf)) >= 0; ) {
                    written += n;
                    if (written > length) {
                        throw new IOException("the source sent more than the " + length + " bytes it announced");
                    }
                    out.write(buf, 0, n);
                }
                if (written != length) {
                    throw new IOException("the source sent " + written + " of the " + length + " bytes it announced");
                }
                out.flush();
                ch.force(true);
            }
            Files.setPosixFilePermissions(temp, FILE_MODE);
            Files.move(temp, realDir.resolve(target.getFileName()), StandardCopyOption.ATOMIC_MOVE,
                    StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(temp);
            throw e;
        }
        syncDirectory(realDir);
        return written;
    }

    private void createDirectories(Path dir) throws IOException {
        if (Files.isDirectory(dir)) {
            return;
        }
        Path parent = dir.getParent();
        if (parent != null && !parent.equals(root)) {
            createDirectories(parent);
        }
        Path realParent = parent == null ? null : parent.toRealPath();
        if (realParent != null && !realParent.startsWith(realRoot)) {
            throw new UnsafeKeyException(dir + " leads through a symbolic link out of " + root);
        }
        try {
            Files.createDirectory(dir);
            Files.setPosixFilePermissions(dir, DIR_MODE); // whatever the umask
        } catch (FileAlreadyExistsException e) {
            if (!Files.isDirectory(dir)) {
                throw new FileSystemException(dir.toString(), null, "exists and is not a directory");
            }
        }
    }

    private static Path temporary(Path dir, String name) {
        return dir.resolve("." + name + "." + Long.toHexString(ThreadLocalRandom.current().nextLong()) + ".part");
    }

    /** Flushes a directory's entries (a rename in it) to disk; where a file system cannot, the rename stays atomic. */
    public static void syncDirectory(Path dir) {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException | UnsupportedOperationException e) {
            // some file systems cannot open a directory for syncing
        }
    }

    private static String printable(String key) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < key.length() && i < 200; i++) {
            char c = key.charAt(i);
            b.append(c < 0x20 || c == 0x7f ? '?' : c);
        }
        return b.toString();
    }
}
