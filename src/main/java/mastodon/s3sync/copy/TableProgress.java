package mastodon.s3sync.copy;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * What one table's pass has planned and finished. The checkpoint (watermark) is the highest id such that every row
 * up to it has all its objects done; a row with a failed object stays pending, so a rerun goes back to it.
 */
public final class TableProgress {

    public final String table;
    public final LongAdder copied = new LongAdder();
    public final LongAdder skipped = new LongAdder();
    public final LongAdder missing = new LongAdder();
    public final LongAdder failed = new LongAdder();
    /** verify: of the failed, the objects the target lacks, and those it has with another size or Content-Type */
    public final LongAdder missingInTarget = new LongAdder();
    public final LongAdder different = new LongAdder();
    public final LongAdder bytes = new LongAdder();
    public final LongAdder planned = new LongAdder();
    /** Objects written with the Content-Type Mastodon's rules give, the source's being missing or generic. */
    public final LongAdder contentTypeRepaired = new LongAdder();
    /** Repair: objects whose Cache-Control, ACL were fixed (Content-Type fixes count in contentTypeRepaired). */
    public final LongAdder cacheControlRepaired = new LongAdder();
    public final LongAdder aclRepaired = new LongAdder();

    private final TreeMap<Long, Integer> pending = new TreeMap<>();
    private final TreeMap<Long, Boolean> failedRows = new TreeMap<>();
    private long startId;
    private long lastPlanned;
    private long rowsPlanned;
    private long rowsDone;
    private long total = -1;
    private boolean totalEstimated;
    private boolean scanned;
    private boolean hasMore = true;
    private boolean started;

    public TableProgress(String table) {
        this.table = table;
    }

    public synchronized void start(long afterId) {
        this.startId = afterId;
        this.lastPlanned = afterId;
        this.started = true;
    }

    public synchronized boolean isStarted() {
        return started;
    }

    public synchronized void total(long total, boolean estimated) {
        this.total = total;
        this.totalEstimated = estimated;
    }

    /** Registers a row and how many objects it has; a row with none is done at once. */
    public synchronized void rowPlanned(long id, int objects) {
        lastPlanned = Math.max(lastPlanned, id);
        rowsPlanned++;
        if (objects > 0) {
            pending.put(id, objects);
        } else {
            rowsDone++;
        }
        planned.add(objects);
    }

    public synchronized void objectDone(long id, boolean ok) {
        if (!ok) {
            failedRows.put(id, Boolean.TRUE);
        }
        Integer left = pending.get(id);
        if (left == null) {
            return;
        }
        if (left <= 1) {
            pending.remove(id);
            rowsDone++;
        } else {
            pending.put(id, left - 1);
        }
    }

    /** Keeps the watermark below this id for the rest of the pass. */
    public synchronized void failRow(long id) {
        failedRows.put(id, Boolean.TRUE);
    }

    /** The last id such that it and every id before it (in this pass) are fully done. */
    public synchronized long watermark() {
        long w = lastPlanned;
        if (!pending.isEmpty()) {
            w = Math.min(w, pending.firstKey() - 1);
        }
        if (!failedRows.isEmpty()) {
            w = Math.min(w, failedRows.firstKey() - 1);
        }
        return Math.max(w, startId);
    }

    /** The id this pass started after. */
    public synchronized long startedAfter() {
        return startId;
    }

    public synchronized long lastPlanned() {
        return lastPlanned;
    }

    public synchronized long rowsPlanned() {
        return rowsPlanned;
    }

    public synchronized long rowsDone() {
        return rowsDone;
    }

    public synchronized long total() {
        return total;
    }

    public synchronized boolean totalEstimated() {
        return totalEstimated;
    }

    public synchronized int inFlightRows() {
        return pending.size();
    }

    public synchronized void pageDone(boolean more) {
        hasMore = more;
    }

    public synchronized boolean hasMore() {
        return hasMore;
    }

    /** A follow-mode poll starts: look for new rows again. */
    public synchronized void rearm() {
        hasMore = true;
        scanned = false;
    }

    public synchronized void markScanned() {
        scanned = true;
    }

    public synchronized boolean isScanned() {
        return scanned;
    }

    public synchronized boolean isComplete() {
        return scanned && pending.isEmpty();
    }

    private long rateBytes;
    private long rateObjects;

    /** Bytes and objects per second since the previous call. */
    public synchronized double[] rateSinceLastCall(double seconds) {
        long b = bytes.sum();
        long o = copied.sum() + skipped.sum() + missing.sum() + failed.sum();
        double[] r = {(b - rateBytes) / seconds, (o - rateObjects) / seconds};
        rateBytes = b;
        rateObjects = o;
        return r;
    }

    /** The repair's counts per kind of fix (objects; one object may need several). */
    public Map<String, Long> repairCounters() {
        return Map.of("contentTypeFixed", contentTypeRepaired.sum(), "cacheControlFixed", cacheControlRepaired.sum(),
                "aclFixed", aclRepaired.sum());
    }

    public Map<String, Long> counters() {
        return Map.of("copied", copied.sum(), "skipped", skipped.sum(), "missing", missing.sum(), "failed", failed.sum(),
                "bytes", bytes.sum(), "contentTypeRepaired", contentTypeRepaired.sum());
    }
}
