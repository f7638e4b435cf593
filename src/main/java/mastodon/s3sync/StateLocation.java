package mastodon.s3sync;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Stream;

import mastodon.s3sync.copy.CopyOptions;

/**
 * Where the jobs keep their state, so that it does not depend on the directory the command was started from. Each
 * job's location is, first that applies:
 * <ol>
 * <li>its setting when set (relative to the working directory): {@code copy.state-dir} / {@code COPY_STATE_DIR},
 * {@code mirror.state-dir} / {@code MIRROR_STATE_DIR}, {@code recover.report-file} / {@code RECOVER_REPORT_FILE};</li>
 * <li>what an earlier version left in the working directory, when it is this job's: {@code ./state} holding this
 * copy's checkpoints, {@code ./state/mirror} (the mirror's sequencer store). A {@code ./state} made by something else
 * (the Jolokia users file, another copy) does not count;</li>
 * <li>else a place per user and per job under {@code $XDG_STATE_HOME/mastodon-s3-sync/} (default
 * {@code ~/.local/state/mastodon-s3-sync/}): the copy's {@code JOB} names the database and both buckets, with a hash
 * of the whole copy identity (database, source and target store, key prefixes) so that two copies never share one;
 * the mirror's {@code mirror-QUEUE}; recover's {@code recover-subscriptions-DATABASE.csv}.</li>
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
        Path local = workDir.resolve("state").toAbsolutePath().normalize();
        if (holdsCheckpointsOf(local, CopyOptions.identity(p))) {
            return new Resolved(local, "this copy's checkpoints in state/ of the working directory; COPY_STATE_DIR "
                    + "chooses another");
        }
        return new Resolved(home(env).resolve(job(p)).normalize(),
                "this user's state directory for this copy; COPY_STATE_DIR chooses another");
    }

    /** The mirror's sequencer store: mirror.state-dir, else ./state/mirror when it exists, else one per queue. */
    static Resolved mirror(Map<String, String> env, Path workDir, String setting, String queueName) {
        if (setting != null && !setting.isBlank()) {
            return new Resolved(workDir.resolve(setting.strip()).toAbsolutePath().normalize(),
                    "mirror.state-dir / MIRROR_STATE_DIR");
        }
        Path local = workDir.resolve("state/mirror").toAbsolutePath().normalize();
        if (Files.isDirectory(local)) {
            return new Resolved(local, "the mirror's state/mirror in the working directory; MIRROR_STATE_DIR chooses "
                    + "another");
        }
        return new Resolved(home(env).resolve("mirror-" + safe(queueName)).normalize(),
                "this user's state directory for this queue; MIRROR_STATE_DIR chooses another");
    }

    /** recover-subscriptions' CSV report: recover.report-file, else one per database in this user's state. */
    static Resolved recoverReport(Map<String, String> env, Path workDir, Function<String, String> props) {
        Function<String, String> p = k -> props.apply(k) == null ? "" : props.apply(k).strip();
        String set = p.apply("recover.report-file");
        if (!set.isEmpty()) {
            return new Resolved(workDir.resolve(set).toAbsolutePath().normalize(),
                    "recover.report-file / RECOVER_REPORT_FILE");
        }
        return new Resolved(home(env).resolve("recover-subscriptions-" + safe(p.apply("db.name")) + ".csv").normalize(),
                "this user's state directory; RECOVER_REPORT_FILE chooses another");
    }

    /**
     * Jolokia's users file: management.jolokia-users-file when set, else ./state/jolokia-users.properties when an
     * earlier version made one there (its password stays), else one per user in this user's state directory, so that
     * a command started from another directory asks for the same password.
     */
    static Resolved jolokiaUsers(Map<String, String> env, Path workDir, String setting) {
        if (setting != null && !setting.isBlank()) {
            return new Resolved(workDir.resolve(setting.strip()).toAbsolutePath().normalize(),
                    "management.jolokia-users-file / MANAGEMENT_JOLOKIA_USERS_FILE");
        }
        Path local = workDir.resolve("state/jolokia-users.properties").toAbsolutePath().normalize();
        if (Files.isRegularFile(local)) {
            return new Resolved(local, "made by an earlier version in state/ of the working directory; "
                    + "MANAGEMENT_JOLOKIA_USERS_FILE chooses another");
        }
        return new Resolved(home(env).resolve("jolokia-users.properties").normalize(),
                "this user's state directory; MANAGEMENT_JOLOKIA_USERS_FILE chooses another");
    }

    /** $XDG_STATE_HOME/mastodon-s3-sync (default ~/.local/state/mastodon-s3-sync). */
    static Path home(Map<String, String> env) {
        return userStateHome(env).resolve("mastodon-s3-sync");
    }

    /** A checkpoint file in {@code dir} that names this copy (its second line, see CheckpointStore). */
    static boolean holdsCheckpointsOf(Path dir, String identity) {
        if (!Files.isDirectory(dir)) {
            return false;
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(f -> f.getFileName().toString().endsWith(".checkpoint")).anyMatch(f -> {
                try {
                    List<String> lines = Files.readAllLines(f, StandardCharsets.UTF_8);
                    return lines.size() > 1 && lines.get(1).strip().equals(identity);
                } catch (IOException | UncheckedIOException e) {
                    return false;
                }
            });
        } catch (IOException e) {
            return false;
        }
    }

    private static String safe(String name) {
        String s = (name == null || name.isBlank() ? "default" : name).replaceAll("[^A-Za-z0-9._-]+", "_");
        return s.length() > 80 ? s.substring(0, 80) : s;
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
