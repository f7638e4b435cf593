package mastodon.s3sync.copy;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The paging cursors of one pass, one per selected table, and their checkpoints (the last id of each table such that
 * every row up to it is done), saved in the state directory. Called from the page-table routes (bean
 * {@code pageCursors}) and the copy-checkpoints route.
 */
public final class PageCursors {

    /** table -> its cursor, in Mastodon's table order */
    private final Map<String, PageCursor> cursors = new LinkedHashMap<>();
    private final CopyPass pass;
    private final CheckpointStore checkpoints;

    /** One cursor per table of the pass, each starting where {@link #startAfter} says. */
    PageCursors(CopyPass pass, CheckpointStore checkpoints) {
        this.pass = pass;
        this.checkpoints = checkpoints;
        pass.tables().values().forEach(t -> cursors.put(t.table, new PageCursor(t, pass.options(),
                startAfter(pass.options(), checkpoints, t.table))));
    }

    /**
     * The id a table's pass starts after: --from-id, else the first row (--restart, whose reset was written before
     * the job started; verify without --resume), else this copy's own checkpoint. Checkpoints of another copy (other
     * database, source or target) are not used (the command says so before it starts).
     */
    private static long startAfter(CopyOptions options, CheckpointStore checkpoints, String table) {
        if (options.fromId() > 0) {
            return options.fromId() - 1;
        }
        return options.resume() && !options.restart() ? checkpoints.load(table).lastId().orElse(0) : 0;
    }

    /** The table's cursor, or null for a table this pass leaves out (--only, or not in this database). */
    public PageCursor cursor(String table) {
        return cursors.get(table);
    }

    /** See {@link PageCursor#start}. */
    public void start(String table, Number afterId, Number total, boolean estimated) {
        of(table).start(afterId, total, estimated);
    }

    /** A look for rows starts: the table may have (new) rows again. */
    public void rearm(String table) {
        of(table).rearm();
    }

    /** The table is read to its end (for now, in follow mode). */
    public void scanned(String table) {
        of(table).scanned();
    }

    /** The looks every table has had at least (a pass over all tables ends with each look). */
    public int looks() {
        return cursors.values().stream().mapToInt(PageCursor::looks).min().orElse(0);
    }

    /** When the earliest of the tables' last looks started, or now before any look. */
    public Instant earliestLook() {
        return cursors.values().stream().map(PageCursor::lastLook).filter(Objects::nonNull)
                .min(Instant::compareTo).orElse(Instant.now());
    }

    /** Writes each started table's checkpoint (never in a dry run). */
    public synchronized void saveCheckpoints() {
        if (pass.options().dryRun()) {
            return;
        }
        for (TableProgress t : pass.tables().values()) {
            if (t.isStarted()) {
                checkpoints.save(t.table, t.watermark());
            }
        }
    }

    private PageCursor of(String table) {
        return cursors.get(pass.table(table).table);
    }
}
