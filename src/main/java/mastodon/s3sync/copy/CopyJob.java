package mastodon.s3sync.copy;

import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One copy, verify or repair pass (bean {@code copyJob}): builds its parts, which the routes call by their own names
 * ({@link PageCursors} the paging cursors and checkpoints, {@link PagePlanner} a page's tasks, {@link CopyOutcomes}
 * what each object became, {@link VerifyJudge} verify's verdicts, {@link CopyProgress} the progress lines), and ends
 * the pass: checkpoints, report, summary and exit code.
 */
public final class CopyJob {

    private static final Logger LOG = LoggerFactory.getLogger("mastodon.s3sync.copy");

    private final CopyOptions options;
    private final Map<String, TableProgress> tables;
    private final Parts parts;
    private final PageCursors cursors;
    private final CopyOutcomes outcomes;
    private final CopySummary summary;
    private final CopyReport report;
    private final AtomicBoolean finished = new AtomicBoolean();
    private PrintStream out = System.out; // the summary; System.err for a dry run (see CopyBeans)
    private volatile String stoppedBecause;

    /** Without listings (a HEAD per object) nor a failure budget (nothing ends the pass early). */
    public CopyJob(CopyOptions options, MastodonKeys keys) {
        this(options, keys, null, null, new FailureBudget(Duration.ofDays(365), Map.of()));
    }

    /**
     * @param targetListing how the target's sizes are found per page (null: check every object with HEADs)
     * @param sourceListing the same for the source
     * @param budget        told of each request that succeeded, so an outage of a store or the database ends (see
     *                      the watchdog route)
     */
    public CopyJob(CopyOptions options, MastodonKeys keys, ObjectSizes targetListing, ObjectSizes sourceListing,
                   FailureBudget budget) {
        this.options = options;
        Map<String, TableProgress> selected = new LinkedHashMap<>();
        for (String t : MastodonKeys.tables()) {
            if (options.tables().contains(t)) {
                selected.put(t, new TableProgress(t));
            }
        }
        this.tables = Collections.unmodifiableMap(selected);
        CopyPass pass = new CopyPass(options, tables, new Problems(), Instant.now(), budget);
        this.cursors = new PageCursors(pass, new CheckpointStore(options.stateDir(), options.mode(),
                options.identity()));
        this.outcomes = new CopyOutcomes(pass);
        this.parts = new Parts(cursors, new PagePlanner(pass, keys, outcomes, targetListing, sourceListing), outcomes,
                new VerifyJudge(outcomes, budget), new CopyProgress(pass, outcomes, cursors));
        this.summary = new CopySummary(pass, outcomes);
        this.report = new CopyReport(pass, outcomes);
    }

    /** Where summaries go (stdout by default). */
    public void setOut(PrintStream out) {
        this.out = out;
    }

    public CopyOptions options() {
        return options;
    }

    /** The selected tables' progress, in Mastodon's table order. */
    public Map<String, TableProgress> tables() {
        return tables;
    }

    /**
     * The parts of the pass the routes call, each under its own bean name (see CopyBeans).
     *
     * @param cursors     pageCursors: where each table's pass is, the checkpoints
     * @param planner     pagePlanner: a page of rows into copy tasks, with the sizes the listings found
     * @param outcomes    copyOutcomes: what each object became
     * @param verifyJudge verifyJudge: verify's verdict on each object
     * @param progress    copyProgress: the progress lines and the live bar's figures
     */
    public record Parts(PageCursors cursors, PagePlanner planner, CopyOutcomes outcomes, VerifyJudge verifyJudge,
                        CopyProgress progress) {
    }

    public Parts parts() {
        return parts;
    }

    /** True when every selected table is scanned and no object is in flight (never in follow mode). */
    public boolean isComplete() {
        if (options.follow() || finished.get()) {
            return false;
        }
        return tables.values().stream().allMatch(TableProgress::isComplete);
    }

    /** Ends the pass: checkpoints, report file, summary table; returns the exit code (0 complete, 1 failures). */
    public int finish() {
        if (!finished.compareAndSet(false, true)) {
            return 1; // already ended by stop()
        }
        cursors.saveCheckpoints();
        reportAndSummary();
        return outcomes.failed() > 0 ? 1 : 0;
    }

    /**
     * Ends the pass early because a store or the database keeps failing: checkpoints (before every object not done),
     * report and summary as at a normal end; exit 1.
     */
    public int stop(String reason) {
        stoppedBecause = reason;
        LOG.error("Stopping: {}", reason);
        if (!finished.compareAndSet(false, true)) {
            // the pass had ended already (a planner waiting for its workers): the reason is all there is to say
            return 1;
        }
        cursors.saveCheckpoints();
        reportAndSummary();
        return 1;
    }

    /**
     * Camel stops (SIGTERM, Ctrl-C, or the end): the checkpoints once more; a pass that did not end by itself (run,
     * or a copy stopped midway) also gets its summary and report, saying it was stopped.
     */
    public void shutdown() {
        cursors.saveCheckpoints();
        if (tables.values().stream().noneMatch(TableProgress::isStarted)
                || !finished.compareAndSet(false, true)) {
            return;
        }
        stoppedBecause = options.follow() ? "run stopped (SIGTERM or Ctrl-C); the next run continues from the "
                + "checkpoints" : "stopped from outside (SIGTERM or Ctrl-C) before the end; rerun to continue";
        reportAndSummary();
    }

    private void reportAndSummary() {
        report.write(stoppedBecause);
        summary.print(out, stoppedBecause);
    }
}
