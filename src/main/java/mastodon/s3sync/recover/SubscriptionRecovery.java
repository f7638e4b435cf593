package mastodon.s3sync.recover;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.stream.Collectors;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One recover-subscriptions pass: what the log lines showed per account id, what the database says about each
 * account, the verdict, and what the resubscribe commands returned. Called by the route one step at a time, on one
 * thread; prints the report, writes the CSV and returns the exit code.
 */
public final class SubscriptionRecovery {

    private static final Logger LOG = LoggerFactory.getLogger("mastodon.s3sync.recover");

    /** Why an id is in the report, and whether it is resubscribed. */
    public enum Verdict {
        RECOVER("recover"), IGNORE_NO_LOCAL_FOLLOWERS("ignore: no local followers"),
        IGNORE_LOCAL_ACCOUNT("ignore: local account"), UNKNOWN("unknown id");

        public final String label;

        Verdict(String label) {
            this.label = label;
        }
    }

    /** A log file to read: the file component wants its directory and its name apart. */
    public record LogFile(String path, String directory, String name) {
    }

    /** An account as the database knows it. */
    public record Account(long id, String username, String domain, long localFollowers) {
        String handle() {
            return domain == null ? username + " (local)" : username + "@" + domain;
        }
    }

    /** One line of the report; {@code account} is null for an unknown id. */
    public record Row(String id, Account account, long hits, Instant firstSeen, Instant lastSeen, String statuses,
                      Verdict verdict) {
        public long accountId() {
            return account.id();
        }
    }

    private static final class Hits {
        long count;
        Instant first;
        Instant last;
        final TreeSet<Integer> statuses = new TreeSet<>();
    }

    private final List<Path> logs;
    private final ResubscribeCommand command;
    private final SshTarget ssh;
    private final boolean resubscribe;
    private final Path reportFile;
    private final PrintStream out;

    // the state below is only touched by the route's one thread, step after step
    private final Map<String, Hits> hits = new HashMap<>();
    private final Map<Long, Account> accounts = new HashMap<>();
    private final Map<String, String> results = new HashMap<>();
    private String file;
    private long fileLines;
    private long fileMalformed;
    private long fileHits;
    private long lines;
    private long malformed;
    private long matched;
    private final List<String> unreadable = new ArrayList<>();
    private int succeeded;
    private int failed;
    private List<Row> rows;

    public SubscriptionRecovery(List<Path> logs, ResubscribeCommand command, SshTarget ssh, boolean resubscribe,
                                Path reportFile, PrintStream out) {
        this.logs = logs;
        this.command = command;
        this.ssh = ssh;
        this.resubscribe = resubscribe;
        this.reportFile = reportFile;
        this.out = out;
    }

    // ---- reading the logs ----

    public List<LogFile> logFiles() {
        return logs.stream().map(p -> p.toAbsolutePath().normalize())
                .map(p -> new LogFile(p.toString(), p.getParent().toString(), p.getFileName().toString())).toList();
    }

    public void startFile(String path) {
        file = path;
        fileLines = 0;
        fileMalformed = 0;
        fileHits = 0;
    }

    /**
     * Counts a line; a null entry is a line that is not in the combined format (skipped, never fatal), logged once
     * with its line number ({@code index} + 1): the first {@value #MALFORMED_WARNINGS} of each file as warnings, the
     * others at debug level.
     */
    public void read(AccessLogEntry entry, String line, int index) {
        lines++;
        fileLines++;
        if (entry == null) {
            malformed++;
            fileMalformed++;
            String shown = excerpt(line);
            if (fileMalformed <= MALFORMED_WARNINGS) {
                LOG.warn("{} line {}: not in the combined format, skipped: {}{}", file, index + 1, shown,
                        fileMalformed == MALFORMED_WARNINGS ? " (further malformed lines of this file at debug level)"
                                : "");
            } else {
                LOG.debug("{} line {}: not in the combined format, skipped: {}", file, index + 1, shown);
            }
        }
    }

    static final int MALFORMED_WARNINGS = 10;

    /** A line from outside, for a log: at most 120 characters, control characters as '?'. */
    static String excerpt(String line) {
        String s = line == null ? "" : line;
        String cut = s.length() > 120 ? s.substring(0, 120) + "... (" + s.length() + " characters)" : s;
        return cut.replaceAll("[\\p{Cntrl}\\u2028\\u2029]", "?");
    }

    public void hit(RefusedCallback c) {
        String id = c.accountId();
        AccessLogEntry e = c.entry();
        matched++;
        fileHits++;
        Hits h = hits.computeIfAbsent(id, k -> new Hits());
        h.count++;
        h.first = h.first == null || e.time().isBefore(h.first) ? e.time() : h.first;
        h.last = h.last == null || e.time().isAfter(h.last) ? e.time() : h.last;
        h.statuses.add(e.status());
    }

    public void endFile() {
        LOG.info("read {}: {} lines, {} malformed (skipped), {} refused subscription callbacks", file, fileLines,
                fileMalformed, fileHits);
    }

    /** The file vanished before it could be opened, or broke off (a damaged .gz): the lines read so far count. */
    public void unreadable(String path, Throwable e) {
        String why = e == null ? "it disappeared or lost its read permission after the start" : rootMessage(e);
        unreadable.add(Path.of(path).getFileName() + ": " + why);
        LOG.error("cannot read {} to the end: {}; {} lines read from it are counted", path, why, fileLines);
    }

    // ---- the database ----

    /** The numeric ids seen, sorted (the route looks them up in batches); other ids cannot be accounts. */
    public List<Long> ids() {
        return hits.keySet().stream().map(SubscriptionRecovery::numeric).filter(n -> n != null).sorted().toList();
    }

    /** Rows of {@code id, username, domain, local_followers}. */
    public void accounts(List<Map<String, Object>> found) {
        for (Map<String, Object> r : found) {
            long id = ((Number) r.get("id")).longValue();
            accounts.put(id, new Account(id, (String) r.get("username"), (String) r.get("domain"),
                    ((Number) r.get("local_followers")).longValue()));
        }
    }

    // ---- the report ----

    public List<Row> rows() {
        if (rows == null) {
            List<Row> list = new ArrayList<>();
            hits.forEach((id, h) -> {
                Long n = numeric(id);
                Account a = n == null ? null : accounts.get(n);
                Verdict v = a == null ? Verdict.UNKNOWN : a.domain() == null ? Verdict.IGNORE_LOCAL_ACCOUNT
                        : a.localFollowers() == 0 ? Verdict.IGNORE_NO_LOCAL_FOLLOWERS : Verdict.RECOVER;
                list.add(new Row(id, a, h.count, h.first, h.last,
                        h.statuses.stream().map(String::valueOf).collect(Collectors.joining(" ")), v));
            });
            list.sort(Comparator.comparing(Row::verdict)
                    .thenComparing(r -> numeric(r.id()), Comparator.nullsLast(Comparator.naturalOrder()))
                    .thenComparing(Row::id));
            rows = list;
        }
        return rows;
    }

    public List<Row> toRecover() {
        return rows().stream().filter(r -> r.verdict() == Verdict.RECOVER).toList();
    }

    public void printReport() {
        List<Row> all = rows();
        out.printf("Refused subscription callbacks in %d log file%s: %d lines read, %d malformed (skipped), "
                + "%d matching requests for %d account ids.%n", logs.size(), logs.size() == 1 ? "" : "s", lines,
                malformed, matched, all.size());
        if (!unreadable.isEmpty()) {
            out.printf("%d log file%s could not be read to the end (%s).%n", unreadable.size(),
                    unreadable.size() == 1 ? "" : "s", String.join("; ", unreadable));
        }
        if (!all.isEmpty()) {
            out.println();
            List<String[]> table = new ArrayList<>();
            table.add(new String[] {"ID", "ACCOUNT", "HITS", "FIRST SEEN", "LAST SEEN", "STATUS", "LOCAL FOLLOWERS",
                    "VERDICT"});
            for (Row r : all) {
                table.add(new String[] {r.id(), r.account() == null ? "-" : r.account().handle(), Long.toString(r.hits()),
                        r.firstSeen().toString(), r.lastSeen().toString(), r.statuses(),
                        r.account() == null ? "-" : Long.toString(r.account().localFollowers()), r.verdict().label});
            }
            printTable(table);
        }
        long recover = count(Verdict.RECOVER);
        long ignore = count(Verdict.IGNORE_LOCAL_ACCOUNT) + count(Verdict.IGNORE_NO_LOCAL_FOLLOWERS);
        out.printf("%n%d to recover, %d to ignore, %d unknown.%n", recover, ignore, count(Verdict.UNKNOWN));
        if (recover > 0) {
            String host = ssh.host() == null ? "the Mastodon host (RECOVER_SSH_HOST not set)" : ssh.describe();
            out.println(resubscribe ? "Resubscribing on " + host + ":" : "Commands that --resubscribe would run on " + host + ":");
        }
        out.flush();
    }

    private long count(Verdict v) {
        return rows().stream().filter(r -> r.verdict() == v).count();
    }

    private void printTable(List<String[]> table) {
        int[] w = new int[table.get(0).length];
        for (String[] row : table) {
            for (int i = 0; i < row.length; i++) {
                w[i] = Math.max(w[i], row[i].length());
            }
        }
        for (String[] row : table) {
            StringBuilder sb = new StringBuilder();
            for (int i = 0; i < row.length; i++) {
                sb.append(i == row.length - 1 ? row[i] : String.format("%-" + (w[i] + 2) + "s", row[i]));
            }
            out.println(sb.toString().stripTrailing());
        }
    }

    // ---- resubscribing ----

    public String command(Row r) {
        return command.forAccount(r.accountId());
    }

    public void wouldRun(Row r) {
        results.put(r.id(), "not run (dry run)");
        out.println("  " + command(r));
    }

    /** A command ran: exit status 0 is success, anything else (or none) a failure; stderr is reported either way. */
    public void commandDone(Row r, Integer exit, String stderr) {
        String err = stderr == null ? "" : stderr.strip();
        boolean ok = exit != null && exit == 0;
        String result = (ok ? "ok" : "FAILED") + " (exit " + (exit == null ? "status missing" : exit) + ")"
                + (err.isEmpty() ? "" : ": " + err);
        record(r, ok, result);
    }

    /** The command could not be run at all (connection, host key, authentication). */
    public void commandFailed(Row r, Throwable e, String hostKeyRejection) {
        record(r, false, "FAILED: " + (hostKeyRejection != null ? hostKeyRejection : rootMessage(e)));
    }

    private void record(Row r, boolean ok, String result) {
        if (ok) {
            succeeded++;
        } else {
            failed++;
        }
        results.put(r.id(), result);
        out.println("  " + r.id() + " " + r.account().handle() + ": " + result.replace("\n", "\n      "));
        out.flush();
        if (ok) {
            LOG.info("resubscribed account {} ({})", r.id(), r.account().handle());
        } else {
            LOG.warn("resubscribing account {} ({}) failed: {}", r.id(), r.account().handle(), result);
        }
    }

    /** The innermost message: Camel's wrappers repeat the command and name the exchange. */
    static String rootMessage(Throwable e) {
        Throwable r = e;
        while (r.getCause() != null && r.getCause() != r) {
            r = r.getCause();
        }
        return r.getMessage() == null ? r.getClass().getSimpleName() : r.getMessage();
    }

    // ---- the end ----

    /** Writes the CSV, prints the summary; 0 when every command that ran succeeded, else 1. */
    public int finish() {
        writeCsv();
        if (resubscribe && !toRecover().isEmpty()) {
            out.printf("%nResubscribed %d of %d accounts, %d failed.%n", succeeded, succeeded + failed, failed);
        }
        out.println("Report: " + reportFile);
        out.flush();
        return failed > 0 || !unreadable.isEmpty() ? 1 : 0;
    }

    /** The route failed before the end (the database went away, say): nothing more can be reported. */
    public int aborted(Throwable e) {
        LOG.error("recover-subscriptions stopped: {}", rootMessage(e));
        return 1;
    }

    private void writeCsv() {
        StringBuilder sb = new StringBuilder("id,account,hits,first_seen,last_seen,statuses,local_followers,verdict,resubscribe\n");
        for (Row r : rows()) {
            sb.append(String.join(",", csv(r.id()), csv(r.account() == null ? "" : r.account().handle()),
                    Long.toString(r.hits()), r.firstSeen().toString(), r.lastSeen().toString(), csv(r.statuses()),
                    r.account() == null ? "" : Long.toString(r.account().localFollowers()), csv(r.verdict().label),
                    csv(results.getOrDefault(r.id(), "")))).append('\n');
        }
        try {
            Path abs = reportFile.toAbsolutePath();
            Files.createDirectories(abs.getParent());
            Path tmp = abs.resolveSibling(abs.getFileName() + ".tmp");
            Files.writeString(tmp, sb, StandardCharsets.UTF_8);
            Files.move(tmp, abs, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the report " + reportFile + ": " + e.getMessage(), e);
        }
    }

    static String csv(String v) {
        if (v.contains(",") || v.contains("\"") || v.contains("\n") || v.contains("\r")) {
            return "\"" + v.replace("\"", "\"\"") + "\"";
        }
        return v;
    }

    private static Long numeric(String id) {
        try {
            return Long.parseLong(id);
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
