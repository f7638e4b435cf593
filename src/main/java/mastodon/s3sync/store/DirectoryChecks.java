package mastodon.s3sync.store;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Function;

/**
 * What copy, verify and run check of a side that is a directory (Mastodon's local storage) before they start: that it
 * is named, exists, can be read (source) or written (target), and that the two sides are not the same tree. Each
 * problem names the setting and the fix.
 */
public final class DirectoryChecks {

    private DirectoryChecks() {
    }

    public static boolean isDirectory(Function<String, String> props, String side) {
        return "directory".equals(props.apply(side + ".kind"));
    }

    /** @return null when the directory sides (if any) can be used, else the problem */
    public static String forCopy(Function<String, String> props, boolean repair) {
        boolean source = isDirectory(props, "source");
        boolean target = !repair && isDirectory(props, "target");
        if (repair && source) {
            return "repair fixes the Content-Type, Cache-Control and ACL of objects in a bucket, but the source is a "
                    + "directory (S3_ENABLED is not 'true': Mastodon's local storage), whose files have none. Fix: run "
                    + "repair with the env file of a Mastodon that stores its files in a bucket (S3_ENABLED=true).";
        }
        String problem = source ? source(props.apply("source.root")) : null;
        if (problem == null && target) {
            problem = target(props.apply("target.root"));
        }
        if (problem == null && source && target) {
            problem = apart(props.apply("source.root"), props.apply("target.root"));
        }
        return problem;
    }

    static String source(String root) {
        if (root == null || root.isBlank()) {
            return "the source is Mastodon's local storage (S3_ENABLED is not 'true'), but its directory is not known. "
                    + "Fix: pass --env-file with Mastodon's .env.production (its public/system is the default), or set "
                    + "PAPERCLIP_ROOT_PATH to the directory of Mastodon's files (e.g. /home/mastodon/live/public/system); "
                    + "if the files are in a bucket, set S3_ENABLED=true and S3_BUCKET.";
        }
        Path p = Path.of(root);
        if (!Files.isDirectory(p)) {
            return "the source directory " + root + " (Mastodon's local storage) " + (Files.exists(p)
                    ? "is not a directory" : "does not exist") + ". Fix: set PAPERCLIP_ROOT_PATH to the directory of "
                    + "Mastodon's files (e.g. /home/mastodon/live/public/system).";
        }
        if (!Files.isReadable(p) || !Files.isExecutable(p)) {
            return "the source directory " + root + " cannot be read by this user. Fix: run as the user Mastodon "
                    + "runs as (usually mastodon), e.g. sudo -u mastodon.";
        }
        return null;
    }

    static String target(String root) {
        if (root == null || root.isBlank()) {
            return "TARGET_S3_ENABLED=false makes the target a directory, but TARGET_PAPERCLIP_ROOT_PATH is not set. "
                    + "Fix: set TARGET_PAPERCLIP_ROOT_PATH to the directory to fill (e.g. "
                    + "/home/mastodon/live/public/system), or TARGET_S3_ENABLED=true to copy to a bucket.";
        }
        Path p = Path.of(root);
        if (!Files.isDirectory(p)) {
            return "the target directory " + root + " (TARGET_PAPERCLIP_ROOT_PATH) " + (Files.exists(p)
                    ? "is not a directory" : "does not exist") + ". Fix: create it (mkdir -p " + root + ", owned by "
                    + "the user Mastodon runs as) or correct TARGET_PAPERCLIP_ROOT_PATH.";
        }
        if (!Files.isWritable(p) || !Files.isExecutable(p)) {
            return "the target directory " + root + " cannot be written by this user. Fix: run as the user that owns "
                    + "it (usually mastodon, so that Mastodon can later delete what it holds), e.g. sudo -u mastodon.";
        }
        return null;
    }

    static String apart(String sourceRoot, String targetRoot) {
        try {
            Path s = Path.of(sourceRoot).toRealPath();
            Path t = Path.of(targetRoot).toRealPath();
            if (s.startsWith(t) || t.startsWith(s)) {
                return "the source directory " + s + " and the target directory " + t + (s.equals(t) ? " are the same"
                        : " lie one inside the other") + ". Fix: point TARGET_PAPERCLIP_ROOT_PATH at another directory.";
            }
            return null;
        } catch (IOException e) {
            return "cannot resolve the directories " + sourceRoot + " and " + targetRoot + ": " + e.getMessage();
        }
    }

    /** Creates the directory when missing and proves it writable with a probe file. */
    public static String writable(Path dir, String what) {
        try {
            Files.createDirectories(dir);
        } catch (IOException | SecurityException e) {
            return "the " + what + " cannot be created (" + e.getClass().getSimpleName() + ": " + e.getMessage()
                    + "). Fix: create it, or give this user write access to its parent.";
        }
        try {
            Path probe = Files.createTempFile(dir, ".mirror-probe-", ".tmp");
            Files.delete(probe);
            return null;
        } catch (IOException | SecurityException e) {
            return "the " + what + " is not writable by this user (" + e.getClass().getSimpleName() + ": "
                    + e.getMessage() + "). Fix: chown/chmod it for the user that runs the mirror.";
        }
    }
}
