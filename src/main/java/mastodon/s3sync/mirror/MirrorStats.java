package mastodon.s3sync.mirror;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import org.slf4j.LoggerFactory;

/**
 * Counters of the mirror since start, with getters, so they can be registered as gauges (Micrometer or JMX) by name.
 * Counted per record, except {@code malformed} and {@code testEvents}, which count messages.
 */
public final class MirrorStats {

    private final AtomicLong created = new AtomicLong();
    private final AtomicLong removed = new AtomicLong();
    private final AtomicLong stale = new AtomicLong();
    private final AtomicLong gone = new AtomicLong();
    private final AtomicLong ignored = new AtomicLong();
    private final AtomicLong rejected = new AtomicLong();
    private final AtomicLong unmapped = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private final AtomicLong malformed = new AtomicLong();
    private final AtomicLong testEvents = new AtomicLong();
    private final AtomicLong resyncDownloaded = new AtomicLong();
    private final AtomicLong resyncDeleted = new AtomicLong();
    private final AtomicLong resyncFailed = new AtomicLong();

    /** Objects written (ObjectCreated:* applied). */
    public long getCreated() {
        return created.get();
    }

    /** Files deleted (ObjectRemoved:Delete / DeleteMarkerCreated applied). */
    public long getRemoved() {
        return removed.get();
    }

    /** Events skipped because a newer event of the same key was applied already (duplicates, out of order). */
    public long getStale() {
        return stale.get();
    }

    /** ObjectCreated events whose object no longer existed when fetched (deleted since). */
    public long getGone() {
        return gone.get();
    }

    /** Records with nothing to do: folder placeholders, other event types, records lacking fields. */
    public long getIgnored() {
        return ignored.get();
    }

    /** Records refused because their key would leave the mapped directory. */
    public long getRejected() {
        return rejected.get();
    }

    /** Records whose key matches no mapping. */
    public long getUnmapped() {
        return unmapped.get();
    }

    /** Record applications that failed (S3 or disk error): the message is left for redelivery. */
    public long getFailed() {
        return failed.get();
    }

    /** Messages that are not S3 notifications (acknowledged). */
    public long getMalformed() {
        return malformed.get();
    }

    /** s3:TestEvent messages (acknowledged). */
    public long getTestEvents() {
        return testEvents.get();
    }

    public long getResyncDownloaded() {
        return resyncDownloaded.get();
    }

    public long getResyncDeleted() {
        return resyncDeleted.get();
    }

    public long getResyncFailed() {
        return resyncFailed.get();
    }

    void created() {
        created.incrementAndGet();
    }

    void removed() {
        removed.incrementAndGet();
    }

    void stale() {
        stale.incrementAndGet();
    }

    void gone() {
        gone.incrementAndGet();
    }

    void ignored() {
        ignored.incrementAndGet();
    }

    void rejected() {
        rejected.incrementAndGet();
    }

    void unmapped() {
        unmapped.incrementAndGet();
    }

    void failed() {
        failed.incrementAndGet();
    }

    void malformed() {
        malformed.incrementAndGet();
    }

    void testEvent() {
        testEvents.incrementAndGet();
    }

    void resyncDownloaded() {
        resyncDownloaded.incrementAndGet();
    }

    void resyncDeleted() {
        resyncDeleted.incrementAndGet();
    }

    void resyncFailed() {
        resyncFailed.incrementAndGet();
    }

    /** All counters by name, in a stable order. */
    public Map<String, Long> asMap() {
        Map<String, Long> m = new LinkedHashMap<>();
        m.put("created", getCreated());
        m.put("removed", getRemoved());
        m.put("stale", getStale());
        m.put("gone", getGone());
        m.put("ignored", getIgnored());
        m.put("rejected", getRejected());
        m.put("unmapped", getUnmapped());
        m.put("failed", getFailed());
        m.put("malformed", getMalformed());
        m.put("test-events", getTestEvents());
        m.put("resync-downloaded", getResyncDownloaded());
        m.put("resync-deleted", getResyncDeleted());
        m.put("resync-failed", getResyncFailed());
        return m;
    }

    /** At the stop: one line with every counter. */
    public void logTotals() {
        LoggerFactory.getLogger("mastodon.s3sync.mirror").info("mirror: stopped; since the start: {}", this);
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder();
        asMap().forEach((k, v) -> sb.append(sb.isEmpty() ? "" : ", ").append(k).append('=').append(v));
        return sb.toString();
    }
}
