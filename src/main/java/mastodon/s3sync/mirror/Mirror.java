package mastodon.s3sync.mirror;

import java.io.IOException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The decisions of the mirror, called from routes/mirror.camel.yaml: what a queue message is, where each record goes,
 * whether it is newer than what was applied, and the bookkeeping once it is applied. The routes do the I/O (SQS,
 * S3 GET, the atomic file write); this bean deletes files, which the file component cannot do.
 */
public final class Mirror {

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

    public Mirror(PrefixMapping mapping, SequencerStore sequencers, MirrorStats stats, boolean leaveUnmapped,
                  long keyWaitMillis) {
        this.mapping = mapping;
        this.sequencers = sequencers;
        this.stats = stats;
        this.leaveUnmapped = leaveUnmapped;
        this.keyWaitMillis = keyWaitMillis;
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
        PrefixMapping.Resolution r = mapping.resolve(e.key());
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
                LOG.debug("mirror: ignored {}: {}", a.event().eventName() == null ? "record" : safe(a.event().describe()),
                        a.reason());
            }
        }
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
