package mastodon.s3sync.copy;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.ObjectCannedACL;

/**
 * The state of one copy or verify pass, called from the copy routes: where each table starts, what each page
 * plans, what each object became, the checkpoints, the progress lines, the report and the exit code.
 */
public final class CopyJob {

    private static final Logger LOG = LoggerFactory.getLogger("mastodon.s3sync.copy");
    private static final int MAX_REPORTED = 100_000;

    /** A key that did not make it, for the report. */
    public record Problem(String table, long id, String key, String reason) {
    }

    private final CopyOptions options;
    private final MastodonKeys keys;
    private final CheckpointStore checkpoints;
    private final Map<String, TableProgress> tables = new LinkedHashMap<>();
    private final List<Problem> missing = Collections.synchronizedList(new ArrayList<>());
    private final List<Problem> failed = Collections.synchronizedList(new ArrayList<>());
    /** verify: expected objects the target lacks, and those it holds with another size or Content-Type */
    private final List<Problem> missingInTarget = Collections.synchronizedList(new ArrayList<>());
    private final List<Problem> different = Collections.synchronizedList(new ArrayList<>());
    private final String cannedAcl;
    private final String storageClass;
    private final Instant started = Instant.now();
    private final java.util.concurrent.atomic.AtomicBoolean finished = new java.util.concurrent.atomic.AtomicBoolean();
    private PrintStream out = System.out; // the summary; System.err for a dry run (see Beans)
    private volatile Instant lastProgressAt = started;

    private final Map<String, Long> startAfter;
    private FailureBudget budget = new FailureBudget(java.time.Duration.ofDays(365), Map.of());
    private volatile String stoppedBecause;
    private final ObjectSizes targetListing;
    private final ObjectSizes sourceListing;

    public CopyJob(CopyOptions options, MastodonKeys keys) {
        this(options, keys, null, null);
    }

    /** With listings of the target and the source per page (null: check every object with HEADs). */
    public CopyJob(CopyOptions options, MastodonKeys keys, ObjectSizes targetListing, ObjectSizes sourceListing) {
        this.targetListing = targetListing;
        this.sourceListing = sourceListing;
        this.options = options;
        this.keys = keys;
        this.checkpoints = new CheckpointStore(options.stateDir(), options.mode(), options.identity());
        for (String t : MastodonKeys.tables()) {
            if (options.tables().contains(t)) {
                tables.put(t, new TableProgress(t));
            }
        }
        this.cannedAcl = cannedAclName(options.targetPermission());
        this.storageClass = options.storageClass() == null || options.storageClass().isBlank() ? null
                : options.storageClass().strip();
        this.startAfter = startPoints();
    }

    /**
     * Where each table's pass starts: after --from-id, else at the first row (--restart, whose reset was written
     * before the job started; verify without --resume), else after this copy's own checkpoint. Checkpoints of
     * another copy (other database, source or target) are not used (the command says so before it starts).
     */
    private Map<String, Long> startPoints() {
        Map<String, Long> start = new LinkedHashMap<>();
        for (String table : tables.keySet()) {
            long after = 0;
            if (options.fromId() > 0) {
                after = options.fromId() - 1;
            } else if (options.resume() && !options.restart()) {
                after = checkpoints.load(table).lastId().orElse(0);
            }
            start.put(table, after);
        }
        return start;
    }

    /** Told of each request that succeeded, so an outage of a store or the database ends (see the watchdog route). */
    public void setFailureBudget(FailureBudget budget) {
        this.budget = budget;
    }

    /** Where summaries and dry-run keys go (stdout by default). */
    public void setOut(PrintStream out) {
        this.out = out;
    }

    public CopyOptions options() {
        return options;
    }

    public Map<String, TableProgress> tables() {
        return tables;
    }

    // ---- planning (page routes) ----

    public boolean isSelected(String table) {
        return tables.containsKey(table);
    }

    public boolean needsStart(String table) {
        TableProgress t = tables.get(table);
        return t != null && !t.isStarted();
    }

    /** The id this pass starts after (see {@link #startPoints()}). */
    public long startAfter(String table) {
        return startAfter.getOrDefault(table, 0L);
    }

    public long offset() {
        return options.offset();
    }

    /** Fixes the start of the table's pass (after --offset was applied) and its row count for progress. */
    public void start(String table, Number afterId, Number total, boolean estimated) {
        TableProgress t = progress(table);
        long after = afterId == null ? 0 : afterId.longValue();
        t.start(after);
        long n = total == null ? -1 : total.longValue();
        if (options.limit() > 0 && n > options.limit()) {
            n = options.limit();
            estimated = false;
        }
        t.total(n, estimated);
        if (after > 0) {
            LOG.info("{}: starting after id {} ({})", table, after, options.fromId() > 0 ? "--from-id"
                    : options.offset() > 0 ? "--offset" : "this copy's checkpoint");
        }
    }

    public boolean hasMore(String table) {
        TableProgress t = tables.get(table);
        return t != null && t.hasMore() && (options.limit() == 0 || t.rowsPlanned() < options.limit());
    }

    public long lastPlanned(String table) {
        return progress(table).lastPlanned();
    }

    public int pageSize(String table) {
        if (options.limit() == 0) {
            return options.pageSize();
        }
        long left = options.limit() - progress(table).rowsPlanned();
        return (int) Math.max(0, Math.min(options.pageSize(), left));
    }

    /**
     * Turns a page of rows into copy tasks, registering each row with its object count. Each task carries what its
     * transfer needs (both keys under their prefixes, the ACL, the storage class), so the per-object routes compute
     * nothing. A page shorter than asked means the table has no more rows for now.
     */
    public List<CopyTask> planPage(String table, int asked, List<Map<String, Object>> rows) {
        budget.success("database");
        TableProgress t = progress(table);
        List<CopyTask> tasks = new ArrayList<>();
        for (Map<String, Object> row : rows) {
            long id = ((Number) row.get("id")).longValue();
            List<CopyTask> rowTasks;
            try {
                rowTasks = keys.objectsFor(table, row);
            } catch (IllegalArgumentException e) {
                t.rowPlanned(id, 1);
                t.failed.increment();
                report(failed, new Problem(table, id, null, "row refused: " + e.getMessage()));
                LOG.warn("{} id {}: row refused: {}", table, id, e.getMessage());
                t.objectDone(id, false);
                continue;
            }
            t.rowPlanned(id, rowTasks.size());
            for (CopyTask task : rowTasks) {
                tasks.add(task.planned(options.sourcePrefix(), options.targetPrefix(), cannedAcl, storageClass));
            }
        }
        t.pageDone(asked > 0 && rows.size() >= asked);
        return tasks;
    }

    /** The table's pages cannot be read (after retries): its pass ends here, as a failure. */
    public void tableFailed(String table, Throwable error) {
        TableProgress t = progress(table);
        t.failed.increment();
        String why = error == null ? "unknown error" : error.getClass().getSimpleName() + ": " + error.getMessage();
        report(failed, new Problem(table, t.lastPlanned(), null, "reading the table failed: " + why));
        LOG.error("{}: reading the table failed, its pass stops at id {}: {}", table, t.lastPlanned(), why);
        t.failRow(t.lastPlanned() + 1);
        t.pageDone(false);
        t.scanned();
    }

    /**
     * Lists the page's key ranges in both stores (one request per thousand keys each) and returns the tasks with the
     * sizes found: an object the target lacks needs no HEAD there, and one it has with the source's size needs none
     * at all. Nothing is listed in a dry run, with --force, or when {@code copy.list-target} is false (sizes stay null:
     * not listed).
     */
    public List<CopyTask> listPage(List<CopyTask> tasks) {
        if (options.dryRun() || options.force() || tasks.isEmpty()
                || targetListing == null && sourceListing == null) {
            return tasks;
        }
        // a store that is not listed (copy.list-target=false) may hold anything: each object gets a HEAD there
        Map<String, Long> target = targetListing == null ? Map.of() : targetListing.sizes(tasks);
        if (targetListing != null) {
            budget.success("listing");
        }
        boolean targetHasSome = targetListing == null || target.size() < tasks.size()
                || target.values().stream().anyMatch(size -> size != StoreListing.ABSENT);
        // the source's sizes only matter for objects the target has (a fresh copy GETs the rest anyway)
        // (verify needs them for every object: one it finds absent in both is missing at the source, not a failure)
        Map<String, Long> source = (targetHasSome || options.verify()) && sourceListing != null
                ? sourceListing.sizes(tasks) : Map.of();
        List<CopyTask> listed = new ArrayList<>(tasks.size());
        for (CopyTask task : tasks) {
            listed.add(task.listed(source.get(task.sourceKey()), target.get(task.targetKey())));
        }
        return listed;
    }

    public void scanned(String table) {
        progress(table).scanned();
    }

    /** Follow mode: look for new rows at the next poll. */
    public void rearm(String table) {
        lastLook.put(table, Instant.now());
        looks.merge(table, 1, Integer::sum);
        progress(table).rearm();
    }

    // ---- per object: outcomes (copy-object, verify-object and repair-object routes) ----

    /** The canned ACL enum name for the PUT, or null to send none (empty permission, as Cloudflare R2 needs). */
    public String cannedAcl(CopyTask task) {
        if (cannedAcl == null) {
            return null;
        }
        return task.privateAcl() ? ObjectCannedACL.PRIVATE.name() : cannedAcl;
    }

    /**
     * The Content-Type the target must have: the source object's own when it is specific, else the one Mastodon's
     * rules give (the routes HEAD the source whenever the target's type is not that one).
     *
     * @param sourceType the source's type from its HEAD, null when it was not HEADed
     */
    static String expectedContentType(CopyTask task, String sourceType) {
        return sourceType != null && !MastodonKeys.isGenericContentType(sourceType) ? sourceType : task.contentType();
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
        TableProgress t = progress(task.table());
        t.copied.increment();
        if (bytes != null) {
            t.bytes.add(bytes);
        }
        if (contentTypeRepaired) {
            t.contentTypeRepaired.increment();
        }
        t.objectDone(task.rowId(), true);
    }

    public void skipped(CopyTask task) {
        budget.success("target");
        TableProgress t = progress(task.table());
        t.skipped.increment();
        t.objectDone(task.rowId(), true);
    }

    public void missing(CopyTask task) {
        budget.success("source");
        TableProgress t = progress(task.table());
        t.missing.increment();
        report(missing, new Problem(task.table(), task.rowId(), task.sourceKey(), "missing at source"));
        LOG.info("{} id {}: {} is missing at the source; reported, not copied", task.table(), task.rowId(),
                task.sourceKey());
        t.objectDone(task.rowId(), true);
    }

    public void failed(CopyTask task, Throwable error) {
        TableProgress t = progress(task.table());
        t.failed.increment();
        String why = RetryPolicy.describe(error);
        String key = options.repair() ? task.sourceKey() : task.targetKey(); // repair works on the source's objects
        report(failed, new Problem(task.table(), task.rowId(), key, why));
        LOG.warn("{} id {}: {} failed: {}", task.table(), task.rowId(), key, why);
        t.objectDone(task.rowId(), false);
    }

    /**
     * Verify mode: judges one expected key.
     *
     * @param target     the target's HEAD, null when it lacks the key
     * @param sourceSize the source's size (listed or HEADed), {@link CopyTask#ABSENT} or null when it lacks the key
     * @param sourceType the source's Content-Type when it was HEADed, else null
     */
    public void verify(CopyTask task, HeadObjectResponse target, Long sourceSize, String sourceType) {
        budget.success("target");
        HeadObjectResponse th = target;
        if (sourceSize != null && sourceSize == CopyTask.ABSENT) {
            sourceSize = null;
        }
        String problem = null;
        if (th == null && sourceSize == null) {
            missing(task);
            return;
        } else if (th == null) {
            problem = "missing in target";
        } else if (sourceSize != null && !th.contentLength().equals(sourceSize)) {
            problem = "size differs: source " + sourceSize + " bytes, target " + th.contentLength() + " bytes";
        } else if (!expectedContentType(task, sourceType).equals(th.contentType())) {
            problem = "Content-Type is '" + th.contentType() + "', expected '" + expectedContentType(task, sourceType)
                    + "'";
        }
        verdict(task, problem, th == null, th == null ? 0 : th.contentLength());
    }

    /** verify's outcome of one object: ok (counted with its bytes), or missing in the target / different there. */
    private void verdict(CopyTask task, String problem, boolean absentInTarget, long bytes) {
        TableProgress t = progress(task.table());
        if (problem == null) {
            t.copied.increment();
            t.bytes.add(bytes);
            t.objectDone(task.rowId(), true);
        } else {
            t.failed.increment();
            (absentInTarget ? t.missingInTarget : t.different).increment();
            report(absentInTarget ? missingInTarget : different,
                    new Problem(task.table(), task.rowId(), task.targetKey(), problem));
            LOG.warn("{} id {}: {}: {}", task.table(), task.rowId(), task.targetKey(), problem);
            t.objectDone(task.rowId(), false);
        }
    }

    /**
     * verify of a directory target (local storage): a file has no headers, so the sizes the page's listings found
     * decide (the target's from a stat; the source's from its listing, a HEAD when it was not listed).
     */
    public void verifySizes(CopyTask task, Long sourceSize) {
        budget.success("target");
        long targetSize = task.targetSize() == null ? CopyTask.ABSENT : task.targetSize();
        boolean sourceAbsent = sourceSize == null || sourceSize == CopyTask.ABSENT;
        if (targetSize == CopyTask.ABSENT && sourceAbsent) {
            missing(task);
            return;
        }
        String problem = targetSize == CopyTask.ABSENT ? "missing in target"
                : !sourceAbsent && targetSize != sourceSize
                        ? "size differs: source " + sourceSize + " bytes, target " + targetSize + " bytes" : null;
        verdict(task, problem, targetSize == CopyTask.ABSENT, targetSize);
    }

    /** Dry run: counts the key as listed and returns the line printed for it. */
    public String listed(CopyTask task) {
        TableProgress t = progress(task.table());
        t.copied.increment();
        t.objectDone(task.rowId(), true);
        return describe(task);
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
            lines.append(listed(task));
        }
        return lines.toString();
    }

    /** The line the dry run prints for one key. */
    public String describe(CopyTask task) {
        String acl = task.cannedAcl();
        return task.sourceKey() + " -> " + task.targetKey() + "  [" + task.contentType() + ", acl "
                + (acl == null ? "none" : acl.toLowerCase(Locale.ROOT).replace('_', '-')) + "]";
    }

    // ---- repair (repair-object route) ----

    /** Repair: the object already has Mastodon's headers and ACL. */
    public void unchanged(CopyTask task) {
        budget.success("source");
        TableProgress t = progress(task.table());
        t.skipped.increment();
        t.objectDone(task.rowId(), true);
    }

    /**
     * Repair: the object was fixed in place (or, in a dry run, would be), counted per kind of fix.
     *
     * @param bytes the object's size when a CopyObject rewrote it server-side, else null
     * @return the line the dry run prints for it
     */
    public String repaired(CopyTask task, ObjectRepair.Fixes fixes, Number bytes) {
        budget.success("source");
        TableProgress t = progress(task.table());
        t.copied.increment();
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
            t.bytes.add(bytes.longValue());
        }
        String line = task.sourceKey() + ": " + fixes.describe();
        LOG.debug("{} id {}: {}{}", task.table(), task.rowId(), options.dryRun() ? "would repair " : "repaired ", line);
        t.objectDone(task.rowId(), true);
        return line;
    }

    // ---- outcomes: one name each, the same in the progress lines, the summary, the report and the metrics ----

    /**
     * The outcomes of this pass. copy: copied, skipped (the target has it already), missing_at_source, failed;
     * verify: ok, missing_at_source, missing_in_target, different (size or Content-Type), failed (rows that could
     * not be read); dry run: listed, failed; repair (and its dry run): repaired, unchanged, missing_at_source,
     * failed.
     */
    public List<String> outcomeNames() {
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

    /** How many objects of {@code t} ended with {@code outcome} (a name of {@link #outcomeNames()}). */
    public static long outcome(TableProgress t, String outcome) {
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

    /** "missing_at_source" -> "missing at source", for the lines people read. */
    static String words(String outcome) {
        return outcome.replace('_', ' ');
    }

    // ---- job control ----

    /** True when every selected table is scanned and no object is in flight (never in follow mode). */
    public boolean isComplete() {
        if (options.follow() || finished.get()) {
            return false;
        }
        return tables.values().stream().allMatch(TableProgress::isComplete);
    }

    public synchronized void saveCheckpoints() {
        if (options.dryRun()) {
            return;
        }
        for (TableProgress t : tables.values()) {
            if (t.isStarted()) {
                checkpoints.save(t.table, t.watermark());
            }
        }
    }

    /** Ends the pass: checkpoints, report file, summary table; returns the exit code (0 complete, 1 failures). */
    public int finish() {
        if (!finished.compareAndSet(false, true)) {
            return 1; // already ended by stop()
        }
        saveCheckpoints();
        writeReport();
        printSummary();
        return totalFailed() > 0 ? 1 : 0;
    }

    /**
     * Ends the pass early because a store or the database keeps failing: checkpoints (before every object not done),
     * report and summary as at a normal end; exit 1.
     */
    public int stop(String reason) {
        stoppedBecause = reason;
        if (!finished.compareAndSet(false, true)) {
            return 1;
        }
        LOG.error("Stopping: {}", reason);
        saveCheckpoints();
        writeReport();
        printSummary();
        return 1;
    }

    private long totalFailed() {
        return tables.values().stream().mapToLong(t -> t.failed.sum()).sum();
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
                p.rows(), outcomes(p), p.bytesPerSec() / 1e6, p.objectsPerSec(), p.eta(), String.join(", ", p.moving())));
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
    }

    /** The progress since the last call (rates are per interval: one caller, the progress route). */
    public Progress progress() {
        Instant now = Instant.now();
        double secs = Math.max(0.001, Duration.between(lastProgressAt, now).toMillis() / 1000.0);
        lastProgressAt = now;
        double elapsed = Math.max(0.001, Duration.between(started, now).toMillis() / 1000.0);
        double bytesPerSec = 0;
        double objectsPerSec = 0;
        long done = 0;
        long total = 0;
        boolean estimated = false;
        boolean totalKnown = true;
        Map<String, Long> counts = new LinkedHashMap<>();
        outcomeNames().forEach(o -> counts.put(o, 0L));
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
            counts.replaceAll((o, n) -> n + outcome(t, o));
            // moving: objects in flight, or rows known to be left (a table that only polls for new rows is not)
            if (!t.isComplete() && (t.rowsPlanned() > t.rowsDone() || t.total() > t.rowsDone())) {
                moving.add(t.table + (t.total() > 0 ? String.format(Locale.ROOT, " %d%%",
                        Math.min(100, t.rowsDone() * 100 / t.total())) : ""));
            }
        }
        long eta = -1;
        if (totalKnown && total > done && done > 0 && !options.follow()) {
            eta = (long) ((total - done) / (done / elapsed));
        }
        return new Progress(done, totalKnown ? total : -1, estimated, counts, bytesPerSec, objectsPerSec, eta,
                moving);
    }

    /** "copied 12, skipped 3, failed 1": the outcomes of a progress snapshot, for a line or a bar. */
    public static String outcomes(Progress p) {
        StringBuilder c = new StringBuilder();
        p.counts().forEach((o, n) -> c.append(c.isEmpty() ? "" : ", ").append(words(o)).append(' ').append(n));
        return c.toString();
    }

    // ---- run: a line when a pass over the tables ends, and when the next look is due ----

    private final Map<String, Instant> lastLook = new java.util.concurrent.ConcurrentHashMap<>();
    private final Map<String, Integer> looks = new java.util.concurrent.ConcurrentHashMap<>();
    private int looksReported;
    private int passes;
    private Map<String, Long> atLastPass = Map.of();

    /**
     * run: once per pass, when every selected table has been read to its end and no object is in flight, the line
     * that says so, what this pass did and when the next look for new rows is due; null otherwise.
     */
    public synchronized String passEnded(long pollIntervalMs) {
        // a pass: every table looked once more (rearm counts the looks) and is read to its end
        int pass = tables.keySet().stream().mapToInt(t -> looks.getOrDefault(t, 0)).min().orElse(0);
        boolean allDone = tables.values().stream().allMatch(t -> t.isStarted() && t.isComplete());
        if (!allDone || pass <= looksReported) {
            return null;
        }
        looksReported = pass;
        passes++;
        Map<String, Long> now = new LinkedHashMap<>();
        outcomeNames().forEach(o -> now.put(o, tables.values().stream().mapToLong(t -> outcome(t, o)).sum()));
        StringBuilder c = new StringBuilder();
        now.forEach((o, n) -> c.append(c.isEmpty() ? "" : ", ").append(words(o)).append(' ')
                .append(n - atLastPass.getOrDefault(o, 0L)));
        atLastPass = now;
        Instant next = lastLook.values().stream().min(Instant::compareTo).orElse(Instant.now())
                .plusMillis(pollIntervalMs);
        if (next.isBefore(Instant.now())) {
            next = Instant.now();
        }
        return String.format(Locale.ROOT, "Pass %d done: %s | next look for new rows at %s (every %s)", passes, c,
                java.time.LocalTime.ofInstant(next, java.time.ZoneId.systemDefault()).withNano(0),
                pollIntervalMs % 1000 == 0 ? pollIntervalMs / 1000 + " s" : pollIntervalMs + " ms");
    }

    /**
     * Camel stops (SIGTERM, Ctrl-C, or the end): the checkpoints once more; a pass that did not end by itself (run,
     * or a copy stopped midway) also gets its summary and report, saying it was stopped.
     */
    public void shutdown() {
        saveCheckpoints();
        if (tables.values().stream().noneMatch(TableProgress::isStarted)
                || !finished.compareAndSet(false, true)) {
            return;
        }
        stoppedBecause = options.follow() ? "run stopped (SIGTERM or Ctrl-C); the next run continues from the "
                + "checkpoints" : "stopped from outside (SIGTERM or Ctrl-C) before the end; rerun to continue";
        writeReport();
        printSummary();
    }

    private void printSummary() {
        if (options.repair()) {
            printRepairSummary();
            return;
        }
        double secs = Math.max(0.001, Duration.between(started, Instant.now()).toMillis() / 1000.0);
        List<String> names = outcomeNames();
        StringBuilder header = new StringBuilder(String.format(Locale.ROOT, "%-24s %10s", options.mode()
                + (options.dryRun() ? " (dry run)" : ""), "rows"));
        for (String n : names) {
            header.append(String.format(Locale.ROOT, " %" + Math.max(10, n.length() + 2) + "s", words(n)));
        }
        out.println();
        out.println(header.append(String.format(Locale.ROOT, " %12s  %s", "MB", "ids covered")));
        long[] sum = new long[names.size() + 2];
        long objects = 0;
        for (TableProgress t : tables.values()) {
            StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "%-24s %10d", t.table, t.rowsPlanned()));
            sum[0] += t.rowsPlanned();
            for (int i = 0; i < names.size(); i++) {
                long v = outcome(t, names.get(i));
                sum[i + 1] += v;
                objects += v;
                line.append(String.format(Locale.ROOT, " %" + Math.max(10, names.get(i).length() + 2) + "d", v));
            }
            sum[names.size() + 1] += t.bytes.sum();
            out.println(line.append(String.format(Locale.ROOT, " %12.1f  %s", t.bytes.sum() / 1e6, covered(t))));
        }
        StringBuilder total = new StringBuilder(String.format(Locale.ROOT, "%-24s %10d", "total", sum[0]));
        for (int i = 0; i < names.size(); i++) {
            total.append(String.format(Locale.ROOT, " %" + Math.max(10, names.get(i).length() + 2) + "d", sum[i + 1]));
        }
        out.println(total.append(String.format(Locale.ROOT, " %12.1f", sum[names.size() + 1] / 1e6)));
        if (tables.values().stream().anyMatch(t -> t.startedAfter() > 0)) {
            out.println("Rows up to the id where a table started were not looked at in this run (checkpoint, "
                    + "--from-id or --offset); --restart covers them again.");
        }
        out.printf(Locale.ROOT, "%.1f s, %.1f MB/s, %.1f objects/s. Report: %s%n", secs,
                sum[names.size() + 1] / 1e6 / secs, objects / secs, options.reportFile());
        if (stoppedBecause != null) {
            out.println("Stopped before the end: " + stoppedBecause);
        }
        long repaired = tables.values().stream().mapToLong(t -> t.contentTypeRepaired.sum()).sum();
        if (repaired > 0) {
            out.println(repaired + " object(s) written with the Content-Type Mastodon's rules give: the source's was "
                    + "missing or generic (binary/octet-stream, application/octet-stream).");
        }
        List<Problem> problems = new ArrayList<>();
        synchronized (missingInTarget) {
            problems.addAll(missingInTarget.stream().limit(10).toList());
        }
        synchronized (different) {
            problems.addAll(different.stream().limit(10).toList());
        }
        synchronized (failed) {
            problems.addAll(failed.stream().limit(10).toList());
        }
        if (!problems.isEmpty()) {
            long count = tables.values().stream().mapToLong(t -> t.failed.sum()).sum();
            out.println(count + " object(s) " + (options.verify() ? "missing in the target, different there, or "
                    + "failed" : "failed") + "; the first ones:");
            problems.stream().limit(10).forEach(p -> out.println("  " + p.table() + " id " + p.id() + " " + p.key()
                    + ": " + p.reason()));
        }
        out.flush();
    }

    /** The repair's table: objects looked at, fixed (per kind), already right, missing, failed. */
    private void printRepairSummary() {
        double secs = Math.max(0.001, Duration.between(started, Instant.now()).toMillis() / 1000.0);
        out.println();
        out.printf(Locale.ROOT, "%-24s %10s %10s %10s %10s %10s %10s %17s %10s  %s%n", "repair" + (options.dryRun()
                ? " (dry run)" : ""), "rows", options.dryRun() ? "to repair" : "repaired", "type", "cache",
                "acl", "unchanged", "missing at source", "failed", "ids covered");
        long[] sum = new long[8];
        for (TableProgress t : tables.values()) {
            long[] v = {t.rowsPlanned(), t.copied.sum(), t.contentTypeRepaired.sum(), t.cacheControlRepaired.sum(),
                t.aclRepaired.sum(), t.skipped.sum(), t.missing.sum(), t.failed.sum()};
            for (int i = 0; i < v.length; i++) {
                sum[i] += v[i];
            }
            out.printf(Locale.ROOT, "%-24s %10d %10d %10d %10d %10d %10d %17d %10d  %s%n", t.table, v[0], v[1], v[2],
                    v[3], v[4], v[5], v[6], v[7], covered(t));
        }
        out.printf(Locale.ROOT, "%-24s %10d %10d %10d %10d %10d %10d %17d %10d%n", "total", sum[0], sum[1], sum[2],
                sum[3], sum[4], sum[5], sum[6], sum[7]);
        if (cannedAcl == null) {
            out.println("ACLs were not checked: S3_PERMISSION is empty (Mastodon sends no ACL).");
        }
        if (tables.values().stream().anyMatch(t -> t.startedAfter() > 0)) {
            out.println("Rows up to the id where a table started were not looked at in this run (checkpoint, "
                    + "--from-id or --offset); --restart covers them again.");
        }
        out.printf(Locale.ROOT, "%.1f s, %.1f objects/s. Report: %s%n", secs,
                (sum[1] + sum[5] + sum[6] + sum[7]) / secs, options.reportFile());
        if (stoppedBecause != null) {
            out.println("Stopped before the end: " + stoppedBecause);
        }
        if (!failed.isEmpty()) {
            out.println(failed.size() + " object(s) failed; the first ones:");
            synchronized (failed) {
                failed.stream().limit(10).forEach(p -> out.println("  " + p.table() + " id " + p.id() + " " + p.key()
                        + ": " + p.reason()));
            }
        }
        out.flush();
    }

    /** Which ids this run looked at: "after A to B", or "none after A". */
    private static String covered(TableProgress t) {
        if (!t.isStarted()) {
            return "not started";
        }
        return t.rowsPlanned() == 0 ? "none after " + t.startedAfter()
                : "after " + t.startedAfter() + " to " + t.lastPlanned();
    }

    private void writeReport() {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("mode", options.mode());
        r.put("dryRun", options.dryRun());
        r.put("started", started.toString());
        r.put("finished", Instant.now().toString());
        if (stoppedBecause != null) {
            r.put("stoppedBecause", stoppedBecause);
        }
        Map<String, Object> perTable = new LinkedHashMap<>();
        for (TableProgress t : tables.values()) {
            Map<String, Object> m = new LinkedHashMap<>();
            outcomeNames().forEach(o -> m.put(o, outcome(t, o)));
            m.put("bytes", t.bytes.sum());
            if (options.repair()) {
                m.putAll(t.repairCounters());
            } else if (!options.verify()) {
                m.put("contentTypeRepaired", t.contentTypeRepaired.sum());
            }
            m.put("rows", t.rowsPlanned());
            m.put("startedAfterId", t.startedAfter());
            m.put("lastId", t.lastPlanned());
            m.put("checkpoint", t.watermark());
            perTable.put(t.table, m);
        }
        r.put("tables", perTable);
        synchronized (missing) {
            r.put("missing_at_source", new ArrayList<>(missing));
        }
        if (options.verify()) {
            synchronized (missingInTarget) {
                r.put("missing_in_target", new ArrayList<>(missingInTarget));
            }
            synchronized (different) {
                r.put("different", new ArrayList<>(different));
            }
        }
        synchronized (failed) {
            r.put("failed", new ArrayList<>(failed));
        }
        try {
            var parent = options.reportFile().toAbsolutePath().getParent();
            Files.createDirectories(parent);
            var tmp = parent.resolve(options.reportFile().getFileName() + ".tmp");
            new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(tmp.toFile(), r);
            Files.move(tmp, options.reportFile(), StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the report " + options.reportFile() + ": " + e.getMessage(), e);
        }
    }

    private static void report(List<Problem> list, Problem p) {
        if (list.size() < MAX_REPORTED) {
            list.add(p);
        }
    }

    private TableProgress progress(String table) {
        TableProgress t = tables.get(table);
        if (t == null) {
            throw new IllegalArgumentException("table " + table + " is not part of this pass");
        }
        return t;
    }

    /** "public-read" -> PUBLIC_READ; empty -> null (send no ACL). */
    public static String cannedAclName(String permission) {
        if (permission == null || permission.isBlank()) {
            return null;
        }
        ObjectCannedACL acl = ObjectCannedACL.fromValue(permission.strip());
        if (acl == ObjectCannedACL.UNKNOWN_TO_SDK_VERSION) {
            throw new IllegalArgumentException("permission '" + permission + "' is not an S3 canned ACL. Fix: set "
                    + "TARGET_S3_PERMISSION (or S3_PERMISSION) to public-read, private, authenticated-read, or empty "
                    + "to send no ACL (Cloudflare R2).");
        }
        return acl.name();
    }
}
