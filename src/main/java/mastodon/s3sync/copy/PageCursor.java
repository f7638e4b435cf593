package mastodon.s3sync.copy;

import java.time.Instant;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where one table's pass is: the id it starts after, how far it has planned, whether rows are left and how many to
 * ask for next. The page-table route keeps it in the exchange property {@code cursor} and reads its values.
 */
public final class PageCursor {

    private static final Logger LOG = LoggerFactory.getLogger("mastodon.s3sync.copy");

    private final TableProgress progress;
    private final CopyOptions options;
    private final long startAfter;
    private volatile Instant lastLook;
    private volatile int looks;

    /** @param startAfter the id this table's pass starts after, before --offset is applied */
    PageCursor(TableProgress progress, CopyOptions options, long startAfter) {
        this.progress = progress;
        this.options = options;
        this.startAfter = startAfter;
    }

    public String table() {
        return progress.table;
    }

    /** True once {@link #start} fixed where the pass starts. */
    public boolean started() {
        return progress.isStarted();
    }

    /** The id this pass starts after: --from-id, this copy's checkpoint, or 0 (see {@link PageCursors}). */
    public long startAfter() {
        return startAfter;
    }

    /** The rows --offset skips after {@link #startAfter()}. */
    public long offset() {
        return options.offset();
    }

    /** True while the table may have rows left and --limit is not reached. */
    public boolean hasMore() {
        return progress.hasMore() && (options.limit() == 0 || progress.rowsPlanned() < options.limit());
    }

    /** The id the next page starts after. */
    public long lastPlanned() {
        return progress.lastPlanned();
    }

    /** The rows to ask for next: copy.page-size, fewer when --limit is near. */
    public int pageSize() {
        if (options.limit() == 0) {
            return options.pageSize();
        }
        long left = options.limit() - progress.rowsPlanned();
        return (int) Math.max(0, Math.min(options.pageSize(), left));
    }

    /**
     * Fixes the start of the pass (after --offset was applied) and the row count for progress.
     *
     * @param afterId   the id the pass starts after
     * @param total     the rows after it (null: unknown)
     * @param estimated true when the total comes from the planner's statistics
     */
    void start(Number afterId, Number total, boolean estimated) {
        long after = afterId == null ? 0 : afterId.longValue();
        progress.start(after);
        long n = total == null ? -1 : total.longValue();
        if (options.limit() > 0 && n > options.limit()) {
            n = options.limit();
            estimated = false;
        }
        progress.total(n, estimated);
        if (after > 0) {
            LOG.info("{}: starting after id {} ({})", table(), after, options.fromId() > 0 ? "--from-id"
                    : options.offset() > 0 ? "--offset" : "this copy's checkpoint");
        }
    }

    /** A look for rows starts (each timer tick; in follow mode each poll looks for new rows again). */
    void rearm() {
        lastLook = Instant.now();
        looks++;
        progress.rearm();
    }

    void scanned() {
        progress.markScanned();
    }

    /** How many looks for rows this table has had. */
    int looks() {
        return looks;
    }

    /** When the last look started, null before the first. */
    Instant lastLook() {
        return lastLook;
    }
}
