package mastodon.s3sync.mirror;

import java.io.IOException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the mirror keeps in Java, called as steps of routes/mirror.camel.yaml: where a record goes (the prefix mapping,
 * the configured bucket, no symbolic link on the way), whether it is newer than what was applied (the sequencer
 * store, which also holds the key while it is applied), and the removal of a file, which the file component cannot
 * do. The route decides what an event is, logs each outcome and counts it.
 *
 * <p>Symbolic links inside a mapped directory are never followed: a key whose path goes through a link (to a
 * directory, outside or not) is refused, and whatever sits under the temporary name of a write is removed before
 * the write. The last part of the path is an entry of the directory: a write renames the new file over it and a
 * removal deletes it, a link included, never what it points to.
 */
public final class Mirror {

    /** The path of a write went through a symbolic link planted after the record was planned: tried again later. */
    public static final class UnsafePathException extends IOException {
        public UnsafePathException(String message) {
            super(message);
        }
    }

    /** A key that matches no mapping while mirror.unmapped=leave: the message stays in the queue. */
    public static final class UnmappedKeyException extends RuntimeException {
        public UnmappedKeyException(String key) {
            super("key '" + key + "' matches no mapping; left in the queue (mirror.unmapped=leave)");
        }
    }

    private static final Logger LOG = LoggerFactory.getLogger("mastodon.s3sync.mirror");

    private final PrefixMapping mapping;
    private final SequencerStore sequencers;
    private final long keyWaitMillis;
    private final String bucket;

    /** @param bucket the configured bucket: records of another one are refused; empty: any bucket */
    public Mirror(PrefixMapping mapping, SequencerStore sequencers, long keyWaitMillis, String bucket) {
        this.mapping = mapping;
        this.sequencers = sequencers;
        this.keyWaitMillis = keyWaitMillis;
        this.bucket = bucket == null ? "" : bucket;
    }

    public PrefixMapping mapping() {
        return mapping;
    }

    /**
     * Where a record goes (the route has decided from its event name that it writes or deletes): the configured bucket,
     * the longest matching prefix, and no symbolic link on the way. The route branches on the placement.
     */
    public MirrorAction place(S3Event e) {
        if (!bucket.isEmpty() && !bucket.equals(e.bucket())) {
            return MirrorAction.refused(MirrorAction.Placement.REJECTED, e, "bucket '" + safe(e.bucket())
                    + "' is not the configured bucket '" + bucket + "'");
        }
        PrefixMapping.Resolution r = mapping.resolve(e.key());
        if (r.mapped()) {
            String link = linkOnPath(r.entry().directory(), r.file());
            if (link != null) {
                return MirrorAction.refused(MirrorAction.Placement.REJECTED, e, link);
            }
        }
        return switch (r.status()) {
            case MAPPED -> new MirrorAction(MirrorAction.Placement.MAPPED, e, r.entry().directory(), r.relativePath(),
                    r.file(), null);
            case FOLDER -> MirrorAction.refused(MirrorAction.Placement.FOLDER, e, "folder placeholder");
            case UNMAPPED -> MirrorAction.refused(MirrorAction.Placement.UNMAPPED, e, r.reason());
            case REJECTED -> MirrorAction.refused(MirrorAction.Placement.REJECTED, e, r.reason());
        };
    }

    /** mirror.unmapped=leave: the record fails, so its message stays in the queue for another consumer. */
    public void leaveUnmapped(MirrorAction a) {
        throw new UnmappedKeyException(safe(a.key()));
    }

    /**
     * Just before a write (the key is held): the path must still go through no symbolic link, and nothing may sit
     * under the temporary name (a link there would be written through).
     */
    public void beforeWrite(MirrorAction a) throws IOException {
        String link = linkOnPath(a.directory(), a.file());
        if (link != null) {
            throw new UnsafePathException(link);
        }
        Files.deleteIfExists(temporaryFile(a.file()));
    }

    /** The name a write goes to before its rename (see mirror.camel.yaml). */
    static Path temporaryFile(Path file) {
        return file.resolveSibling("." + file.getFileName() + MirrorResync.TEMP_SUFFIX);
    }

    /**
     * @return why the path from {@code directory} to {@code file} is unsafe (a symbolic link among the directories
     *         below {@code directory}), or null
     */
    static String linkOnPath(Path directory, Path file) {
        Path rel = directory.relativize(file);
        Path p = directory;
        for (int i = 0; i < rel.getNameCount() - 1; i++) {
            p = p.resolve(rel.getName(i));
            if (Files.isSymbolicLink(p)) {
                return "'" + safe(directory.relativize(p).toString()) + "' is a symbolic link: not followed";
            }
            if (!Files.exists(p, LinkOption.NOFOLLOW_LINKS)) {
                return null;
            }
        }
        return null;
    }

    /**
     * At start, before the queue is read: removes the temporary files that writes interrupted by a kill or a crash
     * left ({@code .NAME.mirror-part}) in the mapped directories. Links are not followed.
     *
     * @return how many were removed
     */
    public static int removeTemporaryFiles(PrefixMapping mapping) throws IOException {
        int removed = 0;
        for (PrefixMapping.Entry e : mapping.entries()) {
            if (!Files.isDirectory(e.directory())) {
                continue;
            }
            List<Path> leftovers = new ArrayList<>();
            try (Stream<Path> s = Files.walk(e.directory())) {
                s.filter(p -> {
                    String n = p.getFileName().toString();
                    return n.startsWith(".") && n.endsWith(MirrorResync.TEMP_SUFFIX)
                            && !Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS);
                }).forEach(leftovers::add);
            }
            for (Path p : leftovers) {
                if (Files.deleteIfExists(p)) {
                    removed++;
                    LOG.info("mirror: removed {}, left by an interrupted write", safe(p.toString()));
                }
            }
        }
        return removed;
    }

    /** What {@link #claim(MirrorAction)} found: newer (the key is now held) or not, and the last applied sequencer. */
    public record Claim(boolean newer, String lastApplied) {
    }

    /**
     * Waits while another consumer applies an event to the same key, then tells whether this event is newer than the
     * last one applied; when it is, the key is held until {@link #release(MirrorAction)}.
     */
    public Claim claim(MirrorAction a) throws InterruptedException {
        boolean newer = sequencers.claim(a.key(), a.event().sequencer(), keyWaitMillis);
        return new Claim(newer, newer ? null : sequencers.last(a.key()));
    }

    public void release(MirrorAction a) {
        sequencers.release(a.key());
    }

    /** The object was written to its file, or its file deleted: later events of the key must be newer. */
    public void applied(MirrorAction a) {
        sequencers.applied(a.key(), a.event().sequencer());
    }

    /**
     * Applies a removal: deletes the file (absent is fine), then the directories it leaves empty.
     *
     * @return whether there was a file
     */
    public boolean delete(MirrorAction a) throws IOException {
        boolean existed = Files.deleteIfExists(a.file());
        pruneEmptyParents(a.file(), a.directory());
        return existed;
    }

    /** A failure for the log: its type and first line, no control characters. */
    public static String failure(Exception e) {
        return message(e);
    }

    /** Removes the empty directories between {@code file} and {@code root} (exclusive). */
    static void pruneEmptyParents(Path file, Path root) throws IOException {
        for (Path d = file.getParent(); d != null && d.startsWith(root) && !d.equals(root); d = d.getParent()) {
            try {
                Files.delete(d);
            } catch (DirectoryNotEmptyException | NoSuchFileException e) {
                return;
            }
        }
    }

    static String message(Throwable e) {
        String m = e.getMessage();
        return e.getClass().getSimpleName() + (m == null ? "" : ": " + safe(m.lines().findFirst().orElse("")));
    }

    /** Keys are data from outside: no control characters in log lines. */
    static String safe(String s) {
        return s == null ? "null" : s.replaceAll("\\p{Cntrl}", "?");
    }
}
