package mastodon.s3sync.recover;

import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
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

    private final List<Path> logs;
    private final ResubscribeCommand command;
    private final SshTarget ssh;
    private final boolean resubscribe;
    private final Path reportFile;
    private final PrintStream out;

    // the state below is only touched by the route's one thread, step after step
    private final LogTally tally = new LogTally();
    private final Map<Long, Account> accounts = new HashMap<>();
    private final Map<String, String> results = new HashMap<>();
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
        tally.startFile(path);
    }

    /** Counts a line; a null entry is a line that is not in the combined format (skipped, logged, never fatal). */
    public void read(AccessLogEntry entry, String line, int index) {
        tally.read(entry, line, index);
    }

    public void hit(RefusedCallback c) {
        tally.hit(c);
    }

    public void endFile() {
        tally.endFile();
    }

    /** The file vanished before it could be opened, or broke off (a damaged .gz): the lines read so far count. */
    public void unreadable(String path, Throwable e) {
        tally.unreadable(path, e);
    }

    // ---- the database ----

    /** The numeric ids seen, sorted (the route looks them up in batches); other ids cannot be accounts. */
    public List<Long> ids() {
        return tally.hits.keySet().stream().map(SubscriptionRecovery::numeric).filter(n -> n != null).sorted().toList();
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
            tally.hits.forEach((id, h) -> {
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
                + "%d matching requests for %d account ids.%n", logs.size(), logs.size() == 1 ? "" : "s",
                tally.lines, tally.malformed, tally.matched, all.size());
        if (!tally.unreadable.isEmpty()) {
            out.printf("%d log file%s could not be read to the end (%s).%n", tally.unreadable.size(),
                    tally.unreadable.size() == 1 ? "" : "s", String.join("; ", tally.unreadable));
        }
        if (!all.isEmpty()) {
            out.println();
            RecoveryReport.printTable(out, all);
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
        RecoveryReport.writeCsv(reportFile, rows(), results);
        if (resubscribe && !toRecover().isEmpty()) {
            out.printf("%nResubscribed %d of %d accounts, %d failed.%n", succeeded, succeeded + failed, failed);
        }
        out.println("Report: " + reportFile);
        out.flush();
        return failed > 0 || !tally.unreadable.isEmpty() ? 1 : 0;
    }

    /** The route failed before the end (the database went away, say): nothing more can be reported. */
    public int aborted(Throwable e) {
        LOG.error("recover-subscriptions stopped: {}", rootMessage(e));
        return 1;
    }

    private static Long numeric(String id) {
        try {
            return Long.parseLong(id);
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
