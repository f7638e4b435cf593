package mastodon.s3sync.recover;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import mastodon.s3sync.recover.SubscriptionRecovery.Row;

/** The report of a recover-subscriptions pass: the table it prints, and its CSV file. */
final class RecoveryReport {

    private RecoveryReport() {
    }

    /** One line per account id, in columns as wide as their widest value. */
    static void printTable(PrintStream out, List<Row> rows) {
        List<String[]> table = new ArrayList<>();
        table.add(new String[] {"ID", "ACCOUNT", "HITS", "FIRST SEEN", "LAST SEEN", "STATUS", "LOCAL FOLLOWERS",
                "VERDICT"});
        for (Row r : rows) {
            table.add(new String[] {r.id(), r.account() == null ? "-" : r.account().handle(), Long.toString(r.hits()),
                    r.firstSeen().toString(), r.lastSeen().toString(), r.statuses(),
                    r.account() == null ? "-" : Long.toString(r.account().localFollowers()), r.verdict().label});
        }
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

    /**
     * Writes the CSV (a temporary file renamed over it).
     *
     * @param results what each resubscribe command returned, by account id
     */
    static void writeCsv(Path file, List<Row> rows, Map<String, String> results) {
        StringBuilder sb = new StringBuilder(
                "id,account,hits,first_seen,last_seen,statuses,local_followers,verdict,resubscribe\n");
        for (Row r : rows) {
            sb.append(String.join(",", csv(r.id()), csv(r.account() == null ? "" : r.account().handle()),
                    Long.toString(r.hits()), r.firstSeen().toString(), r.lastSeen().toString(), csv(r.statuses()),
                    r.account() == null ? "" : Long.toString(r.account().localFollowers()), csv(r.verdict().label),
                    csv(results.getOrDefault(r.id(), "")))).append('\n');
        }
        try {
            Path abs = file.toAbsolutePath();
            Files.createDirectories(abs.getParent());
            Path tmp = abs.resolveSibling(abs.getFileName() + ".tmp");
            Files.writeString(tmp, sb, StandardCharsets.UTF_8);
            Files.move(tmp, abs, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the report " + file + ": " + e.getMessage(), e);
        }
    }

    static String csv(String v) {
        if (v.contains(",") || v.contains("\"") || v.contains("\n") || v.contains("\r")) {
            return "\"" + v.replace("\"", "\"\"") + "\"";
        }
        return v;
    }
}
