package mastodon.s3sync;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.function.Function;

import mastodon.s3sync.copy.CopyOptions;

/**
 * Where copy, verify and run keep their checkpoints and reports, so that it does not depend on the directory the
 * command was started from:
 * <ol>
 * <li>{@code copy.state-dir} / {@code COPY_STATE_DIR} when set (relative to the working directory);</li>
 * <li>else {@code ./state} when that directory exists (a checkout used so far, the Docker image's mounted
 * {@code /app/state});</li>
 * <li>else a directory per user and per copy: {@code $XDG_STATE_HOME/mastodon-s3-sync/JOB} (default
 * {@code ~/.local/state/mastodon-s3-sync/JOB}), JOB naming the database and both buckets, with a hash of the whole
 * copy identity (database, source and target store, key prefixes) so that two copies never share one.</li>
 * </ol>
 */
final class StateLocation {

    /** The directory, and why it is that one (said at start). */
    record Resolved(Path dir, String why) {
    }

    private StateLocation() {
    }

    static Resolved copy(Map<String, String> env, Path workDir, Function<String, String> props) {
        Function<String, String> p = k -> props.apply(k) == null ? "" : props.apply(k).strip();
        String set = p.apply("copy.state-dir");
        if (!set.isEmpty()) {
            return new Resolved(workDir.resolve(set).toAbsolutePath().normalize(), "copy.state-dir / COPY_STATE_DIR");
        }
        Path local = workDir.resolve("state");
        if (Files.isDirectory(local)) {
            return new Resolved(local.toAbsolutePath().normalize(), "the directory state/ in the working directory; "
                    + "COPY_STATE_DIR chooses another");
        }
        return new Resolved(userStateHome(env).resolve("mastodon-s3-sync").resolve(job(p)).normalize(),
                "this user's state directory for this copy; COPY_STATE_DIR chooses another");
    }

    /** $XDG_STATE_HOME, else $HOME/.local/state, else the JVM's user.home/.local/state. */
    static Path userStateHome(Map<String, String> env) {
        String xdg = env.get("XDG_STATE_HOME");
        if (xdg != null && !xdg.isBlank() && Path.of(xdg).isAbsolute()) {
            return Path.of(xdg);
        }
        String home = env.get("HOME");
        if (home == null || home.isBlank()) {
            home = System.getProperty("user.home");
        }
        return Path.of(home, ".local", "state");
    }

    /** e.g. mastodon_production-files.example-to-new-media-3f9a1c0d: readable, and one per copy. */
    static String job(Function<String, String> p) {
        String identity = CopyOptions.identity(p);
        String readable = p.apply("db.name") + "-" + p.apply("source.bucket") + "-to-" + p.apply("target.bucket");
        readable = readable.replaceAll("[^A-Za-z0-9._-]+", "_");
        if (readable.length() > 80) {
            readable = readable.substring(0, 80);
        }
        try {
            byte[] h = MessageDigest.getInstance("SHA-256").digest(identity.getBytes(StandardCharsets.UTF_8));
            return readable + "-" + HexFormat.of().formatHex(h, 0, 4);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
