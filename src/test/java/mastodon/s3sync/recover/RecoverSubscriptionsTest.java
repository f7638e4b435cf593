package mastodon.s3sync.recover;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPOutputStream;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import mastodon.s3sync.Application;
import mastodon.s3sync.testing.PostgresServer;
import mastodon.s3sync.testing.RealServers;
import mastodon.s3sync.testing.RecordingSshServer;

/**
 * recover-subscriptions end to end: real-looking nginx logs (one plain, one gzip-rotated), a real PostgreSQL with
 * Mastodon's accounts/follows, and for --resubscribe a real SSH server that records the commands it receives.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
@RealServers
class RecoverSubscriptionsTest {

    private static final String PUSH = "\"http.rb/4.4.1 (Mastodon/PubSubHubbub; +https://remote.example/)\"";

    /** Today's log: every kind of line nginx writes, and a few it should not. */
    static final String ACCESS_LOG = String.join("\n",
            "203.0.113.7 - - [20/Nov/2026:09:15:02 +0000] \"POST /api/subscriptions/101 HTTP/1.1\" 404 162 \"-\" " + PUSH,
            // rate limited: the peer retries, the subscription is not dropped
            "203.0.113.7 - - [20/Nov/2026:09:16:02 +0000] \"POST /api/subscriptions/101 HTTP/1.1\" 429 0 \"-\" " + PUSH,
            "198.51.100.4 - - [20/Nov/2026:09:17:00 +0000] \"GET /api/subscriptions/102?hub.mode=subscribe&hub.challenge=x"
                    + " HTTP/1.1\" 302 5 \"-\" " + PUSH,
            "198.51.100.4 - - [20/Nov/2026:09:18:00 +0000] \"POST /api/subscriptions/102 HTTP/1.1\" 200 0 \"-\" " + PUSH,
            "192.0.2.10 - - [20/Nov/2026:09:19:00 +0000] \"POST /api/subscriptions/103 HTTP/1.1\" 410 0 \"-\" " + PUSH,
            // server errors: the peer retries
            "192.0.2.10 - - [20/Nov/2026:09:19:30 +0000] \"POST /api/subscriptions/103 HTTP/1.1\" 503 0 \"-\" " + PUSH,
            // a browser, not a peer
            "10.1.1.1 - - [20/Nov/2026:09:20:00 +0000] \"GET /api/subscriptions/104 HTTP/1.1\" 404 0 \"-\" "
                    + "\"Mozilla/5.0 (X11; Linux x86_64; rv:120.0) Gecko/20100101 Firefox/120.0\"",
            "this is not an access log line",
            "10.1.1.1 - - [20/Nov/2026:09:20:01 +0000] \"GET /about HTTP/2.0\" 200 3081 \"https://search.example/?q=\\x22"
                    + "mastodon\\x22\" \"Mozilla/5.0 (compatible)\"",
            "203.0.113.7 - - [20/Nov/2026:09:21:00 +0000] \"POST /api/subscriptions/2 HTTP/1.1\" 401 0 \"-\" " + PUSH,
            "203.0.113.7 - - [20/Nov/2026:09:22:00 +0000] \"POST /api/subscriptions/999 HTTP/1.1\" 404 0 \"-\" " + PUSH,
            "",
            // nginx was stopped while writing
            "203.0.113.7 - - [20/Nov/2026:09:2") + "\n";

    /** Yesterday's log, rotated and compressed, written in another time zone. */
    static final String ROTATED_LOG = String.join("\n",
            "203.0.113.7 - - [19/Nov/2026:01:00:00 -0700] \"POST /api/subscriptions/101 HTTP/1.1\" 301 0 \"-\" " + PUSH,
            "203.0.113.7 - - [19/Nov/2026:02:00:00 -0700] \"POST /api/subscriptions/101 HTTP/1.1\" 404 0 \"-\" " + PUSH,
            "192.0.2.10 - - [19/Nov/2026:03:00:00 -0700] \"POST /api/subscriptions/103 HTTP/1.1\" 404 0 \"-\" " + PUSH,
            "<html>not even close</html>",
            "10.2.2.2 - - [19/Nov/2026:03:00:01 -0700] \"\\x16\\x03\\x01\\x00\\xA5\" 400 157 \"-\" \"-\"") + "\n";

    static final String HEADER = "Refused subscription callbacks in 2 log files: 17 lines read, 3 malformed (skipped), "
            + "8 matching requests for 5 account ids.\n";
    static final String TABLE = String.join("\n",
            "ID   ACCOUNT               HITS  FIRST SEEN            LAST SEEN             STATUS   LOCAL FOLLOWERS  VERDICT",
            "101  alice@remote.example  3     2026-11-19T08:00:00Z  2026-11-20T09:15:02Z  301 404  1                recover",
            "103  dave@third.example    2     2026-11-19T10:00:00Z  2026-11-20T09:19:00Z  404 410  2                recover",
            "102  carol@other.example   1     2026-11-20T09:17:00Z  2026-11-20T09:17:00Z  302      0                ignore: no local followers",
            "2    bob (local)           1     2026-11-20T09:21:00Z  2026-11-20T09:21:00Z  401      0                ignore: local account",
            "999  -                     1     2026-11-20T09:22:00Z  2026-11-20T09:22:00Z  404      -                unknown id") + "\n";
    static final String COUNTS = "\n2 to recover, 2 to ignore, 1 unknown.\n";
    static final String CSV_HEADER = "id,account,hits,first_seen,last_seen,statuses,local_followers,verdict,resubscribe\n";
    static final String CSV_IGNORED = String.join("\n",
            "102,carol@other.example,1,2026-11-20T09:17:00Z,2026-11-20T09:17:00Z,302,0,ignore: no local followers,",
            "2,bob (local),1,2026-11-20T09:21:00Z,2026-11-20T09:21:00Z,401,0,ignore: local account,",
            "999,,1,2026-11-20T09:22:00Z,2026-11-20T09:22:00Z,404,,unknown id,") + "\n";

    static PostgresServer pg;

    @TempDir
    Path dir;
    Path report;
    Map<String, String> env;
    ByteArrayOutputStream out;
    ByteArrayOutputStream err;

    @BeforeAll
    static void database(PostgresServer shared) throws Exception {
        pg = shared;
        pg.createDatabase("recover_subscriptions");
        try (Connection c = pg.dataSource("recover_subscriptions").getConnection(); Statement s = c.createStatement()) {
            s.execute(new String(RecoverSubscriptionsTest.class.getResourceAsStream("/mastodon-schema/mastodon-4.6.sql").readAllBytes(),
                    StandardCharsets.UTF_8));
            s.execute("INSERT INTO accounts (id, username, domain) VALUES (1, 'admin', NULL), (2, 'bob', NULL), "
                    + "(101, 'alice', 'remote.example'), (102, 'carol', 'other.example'), (103, 'dave', 'third.example'), "
                    + "(104, 'erin', 'fourth.example')");
            // 101: one local follower; 102: only a remote one; 103: two local ones and a remote one; 2 is local
            s.execute("INSERT INTO follows (account_id, target_account_id) VALUES (1, 101), (103, 102), (2, 103), "
                    + "(1, 103), (102, 103), (101, 2), (1, 104)");
        }
    }

    @BeforeEach
    void logs() throws IOException {
        Files.createDirectories(dir.resolve("nginx"));
        Files.writeString(dir.resolve("nginx/access.log"), ACCESS_LOG);
        try (OutputStream o = new GZIPOutputStream(Files.newOutputStream(dir.resolve("nginx/access.log.2.gz")))) {
            o.write(ROTATED_LOG.getBytes(StandardCharsets.UTF_8));
        }
        report = dir.resolve("out/report.csv");
        env = new HashMap<>(Map.of("DB_HOST", pg.host(), "DB_PORT", Integer.toString(pg.port()), "DB_NAME", "recover_subscriptions",
                "DB_USER", pg.user(), "RECOVER_REPORT_FILE", report.toString(),
                "APP_ROUTES_DIR", Path.of("routes").toAbsolutePath().toString()));
    }

    private int run(String... args) {
        out = new ByteArrayOutputStream();
        err = new ByteArrayOutputStream();
        return new Application(env, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), dir).run(args);
    }

    private String out() {
        return out.toString(StandardCharsets.UTF_8);
    }

    private static final String[] LOGS = {"recover-subscriptions", "--log", "nginx/access.log", "--log",
            "nginx/access.log.2.gz"};

    private static String[] args(String... more) {
        String[] a = java.util.Arrays.copyOf(LOGS, LOGS.length + more.length);
        System.arraycopy(more, 0, a, LOGS.length, more.length);
        return a;
    }

    @Test
    void reportsRefusedSubscriptionsAndPrintsTheCommandsItWouldRun() throws IOException {
        assertThat(run(args())).as(err.toString()).isEqualTo(0);
        assertThat(out()).isEqualTo(HEADER + "\n" + TABLE + COUNTS
                + "Commands that --resubscribe would run on the Mastodon host (RECOVER_SSH_HOST not set):\n"
                + "  cd ~/live && RAILS_ENV=production bundle exec rails runner 'SubscribeService.new.call(Account.find(101))'\n"
                + "  cd ~/live && RAILS_ENV=production bundle exec rails runner 'SubscribeService.new.call(Account.find(103))'\n"
                + "Report: " + report + "\n");
        assertThat(Files.readString(report)).isEqualTo(CSV_HEADER
                + "101,alice@remote.example,3,2026-11-19T08:00:00Z,2026-11-20T09:15:02Z,301 404,1,recover,not run (dry run)\n"
                + "103,dave@third.example,2,2026-11-19T10:00:00Z,2026-11-20T09:19:00Z,404 410,2,recover,not run (dry run)\n"
                + CSV_IGNORED);
    }

    @Test
    void resubscribesOverSshAndReportsEachCommandsExitStatusAndStderr() throws Exception {
        try (RecordingSshServer ssh = new RecordingSshServer("mastodon", c -> c.contains("find(103)")
                ? new RecordingSshServer.Answer(1, "ActiveRecord::RecordNotFound: Couldn't find Account with 'id'=103\n"
                        + "bin/rails:4:in `<main>'\n")
                : new RecordingSshServer.Answer(0, ""))) {
            sshEnv(ssh, ssh.knownHostsLine());
            // the failing account comes after the other one: reversed order proves one failure does not stop the rest
            env.put("RECOVER_COMMAND", "cd ~/live && RAILS_ENV=production bin/rails runner 'SubscribeService.new.call(Account.find(ID))'");
            assertThat(run(args("--resubscribe"))).as(err.toString()).isEqualTo(1);
            assertThat(ssh.commands()).containsExactly(
                    "cd ~/live && RAILS_ENV=production bin/rails runner 'SubscribeService.new.call(Account.find(101))'",
                    "cd ~/live && RAILS_ENV=production bin/rails runner 'SubscribeService.new.call(Account.find(103))'");
            assertThat(out()).isEqualTo(HEADER + "\n" + TABLE + COUNTS
                    + "Resubscribing on mastodon@127.0.0.1:" + ssh.port() + ":\n"
                    + "  101 alice@remote.example: ok (exit 0)\n"
                    + "  103 dave@third.example: FAILED (exit 1): ActiveRecord::RecordNotFound: Couldn't find Account with 'id'=103\n"
                    + "      bin/rails:4:in `<main>'\n"
                    + "\nResubscribed 1 of 2 accounts, 1 failed.\n"
                    + "Report: " + report + "\n");
            assertThat(Files.readString(report)).isEqualTo(CSV_HEADER
                    + "101,alice@remote.example,3,2026-11-19T08:00:00Z,2026-11-20T09:15:02Z,301 404,1,recover,ok (exit 0)\n"
                    + "103,dave@third.example,2,2026-11-19T10:00:00Z,2026-11-20T09:19:00Z,404 410,2,recover,"
                    + "\"FAILED (exit 1): ActiveRecord::RecordNotFound: Couldn't find Account with 'id'=103\nbin/rails:4:in `<main>'\"\n"
                    + CSV_IGNORED);
        }
    }

    @Test
    void allCommandsSucceedingExitsZeroWithAHashedKnownHostsEntry() throws Exception {
        try (RecordingSshServer ssh = new RecordingSshServer("mastodon", c -> new RecordingSshServer.Answer(0, "done\n"))) {
            // Debian and Ubuntu hash known_hosts entries (HashKnownHosts yes): |1|salt|HMAC-SHA1(salt, host)
            String line = ssh.knownHostsLine();
            String host = line.substring(0, line.indexOf(' '));
            byte[] salt = new byte[20];
            new java.security.SecureRandom().nextBytes(salt);
            javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA1");
            mac.init(new javax.crypto.spec.SecretKeySpec(salt, "HmacSHA1"));
            java.util.Base64.Encoder b64 = java.util.Base64.getEncoder();
            sshEnv(ssh, "|1|" + b64.encodeToString(salt) + "|"
                    + b64.encodeToString(mac.doFinal(host.getBytes(StandardCharsets.US_ASCII))) + line.substring(host.length()));
            assertThat(run(args("--resubscribe"))).as(err.toString()).isEqualTo(0);
            assertThat(ssh.commands()).hasSize(2);
            assertThat(out()).contains("  101 alice@remote.example: ok (exit 0): done\n",
                    "  103 dave@third.example: ok (exit 0): done\n", "Resubscribed 2 of 2 accounts, 0 failed.\n");
        }
    }

    @Test
    void refusesAHostWhoseKeyIsNotInKnownHosts() throws Exception {
        try (RecordingSshServer ssh = new RecordingSshServer("mastodon", c -> new RecordingSshServer.Answer(0, ""))) {
            // a known_hosts file that knows other hosts only
            sshEnv(ssh, "[127.0.0.1]:1 " + org.apache.sshd.common.config.keys.PublicKeyEntry.toString(
                    RecordingSshServer.newKey().getPublic()));
            assertThat(run(args("--resubscribe"))).isEqualTo(1);
            assertThat(ssh.commands()).isEmpty();
            assertThat(out()).containsPattern("  101 alice@remote.example: FAILED: the host key of 127.0.0.1:" + ssh.port()
                            + " \\(SHA256:[^)]+\\) is not in " + dir.resolve("known_hosts") + " \\(unknown host, or its key changed\\)")
                    .containsPattern("  103 dave@third.example: FAILED: the host key of 127.0.0.1:")
                    .contains("Resubscribed 0 of 2 accounts, 2 failed.");
        }
    }

    @Test
    void refusesAHostWhoseKeyChanged() throws Exception {
        try (RecordingSshServer ssh = new RecordingSshServer("mastodon", c -> new RecordingSshServer.Answer(0, ""))) {
            sshEnv(ssh, ssh.knownHostsLine(RecordingSshServer.newKey()));
            assertThat(run(args("--resubscribe"))).isEqualTo(1);
            assertThat(ssh.commands()).isEmpty();
            assertThat(out()).contains("  101 alice@remote.example: FAILED: the host key of 127.0.0.1:" + ssh.port(),
                    "Resubscribed 0 of 2 accounts, 2 failed.");
        }
    }

    @Test
    void aRefusedLoginIsReportedPerAccount() throws Exception {
        try (RecordingSshServer ssh = new RecordingSshServer("mastodon", c -> new RecordingSshServer.Answer(0, ""))) {
            sshEnv(ssh, ssh.knownHostsLine());
            env.put("RECOVER_SSH_USER", "deploy");
            assertThat(run(args("--resubscribe"))).isEqualTo(1);
            assertThat(ssh.commands()).isEmpty();
            assertThat(out()).contains("  101 alice@remote.example: FAILED: Failed to authenticate username deploy\n",
                    "  103 dave@third.example: FAILED: Failed to authenticate username deploy\n");
        }
    }

    @Test
    void aDamagedGzipFileIsReportedAndTheOtherLogsStillCount() throws Exception {
        byte[] gz = Files.readAllBytes(dir.resolve("nginx/access.log.2.gz"));
        Files.write(dir.resolve("nginx/access.log.2.gz"), java.util.Arrays.copyOf(gz, gz.length - 30));
        assertThat(run(args())).isEqualTo(1);
        assertThat(out()).startsWith("Refused subscription callbacks in 2 log files: 12 lines read, 2 malformed (skipped), "
                + "5 matching requests for 5 account ids.\n"
                + "1 log file could not be read to the end (access.log.2.gz: Unexpected end of ZLIB input stream).\n\n"
                + "ID   ACCOUNT               HITS  FIRST SEEN            LAST SEEN             STATUS  LOCAL FOLLOWERS  VERDICT\n"
                + "101  alice@remote.example  1     2026-11-20T09:15:02Z  2026-11-20T09:15:02Z  404     1                recover\n");
        assertThat(Files.readString(report)).startsWith(CSV_HEADER
                + "101,alice@remote.example,1,2026-11-20T09:15:02Z,2026-11-20T09:15:02Z,404,1,recover,not run (dry run)\n");
    }

    @Test
    void badInputStopsBeforeAnythingRuns() throws Exception {
        assertThat(run("recover-subscriptions")).isEqualTo(2);
        assertThat(err.toString()).contains("error: no log given");
        assertThat(run("recover-subscriptions", "--log", "nginx/missing.log")).isEqualTo(2);
        assertThat(err.toString()).contains("error: the log file nginx/missing.log cannot be read");
        assertThat(run(args("--resubscribe"))).isEqualTo(2);
        assertThat(err.toString()).contains("error: --resubscribe needs the Mastodon host");
        env.put("RECOVER_STATUSES", "4xx,!42");
        assertThat(run(args())).isEqualTo(2);
        assertThat(err.toString()).contains("error: recover.statuses '4xx,!42': '42' is not a status term");
        env.remove("RECOVER_STATUSES");
        env.put("DB_PORT", "1");
        assertThat(run(args())).isEqualTo(2);
        assertThat(err.toString()).contains("error: cannot connect to the PostgreSQL database 'recover_subscriptions'");
        assertThat(out()).isEmpty();
    }

    private void sshEnv(RecordingSshServer ssh, String knownHostsLine) throws Exception {
        Path knownHosts = Files.writeString(dir.resolve("known_hosts"), knownHostsLine + "\n");
        env.putAll(Map.of("RECOVER_SSH_HOST", "127.0.0.1", "RECOVER_SSH_PORT", Integer.toString(ssh.port()),
                "RECOVER_SSH_USER", "mastodon",
                "RECOVER_SSH_KEY_FILE", ssh.writeClientKey(dir.resolve("id_ecdsa")).toString(),
                "RECOVER_SSH_KNOWN_HOSTS", knownHosts.toString()));
    }

    static List<String> lines(String s) {
        return List.of(s.split("\n"));
    }
}
