package mastodon.s3sync.copy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.OptionalLong;

import mastodon.s3sync.store.LocalStore;

/**
 * One file per job and table in the state directory: the last id whose objects are all done (first line), and the
 * copy it belongs to (second line: database, source store, target store; never a secret). A checkpoint of another
 * copy is not used: pointing the same state directory at a new, empty target must not skip what that target lacks.
 *
 * <p>Written to a temporary file, flushed to disk, renamed over the old one and the directory flushed, so a kill (or a
 * power cut) at any moment leaves either the old or the new checkpoint.
 *
 * @param dir      the state directory
 * @param job      "copy" or "verify": each keeps its own checkpoints
 * @param identity which copy this is (see {@link CopyOptions#identity()})
 */
public record CheckpointStore(Path dir, String job, String identity) {

    /** What the checkpoint file of a table says for this copy. */
    public record Loaded(OptionalLong lastId, String otherCopy) {
        /** A checkpoint written for another copy (or by a version that did not record its copy): not used. */
        public boolean foreign() {
            return otherCopy != null;
        }
    }

    public Path file(String table) {
        return dir.resolve(job + "-" + table + ".checkpoint");
    }

    public Loaded load(String table) {
        Path f = file(table);
        if (!Files.exists(f)) {
            return new Loaded(OptionalLong.empty(), null);
        }
        List<String> lines;
        long id;
        try {
            lines = Files.readAllLines(f, StandardCharsets.UTF_8);
            id = Long.parseLong(lines.isEmpty() ? "" : lines.get(0).strip());
        } catch (IOException | NumberFormatException e) {
            throw new IllegalStateException("checkpoint file " + f + " is unreadable (" + e.getMessage()
                    + "). Fix: delete it, or rerun with --restart to start that table over.", e);
        }
        String owner = lines.size() > 1 ? lines.get(1).strip() : "";
        if (!owner.equals(identity)) {
            return new Loaded(OptionalLong.empty(), owner.isEmpty() ? "a copy not recorded in the file" : owner);
        }
        return new Loaded(OptionalLong.of(id), null);
    }

    /** The first of these tables' checkpoints that belongs to another copy: its owner, or null. */
    public String otherCopy(Iterable<String> tables) {
        for (String t : tables) {
            Loaded l = load(t);
            if (l.foreign()) {
                return l.otherCopy();
            }
        }
        return null;
    }

    public void save(String table, long lastId) {
        write(table, lastId);
    }

    /** --restart: the table starts over, durably, before anything of the new pass moves. */
    public void reset(String table) {
        write(table, 0);
    }

    private void write(String table, long lastId) {
        try {
            Files.createDirectories(dir);
            Path tmp = dir.resolve(job + "-" + table + ".checkpoint.tmp");
            byte[] content = (lastId + "\n" + identity + "\n").getBytes(StandardCharsets.UTF_8);
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING)) {
                ByteBuffer buf = ByteBuffer.wrap(content);
                while (buf.hasRemaining()) {
                    ch.write(buf);
                }
                ch.force(true);
            }
            Files.move(tmp, file(table), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            LocalStore.syncDirectory(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write checkpoint in " + dir + ": " + e.getMessage(), e);
        }
    }
}
