package mastodon.s3sync.copy;

import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;

import mastodon.s3sync.copy.Problems.Kind;
import mastodon.s3sync.copy.Problems.Problem;

/**
 * The table printed when a pass ends: per table the rows and the count of each outcome, the totals, the speed, where
 * the report is, and the first problems.
 */
record CopySummary(CopyPass pass, CopyOutcomes outcomes) {

    /** @param stoppedBecause why the pass stopped before its end, or null */
    void print(PrintStream out, String stoppedBecause) {
        if (pass.options().repair()) {
            printRepair(out, stoppedBecause);
        } else {
            printCopy(out, stoppedBecause);
        }
        out.flush();
    }

    private void printCopy(PrintStream out, String stoppedBecause) {
        CopyOptions options = pass.options();
        List<String> names = outcomes.names();
        StringBuilder header = new StringBuilder(String.format(Locale.ROOT, "%-24s %10s", options.mode()
                + (options.dryRun() ? " (dry run)" : ""), "rows"));
        for (String n : names) {
            header.append(String.format(Locale.ROOT, " %" + width(n) + "s", CopyOutcomes.words(n)));
        }
        out.println();
        out.println(header.append(String.format(Locale.ROOT, " %12s  %s", "MB", "ids covered")));
        long[] sum = new long[names.size() + 2];
        long objects = 0;
        for (TableProgress t : pass.tables().values()) {
            long[] v = new long[names.size()];
            for (int i = 0; i < names.size(); i++) {
                v[i] = CopyOutcomes.count(t, names.get(i));
                sum[i + 1] += v[i];
                objects += v[i];
            }
            sum[0] += t.rowsPlanned();
            sum[names.size() + 1] += t.bytes.sum();
            out.println(row(t.table, t.rowsPlanned(), v, names) + String.format(Locale.ROOT, " %12.1f  %s",
                    t.bytes.sum() / 1e6, covered(t)));
        }
        long[] total = java.util.Arrays.copyOfRange(sum, 1, names.size() + 1);
        out.println(row("total", sum[0], total, names) + String.format(Locale.ROOT, " %12.1f",
                sum[names.size() + 1] / 1e6));
        double secs = seconds();
        startedLater(out);
        out.printf(Locale.ROOT, "%.1f s, %.1f MB/s, %.1f objects/s. Report: %s%n", secs,
                sum[names.size() + 1] / 1e6 / secs, objects / secs, options.reportFile());
        stopped(out, stoppedBecause);
        long repaired = pass.tables().values().stream().mapToLong(t -> t.contentTypeRepaired.sum()).sum();
        if (repaired > 0) {
            out.println(repaired + " object(s) written with the Content-Type Mastodon's rules give: the source's was "
                    + "missing or generic (binary/octet-stream, application/octet-stream).");
        }
        List<Problem> first = pass.problems().first(10, Kind.MISSING_IN_TARGET, Kind.DIFFERENT, Kind.FAILED);
        if (!first.isEmpty()) {
            out.println(outcomes.failed() + " object(s) " + (options.verify() ? "missing in the target, different "
                    + "there, or failed" : "failed") + "; the first ones:");
            listFirst(out, first);
        }
    }

    private static int width(String outcome) {
        return Math.max(10, outcome.length() + 2);
    }

    /** A line of the copy's table: name, rows, then each outcome's count in its column. */
    private static String row(String name, long rows, long[] counts, List<String> names) {
        StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "%-24s %10d", name, rows));
        for (int i = 0; i < names.size(); i++) {
            line.append(String.format(Locale.ROOT, " %" + width(names.get(i)) + "d", counts[i]));
        }
        return line.toString();
    }

    /** The repair's table: objects looked at, fixed (per kind), already right, missing, failed. */
    private void printRepair(PrintStream out, String stoppedBecause) {
        CopyOptions options = pass.options();
        out.println();
        out.printf(Locale.ROOT, "%-24s %10s %10s %10s %10s %10s %10s %17s %10s  %s%n", "repair" + (options.dryRun()
                ? " (dry run)" : ""), "rows", options.dryRun() ? "to repair" : "repaired", "type", "cache",
                "acl", "unchanged", "missing at source", "failed", "ids covered");
        long[] sum = new long[8];
        for (TableProgress t : pass.tables().values()) {
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
        if (CannedAcl.forPermission(options.targetPermission()) == null) {
            out.println("ACLs were not checked: S3_PERMISSION is empty (Mastodon sends no ACL).");
        }
        startedLater(out);
        double secs = seconds();
        out.printf(Locale.ROOT, "%.1f s, %.1f objects/s. Report: %s%n", secs,
                (sum[1] + sum[5] + sum[6] + sum[7]) / secs, options.reportFile());
        stopped(out, stoppedBecause);
        List<Problem> failed = pass.problems().of(Kind.FAILED);
        if (!failed.isEmpty()) {
            out.println(failed.size() + " object(s) failed; the first ones:");
            listFirst(out, failed.subList(0, Math.min(10, failed.size())));
        }
    }

    private double seconds() {
        return Math.max(0.001, Duration.between(pass.started(), Instant.now()).toMillis() / 1000.0);
    }

    private void startedLater(PrintStream out) {
        if (pass.tables().values().stream().anyMatch(t -> t.startedAfter() > 0)) {
            out.println("Rows up to the id where a table started were not looked at in this run (checkpoint, "
                    + "--from-id or --offset); --restart covers them again.");
        }
    }

    private static void stopped(PrintStream out, String stoppedBecause) {
        if (stoppedBecause != null) {
            out.println("Stopped before the end: " + stoppedBecause);
        }
    }

    private static void listFirst(PrintStream out, List<Problem> first) {
        first.stream().limit(10).forEach(p -> out.println("  " + p.line()));
    }

    /** Which ids this run looked at: "after A to B", or "none after A". */
    static String covered(TableProgress t) {
        if (!t.isStarted()) {
            return "not started";
        }
        return t.rowsPlanned() == 0 ? "none after " + t.startedAfter()
                : "after " + t.startedAfter() + " to " + t.lastPlanned();
    }
}
