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
 * The decisions of the mirror, called from routes/mirror.camel.yaml: what a queue message is, where each record goes,
 * whether it is newer than what was applied, and the bookkeeping once it is applied. The routes do the I/O (SQS,
 * S3 GET, the atomic file write); this bean deletes files, which the file component cannot do.
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
    private final MirrorStats stats;
    private final boolean leaveUnmapped;
    private final long keyWaitMillis;
    private final String bucket;

    /** @param bucket the configured bucket: records of another one are refused; empty: any bucket */
    public Mirror(PrefixMapping mapping, SequencerStore sequencers, MirrorStats stats, boolean leaveUnmapped,
                  long keyWaitMillis, String bucket) {
        this.mapping = mapping;
        this.sequencers = sequencers;
        this.stats = stats;
        this.leaveUnmapped = leaveUnmapped;
        this.keyWaitMillis = keyWaitMillis;
        this.bucket = bucket == null ? "" : bucket;
    }

    public MirrorStats stats() {
        return stats;
    }

    public PrefixMapping mapping() {
        return mapping;
    }

    /** The records to apply from one message; test events and unknown messages are counted, logged, and give none. */
    public List<S3Event> records(S3Notification n, String messageId) {
        switch (n.kind()) {
            case TEST -> {
                stats.testEvent();
                LOG.info("mirror: s3:TestEvent received (message {}); the bucket notification reaches the queue",
                        messageId);
                return List.of();
            }
            case UNKNOWN -> {
                stats.malformed();
                LOG.warn("mirror: message {} ignored and deleted: {}", messageId, n.reason());
                return List.of();
            }
            default -> {
                return n.records();
            }
        }
    }

    /** A body that is not JSON at all (the unmarshal failed). */
    public void malformed(String messageId) {
        stats.malformed();
        LOG.warn("mirror: message {} ignored and deleted: not JSON", messageId);
    }

    public MirrorAction plan(S3Event e) {
        if (e.problem() != null) {
            return new MirrorAction(MirrorAction.Type.IGNORE, e, null, null, null, e.problem());
        }
        boolean created = e.created();
        if (!created && !e.removed()) {
            return new MirrorAction(MirrorAction.Type.IGNORE, e, null, null, null, "event " + e.eventName()
                    + " is not mirrored");
        }
        if (!bucket.isEmpty() && !bucket.equals(e.bucket())) {
            return new MirrorAction(MirrorAction.Type.REJECT, e, null, null, null, "bucket '" + e.bucket()
                    + "' is not the configured bucket '" + bucket + "'");
        }
        PrefixMapping.Resolution r = mapping.resolve(e.key());
        if (r.mapped()) {
            String link = linkOnPath(r.entry().directory(), r.file());
            if (link != null) {
                return new MirrorAction(MirrorAction.Type.REJECT, e, null, null, null, link);
            }
        }
        return switch (r.status()) {
            case MAPPED -> new MirrorAction(created ? MirrorAction.Type.WRITE : MirrorAction.Type.DELETE, e,
                    r.entry().directory(), r.relativePath(), r.file(), null);
            case FOLDER -> new MirrorAction(MirrorAction.Type.IGNORE, e, null, null, null, "folder placeholder");
            case UNMAPPED -> new MirrorAction(MirrorAction.Type.UNMAPPED, e, null, null, null, r.reason());
            case REJECTED -> new MirrorAction(MirrorAction.Type.REJECT, e, null, null, null, r.reason());
        };
    }

    /** Records that lead to no file operation: counted and logged; an unmapped key may fail the message. */
    public void skip(MirrorAction a) {
        switch (a.type()) {
            case REJECT -> {
                stats.rejected();
                LOG.warn("mirror: REJECTED {}: {}; nothing written or deleted", safe(a.event().describe()), a.reason());
            }
            case UNMAPPED -> {
                stats.unmapped();
                if (leaveUnmapped) {
                    LOG.info("mirror: unmapped {}; left in the queue", safe(a.event().describe()));
                    throw new UnmappedKeyException(safe(a.key()));
                }
                LOG.debug("mirror: unmapped {}; acknowledged", safe(a.event().describe()));
            }
            default -> {
                stats.ignored();
                if (a.event().problem() != null) {
                    LOG.warn("mirror: ignored {}: {}", a.event().eventName() == null ? "a record"
                            : safe(a.event().describe()), a.reason());
                } else {
                    LOG.info("mirror: ignored {}: {}", safe(a.event().describe()), a.reason());
                }
            }
        }
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

    /**
     * Waits while another consumer applies an event to the same key, then tells whether this event is newer than the
     * last one applied; when it is, the key is held until {@link #release(MirrorAction)}.
     */
    public boolean claim(MirrorAction a) throws InterruptedException {
        boolean newer = sequencers.claim(a.key(), a.event().sequencer(), keyWaitMillis);
        if (!newer) {
            stats.stale();
            LOG.info("mirror: skipped {} (sequencer {}): not newer than the last applied ({})",
                    safe(a.event().describe()), a.event().sequencer(), sequencers.last(a.key()));
        }
        return newer;
    }

    public void release(MirrorAction a) {
        sequencers.release(a.key());
    }

    /** The object was written to its file. */
    public void written(MirrorAction a) {
        sequencers.applied(a.key(), a.event().sequencer());
        if ("Resync".equals(a.event().eventName())) {
            stats.resyncDownloaded();
        } else {
            stats.created();
        }
        LOG.info("mirror: wrote {} -> {}", safe(a.event().describe()), safe(a.file().toString()));
    }

    /** ObjectCreated whose object no longer exists: a later removal event will follow (or a resync cleans up). */
    public void gone(MirrorAction a) {
        stats.gone();
        LOG.info("mirror: {} no longer exists in the bucket; nothing written", safe(a.event().describe()));
    }

    /** Applies a removal: deletes the file (absent is fine), then the directories it leaves empty. */
    public void delete(MirrorAction a) throws IOException {
        boolean existed = Files.deleteIfExists(a.file());
        pruneEmptyParents(a.file(), a.directory());
        sequencers.applied(a.key(), a.event().sequencer());
        stats.removed();
        LOG.info("mirror: deleted {} -> {}{}", safe(a.event().describe()), safe(a.file().toString()),
                existed ? "" : " (was absent)");
    }

    /** A record failed: counted and logged; the exception goes on, so the message stays in the queue. */
    public void failed(MirrorAction a, Exception e) {
        stats.failed();
        String what = a == null ? "a record" : safe(a.event().describe());
        LOG.warn("mirror: FAILED {}: {}; the message stays in the queue for redelivery", what, message(e));
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
