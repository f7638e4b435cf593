package mastodon.s3sync.recover;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.core.config.Configurator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import mastodon.s3sync.InProcessRunner;
import mastodon.s3sync.testing.LogCapture;
import mastodon.s3sync.testing.PostgresExtension;
import mastodon.s3sync.testing.PostgresServer;

/**
 * recover-subscriptions over a hostile access log ({@code src/test/resources/recover/hostile-access.txt}, plus lines
 * made here: a 2 MB line, regular-expression stress, a last line without its newline): crash padding, bytes that are
 * not UTF-8, terminal escapes, expressions, other formats. Every line is read and counted once, each malformed one is
 * logged once, the refused callbacks among them are all found, and nothing but the report is written.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
@ExtendWith(PostgresExtension.class)
class RecoverHostileLogTest {

    private static final String PUSH = "\"http.rb/4.4.1 (Mastodon/PubSubHubbub; +https://remote.example/)\"";

    @TempDir
    Path dir;

    @Test
    void everyLineCountedEachMalformedLineLoggedOnceTheHitsFound(PostgresServer pg) throws Exception {
        Path nginx = Files.createDirectories(dir.resolve("nginx"));
        Path log = nginx.resolve("access.log");
        try (OutputStream o = Files.newOutputStream(log)) {
            o.write(getClass().getResourceAsStream("/recover/hostile-access.txt").readAllBytes());
            String t = "[20/Nov/2026:09:15:02 +0000]";
            for (String stress : new String[] {"\"".repeat(50_000), "1.2.3.4 - - " + t + " \"" + "\\".repeat(50_001),
                    "1.2.3.4 - - " + t + " \"" + "\\\"".repeat(30_000) + "\" 404 0 \"-\"", "1.2.3.4 ".repeat(20_000),
                    "A".repeat(2 * 1024 * 1024),
                    // a W3C/IIS header line and property placeholders: text, never a bean reference or a setting
                    "#Fields: date time cs-uri", "1.2.3.4 - - {{recover.command}} {{no.such.key}}"}) {
                o.write((stress + "\n").getBytes(StandardCharsets.UTF_8));
            }
            // the last line, still being written: no newline yet
            o.write(("192.0.2.10 - - [20/Nov/2026:10:00:00 +0000] \"POST /api/subscriptions/103 HTTP/1.1\" 404 0 \"-\" "
                    + PUSH).getBytes(StandardCharsets.UTF_8));
        }
        Map<String, Long> before = listing(nginx);
        Path report = dir.resolve("out/report.csv");

        pg.createDatabase("recover_hostile");
        try (Connection c = pg.dataSource("recover_hostile").getConnection(); Statement s = c.createStatement()) {
            s.execute(new String(getClass().getResourceAsStream("/mastodon-schema/mastodon-4.6.sql").readAllBytes(),
                    StandardCharsets.UTF_8));
            s.execute("INSERT INTO accounts (id, username, domain) VALUES (1, 'admin', NULL), "
                    + "(101, 'alice', 'remote.example'), (102, 'carol', 'other.example'), (103, 'dave', 'third.example')");
            s.execute("INSERT INTO follows (account_id, target_account_id) VALUES (1, 101), (1, 103)");
        }
        Map<String, String> env = Map.of("DB_HOST", pg.host(), "DB_PORT", Integer.toString(pg.port()), "DB_NAME",
                "recover_hostile", "DB_USER", pg.user(), "RECOVER_REPORT_FILE", report.toString(),
                "APP_ROUTES_DIR", Path.of("routes").toAbsolutePath().toString());
        Configurator.setLevel("mastodon.s3sync.recover", Level.DEBUG);
        InProcessRunner.Result r;
        String text;
        long start = System.nanoTime();
        try (LogCapture capture = new LogCapture("mastodon.s3sync.recover")) {
            r = InProcessRunner.run(env, dir, "recover-subscriptions", "--log", "nginx/access.log");
            text = capture.text();
        } finally {
            Configurator.setLevel("mastodon.s3sync.recover", Level.INFO);
        }
        long ms = (System.nanoTime() - start) / 1_000_000;
        String stdout = r.out();
        System.out.println("(recover-subscriptions took " + ms + " ms)");
        assertThat(r.code()).as(r.err()).isZero();

        // 27 non-blank lines (blank and NUL-only lines are skipped); 18 malformed; 7 refused callbacks for
        // 101 (one behind crash padding, one with expressions in its user agent), 102 (bytes that are not UTF-8),
        // 103 (one the last line without newline), and an id no account can have
        assertThat(stdout).startsWith("Refused subscription callbacks in 1 log file: 27 lines read, 18 malformed "
                + "(skipped), 7 matching requests for 4 account ids.");
        assertThat(Files.readString(report)).contains("\n101,alice@remote.example,3,", "\n102,carol@other.example,1,",
                "\n103,dave@third.example,2,", "\n99999999999999999999999999,,1,");
        assertThat(text).contains("lines, 18 malformed (skipped), 7 refused subscription callbacks");

        // each malformed line logged once, by its line number in the file (blank lines keep their number), the
        // first ten as warnings: the corpus is lines 1-21 (malformed 2-8, 13, 14, 16, 21; blank 10 and 18), the
        // stress lines made here 22-26, the last line 27
        long warned = text.lines().filter(l -> l.startsWith("WARN ") && l.contains("not in the combined format"))
                .count();
        long debug = text.lines().filter(l -> l.startsWith("DEBUG ") && l.contains("not in the combined format"))
                .count();
        assertThat(warned).isEqualTo(10);
        assertThat(debug).isEqualTo(8);
        for (int line : new int[] {2, 3, 4, 5, 6, 7, 8, 13, 14, 16, 21, 22, 23, 24, 25, 26, 27, 28}) {
            assertThat(text.split("access.log line " + line + ": ", -1)).as("line " + line).hasSize(2);
        }
        // nothing from the log reaches the log file raw: no control characters, no 2 MB line
        assertThat(text.replace("\n", "")).doesNotContain("\u001b", "\u0000", "\r");
        assertThat(text.lines().mapToInt(String::length).max().orElse(0)).isLessThan(1000);

        // the logs are only read; the report is the only file written
        assertThat(listing(nginx)).isEqualTo(before);
        try (Stream<Path> s = Files.walk(dir.resolve("out"))) {
            assertThat(s.filter(Files::isRegularFile).map(p -> p.getFileName().toString())).containsExactly(
                    "report.csv");
        }
    }

    private static Map<String, Long> listing(Path d) throws IOException {
        Map<String, Long> m = new TreeMap<>();
        try (Stream<Path> s = Files.walk(d)) {
            for (Path p : s.toList()) {
                m.put(d.relativize(p).toString(), Files.isRegularFile(p) ? Files.size(p) : -1L);
            }
        }
        return m;
    }
}
