package mastodon.s3sync.copy;

import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import mastodon.s3sync.copy.Problems.Kind;
import mastodon.s3sync.copy.Problems.Problem;
import software.amazon.awssdk.services.s3.model.ObjectCannedACL;

/**
 * What each object of a pass became, counted per table (bean {@code copyOutcomes}, called by the per-object routes
 * and their error handlers), with one name per outcome, the same in the progress lines, the summary, the report and
 * the metrics. Each call tells the failure budget which party answered and marks the object done for its row.
 */
public final class CopyOutcomes {

    private static final Logger LOG = LoggerFactory.getLogger("mastodon.s3sync.copy");

    private final CopyPass pass;
    private final CopyOptions options;
    private final Problems problems;
    private final FailureBudget budget;

    CopyOutcomes(CopyPass pass) {
        this.pass = pass;
        this.options = pass.options();
        this.problems = pass.problems();
        this.budget = pass.budget();
    }

    /**
     * The object was written to the target.
     *
     * @param bytes               its length (CamelAwsS3ContentLength)
     * @param contentTypeRepaired true when it was written with the type Mastodon's rules give, the source's being
     *                            missing or generic
     */
    public void copied(CopyTask task, Long bytes, boolean contentTypeRepaired) {
        budget.success("source");
        budget.success("target");
        TableProgress t = pass.table(task.table());
        t.copied.increment();
        t.bytes.add(bytes == null ? 0 : bytes);
        if (contentTypeRepaired) {
            t.contentTypeRepaired.increment();
        }
        t.objectDone(task.rowId(), true);
    }

    /** The target has the object already. */
    public void skipped(CopyTask task) {
        budget.success("target");
        TableProgress t = pass.table(task.table());
        done(t, task, t.skipped);
    }

    public void missing(CopyTask task) {
        budget.success("source");
        TableProgress t = pass.table(task.table());
        t.missing.increment();
        problems.add(Kind.MISSING_AT_SOURCE, new Problem(task.table(), task.rowId(), task.sourceKey(),
                "missing at source"));
        LOG.info("{} id {}: {} is missing at the source; reported, not copied", task.table(), task.rowId(),
                task.sourceKey());
        t.objectDone(task.rowId(), true);
    }

    public void failed(CopyTask task, Throwable error) {
        TableProgress t = pass.table(task.table());
        t.failed.increment();
        String why = RetryPolicy.describe(error);
        String key = options.repair() ? task.sourceKey() : task.targetKey(); // repair works on the source's objects
        problems.add(Kind.FAILED, new Problem(task.table(), task.rowId(), key, why));
        // while the job stops because a party is down, the objects it cuts short are left for the rerun (DEBUG)
        boolean stopping = budget.exhausted() != null;
        (stopping ? LOG.atDebug() : LOG.atWarn()).log("{} id {}: {} {}: {}", task.table(), task.rowId(), key,
                stopping ? "not done, the job is stopping" : "failed", why);
        t.objectDone(task.rowId(), false);
    }

    /** A row Mastodon's key rules refuse (a hostile file name): one failed object, reported. */
    void rowRefused(String table, long id, String why) {
        TableProgress t = pass.table(table);
        t.rowPlanned(id, 1);
        t.failed.increment();
        problems.add(Kind.FAILED, new Problem(table, id, null, "row refused: " + why));
        LOG.warn("{} id {}: row refused: {}", table, id, why);
        t.objectDone(id, false);
    }

    /** The table's pages cannot be read (after retries): its pass ends here, as a failure. */
    public void tableFailed(String table, Throwable error) {
        TableProgress t = pass.table(table);
        t.failed.increment();
        String why = error == null ? "unknown error" : error.getClass().getSimpleName() + ": " + error.getMessage();
        problems.add(Kind.FAILED, new Problem(table, t.lastPlanned(), null, "reading the table failed: " + why));
        LOG.error("{}: reading the table failed, its pass stops at id {}: {}", table, t.lastPlanned(), why);
        t.failRow(t.lastPlanned() + 1);
        t.pageDone(false);
        t.markScanned();
    }

    /**
     * verify's outcome of one object: ok (counted with its bytes), or missing in the target / different there.
     *
     * @param problem null when the target's object is right, else what is wrong with it
     */
    void verdict(CopyTask task, String problem, boolean absentInTarget, long bytes) {
        TableProgress t = pass.table(task.table());
        if (problem == null) {
            t.bytes.add(bytes);
            done(t, task, t.copied);
            return;
        }
        t.failed.increment();
        (absentInTarget ? t.missingInTarget : t.different).increment();
        problems.add(absentInTarget ? Kind.MISSING_IN_TARGET : Kind.DIFFERENT,
                new Problem(task.table(), task.rowId(), task.targetKey(), problem));
        LOG.warn("{} id {}: {}: {}", task.table(), task.rowId(), task.targetKey(), problem);
        t.objectDone(task.rowId(), false);
    }

    /**
     * Dry run: counts a page's keys as listed and returns the lines printed for them, one per key, without a final
     * line break (empty for a page without objects).
     */
    public String listedPage(List<CopyTask> tasks) {
        StringBuilder lines = new StringBuilder(tasks.size() * 160);
        for (CopyTask task : tasks) {
            if (!lines.isEmpty()) {
                lines.append('\n');
            }
            TableProgress t = pass.table(task.table());
            done(t, task, t.copied);
            describe(lines, task);
        }
        return lines.toString();
    }

    /** copy --plan-to: the tasks of a batch the work queue accepted are done (counted "enqueued"). */
    public void enqueued(List<CopyTask> tasks) {
        tasks.forEach(task -> done(pass.table(task.table()), task, pass.table(task.table()).copied));
    }

    /** Appends the line the dry run prints for one key (the ACL as S3 names it: PUBLIC_READ is public-read). */
    private static void describe(StringBuilder line, CopyTask task) {
        String acl = task.cannedAcl();
        line.append(task.sourceKey()).append(" -> ").append(task.targetKey()).append("  [").append(task.contentType())
                .append(", acl ").append(acl == null ? "none" : ObjectCannedACL.valueOf(acl).toString()).append(']');
    }

    /** Repair: the object already has Mastodon's headers and ACL. */
    public void unchanged(CopyTask task) {
        budget.success("source");
        TableProgress t = pass.table(task.table());
        done(t, task, t.skipped);
    }

    /**
     * Repair: the object was fixed in place (or, in a dry run, would be), counted per kind of fix.
     *
     * @param bytes the object's size when a CopyObject rewrote it server-side, else null
     * @return the line the dry run prints for it
     */
    public String repaired(CopyTask task, ObjectRepair.Fixes fixes, Long bytes) {
        budget.success("source");
        TableProgress t = pass.table(task.table());
        if (fixes.contentType() != null) {
            t.contentTypeRepaired.increment();
        }
        if (fixes.cacheControl()) {
            t.cacheControlRepaired.increment();
        }
        if (fixes.acl() != null) {
            t.aclRepaired.increment();
        }
        if (bytes != null && fixes.metadata() && !options.dryRun()) {
            t.bytes.add(bytes);
        }
        String line = task.sourceKey() + ": " + fixes.describe();
        LOG.debug("{} id {}: {}{}", task.table(), task.rowId(), options.dryRun() ? "would repair " : "repaired ", line);
        done(t, task, t.copied);
        return line;
    }

    /** Counts the object under {@code outcome} and marks it done, as a success, for its row's checkpoint. */
    private static void done(TableProgress t, CopyTask task, LongAdder outcome) {
        outcome.increment();
        t.objectDone(task.rowId(), true);
    }

    /**
     * The outcomes of this pass. copy: copied, skipped (the target has it already), missing_at_source, failed;
     * verify: ok, missing_at_source, missing_in_target, different (size or Content-Type), failed (rows that could
     * not be read); dry run: listed, failed; repair (and its dry run): repaired, unchanged, missing_at_source,
     * failed.
     */
    public List<String> names() {
        if (options.repair()) {
            // a dry run counts what it would repair
            return List.of("repaired", "unchanged", "missing_at_source", "failed");
        }
        if (options.dryRun()) {
            return List.of("listed", "failed");
        }
        if (options.mode().equals("plan")) {
            return List.of("enqueued", "failed"); // copy --plan-to: sent to the work queue
        }
        if (options.verify()) {
            return List.of("ok", "missing_at_source", "missing_in_target", "different", "failed");
        }
        return List.of("copied", "skipped", "missing_at_source", "failed");
    }

    /** How many objects of {@code t} ended with {@code outcome} (a name of {@link #names()}). */
    public static long count(TableProgress t, String outcome) {
        return switch (outcome) {
            case "copied", "ok", "listed", "repaired", "enqueued" -> t.copied.sum();
            case "skipped", "unchanged" -> t.skipped.sum();
            case "missing_at_source" -> t.missing.sum();
            case "missing_in_target" -> t.missingInTarget.sum();
            case "different" -> t.different.sum();
            // verify's missing and different objects are failures of the pass too, named apart
            case "failed" -> t.failed.sum() - t.missingInTarget.sum() - t.different.sum();
            default -> throw new IllegalArgumentException("no outcome " + outcome);
        };
    }

    /** Each outcome of {@link #names()} summed over the tables. */
    public Map<String, Long> totals() {
        Map<String, Long> sums = new java.util.LinkedHashMap<>();
        names().forEach(o -> sums.put(o, pass.tables().values().stream().mapToLong(t -> count(t, o)).sum()));
        return sums;
    }

    /** "missing_at_source" -> "missing at source", for the lines people read. */
    public static String words(String outcome) {
        return outcome.replace('_', ' ');
    }

    /** Objects that failed in all (verify: missing in the target and different included). */
    public long failed() {
        return pass.tables().values().stream().mapToLong(t -> t.failed.sum()).sum();
    }
}
