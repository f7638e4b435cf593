package mastodon.s3sync.copy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.OptionalLong;

/**
 * One file per table in the state directory holding the last id whose objects are all done. Written to a temporary
 * file and renamed over the old one, so a kill at any moment leaves either the old or the new checkpoint.
 */
public final class CheckpointStore {

    private final Path dir;
    private final String job;

    /** @param job "copy" or "verify": each keeps its own checkpoints */
    public CheckpointStore(Path dir, String job) {
        this.dir = dir;
        this.job = job;
    }

    public Path dir() {
        return dir;
    }

    public Path file(String table) {
        return dir.resolve(job + "-" + table + ".checkpoint");
    }

    public OptionalLong load(String table) {
        Path f = file(table);
        if (!Files.exists(f)) {
            return OptionalLong.empty();
        }
        try {
            String s = Files.readString(f, StandardCharsets.UTF_8).strip();
            return OptionalLong.of(Long.parseLong(s));
        } catch (IOException | NumberFormatException e) {
            throw new IllegalStateException("checkpoint file " + f + " is unreadable (" + e.getMessage()
                    + "). Fix: delete it, or rerun with --restart to start that table over.", e);
        }
    }

    public void save(String table, long lastId) {
        try {
            Files.createDirectories(dir);
            Path tmp = dir.resolve(job + "-" + table + ".checkpoint.tmp");
            Files.writeString(tmp, Long.toString(lastId) + "\n", StandardCharsets.UTF_8);
            Files.move(tmp, file(table), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write checkpoint in " + dir + ": " + e.getMessage(), e);
        }
    }

    public void clear(String table) {
        try {
            Files.deleteIfExists(file(table));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
