package mastodon.s3sync.copy;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The progress of a pass as people see it (bean {@code copyProgress}): the line of each interval (copy-progress), the
 * figures of the live bar (copy-progress-bar), and in follow mode the line when a pass over the tables ends
 * (copy-pass-end).
 */
public final class CopyProgress {

    private final CopyPass pass;
    private final Map<String, TableProgress> tables;
    private final CopyOutcomes outcomes;
    private final PageCursors cursors;
    private volatile Instant lastProgressAt;
    private int looksReported;
    private int passes;
    private Map<String, Long> atLastPass = Map.of();

    CopyProgress(CopyPass pass, CopyOutcomes outcomes, PageCursors cursors) {
        this.pass = pass;
        this.tables = pass.tables();
        this.outcomes = outcomes;
        this.cursors = cursors;
        this.lastProgressAt = pass.started();
    }

    /**
     * The figures of one progress interval, summed over the tables.
     *
     * @param done          rows done
     * @param total         rows in all, or -1 while a table's count is unknown
     * @param estimated     the total comes from the planner's statistics (big tables)
     * @param counts        outcome name -> objects so far
     * @param bytesPerSec   since the last interval
     * @param objectsPerSec since the last interval
     * @param etaSeconds    seconds left at the mean rate since the start, or -1 when unknown (run follows new rows)
     * @param moving        the tables still working, with their share done ("media_attachments 42%")
     */
    public record Progress(long done, long total, boolean estimated, Map<String, Long> counts, double bytesPerSec,
                           double objectsPerSec, long etaSeconds, List<String> moving) {

        /** "1200/~5000 (24%)", or the rows done when the total is not known. */
        public String rows() {
            return total < 0 ? Long.toString(done) : String.format(Locale.ROOT, "%d/%s%d (%d%%)", done,
                    estimated ? "~" : "", total, total == 0 ? 100 : Math.min(100, done * 100 / total));
        }

        /** h:mm:ss, or "-". */
        public String eta() {
            return etaSeconds < 0 ? "-" : String.format(Locale.ROOT, "%d:%02d:%02d", etaSeconds / 3600,
                    (etaSeconds / 60) % 60, etaSeconds % 60);
        }

        /** "copied 12, skipped 3, failed 1": the outcomes, for a line or a bar. */
        public String outcomes() {
            return CopyProgress.counts(counts, Map.of());
        }
    }

    /** "copied 12, skipped 3": each count less its value in {@code before}. */
    static String counts(Map<String, Long> counts, Map<String, Long> before) {
        StringBuilder c = new StringBuilder();
        counts.forEach((o, n) -> c.append(c.isEmpty() ? "" : ", ").append(CopyOutcomes.words(o)).append(' ')
                .append(n - before.getOrDefault(o, 0L)));
        return c.toString();
    }

    /** The progress since the last call (rates are per interval: one caller, the progress route). */
    public Progress progress() {
        Instant now = Instant.now();
        double secs = Math.max(0.001, Duration.between(lastProgressAt, now).toMillis() / 1000.0);
        lastProgressAt = now;
        double elapsed = Math.max(0.001, Duration.between(pass.started(), now).toMillis() / 1000.0);
        double bytesPerSec = 0;
        double objectsPerSec = 0;
        long done = 0;
        long total = 0;
        boolean estimated = false;
        boolean totalKnown = true;
        Map<String, Long> counts = new LinkedHashMap<>();
        outcomes.names().forEach(o -> counts.put(o, 0L));
        List<String> moving = new ArrayList<>();
        for (TableProgress t : tables.values()) {
            double[] rate = t.rateSinceLastCall(secs);
            if (!t.isStarted()) {
                continue;
            }
            bytesPerSec += rate[0];
            objectsPerSec += rate[1];
            done += t.rowsDone();
            if (t.total() >= 0) {
                total += t.total();
                estimated |= t.totalEstimated();
            } else {
                totalKnown = false;
            }
            counts.replaceAll((o, n) -> n + CopyOutcomes.count(t, o));
            // moving: objects in flight, or rows known to be left (a table that only polls for new rows is not)
            if (!t.isComplete() && (t.rowsPlanned() > t.rowsDone() || t.total() > t.rowsDone())) {
                moving.add(t.table + (t.total() > 0 ? String.format(Locale.ROOT, " %d%%",
                        Math.min(100, t.rowsDone() * 100 / t.total())) : ""));
            }
        }
        long eta = -1;
        if (totalKnown && total > done && done > 0 && !pass.options().follow()) {
            eta = (long) ((total - done) / (done / elapsed));
        }
        return new Progress(done, totalKnown ? total : -1, estimated, counts, bytesPerSec, objectsPerSec, eta,
                moving);
    }

    /**
     * The progress line of one interval: the totals of every table, then only the tables still moving (with their
     * share done). Nothing while no table is working (run between two looks for new rows): the pass-end line says
     * when the next look is.
     */
    public List<String> progressLines() {
        Progress p = progress();
        if (p.moving().isEmpty()) {
            return List.of();
        }
        return List.of(String.format(Locale.ROOT, "rows %s | %s | %.1f MB/s, %.1f objects/s | ETA %s | working: %s",
                p.rows(), p.outcomes(), p.bytesPerSec() / 1e6, p.objectsPerSec(), p.eta(),
                String.join(", ", p.moving())));
    }

    /**
     * run: once per pass, when every selected table has been read to its end and no object is in flight, the line
     * that says so, what this pass did and when the next look for new rows is due; null otherwise.
     */
    public synchronized String passEnded(long pollIntervalMs) {
        // a pass: every table looked once more (each look rearms its cursor) and is read to its end
        int pass = cursors.looks();
        boolean allDone = tables.values().stream().allMatch(t -> t.isStarted() && t.isComplete());
        if (!allDone || pass <= looksReported) {
            return null;
        }
        looksReported = pass;
        passes++;
        Map<String, Long> now = outcomes.totals();
        String did = counts(now, atLastPass);
        atLastPass = now;
        Instant next = cursors.earliestLook().plusMillis(pollIntervalMs);
        if (next.isBefore(Instant.now())) {
            next = Instant.now();
        }
        return String.format(Locale.ROOT, "Pass %d done: %s | next look for new rows at %s (every %s)", passes, did,
                LocalTime.ofInstant(next, ZoneId.systemDefault()).withNano(0),
                pollIntervalMs % 1000 == 0 ? pollIntervalMs / 1000 + " s" : pollIntervalMs + " ms");
    }
}
