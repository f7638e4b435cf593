package mastodon.s3sync.recover;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.camel.builder.NotifyBuilder;
import org.apache.camel.main.MainConfigurationProperties;
import org.apache.camel.spi.Registry;
import org.apache.camel.test.junit5.CamelContextConfiguration;
import org.apache.camel.test.junit5.TestExecutionConfiguration;
import org.apache.camel.test.main.junit5.CamelMainTestSupport;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import mastodon.s3sync.JobControl;
import mastodon.s3sync.testing.PostgresExtension;
import mastodon.s3sync.testing.PostgresServer;

/**
 * routes/recover-subscriptions.camel.yaml and its -errors file on their own (Camel Main test kit) against a real
 * PostgreSQL: the branches of the pass (blank, malformed, refused and other lines; a vanished log; the dry run; a
 * command that cannot run; the database failing), seen through stdout, the exit code and NotifyBuilder.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
@ExtendWith(PostgresExtension.class)
abstract class RecoverRouteTestSupport extends CamelMainTestSupport {

    private static final String PUSH = "\"http.rb/4.4.1 (Mastodon/PubSubHubbub; +https://remote.example/)\"";

    private static final AtomicInteger DATABASES = new AtomicInteger();

    static PostgresServer pg;
    static String db;

    @TempDir
    static Path dir;

    final ByteArrayOutputStream out = new ByteArrayOutputStream();
    final AtomicInteger exitCode = new AtomicInteger(-1);
    JobControl job;

    @BeforeAll
    static void database(PostgresServer shared) throws Exception {
        pg = shared;
        db = "recover_routes_" + DATABASES.incrementAndGet();
        pg.createDatabase(db);
        try (Connection c = pg.dataSource(db).getConnection(); Statement s = c.createStatement()) {
            s.execute(new String(RecoverRouteTestSupport.class.getResourceAsStream("/mastodon-schema/mastodon-4.6.sql")
                    .readAllBytes(), StandardCharsets.UTF_8));
            s.execute("INSERT INTO accounts (id, username, domain) VALUES (1, 'admin', NULL), "
                    + "(101, 'alice', 'remote.example'), (102, 'carol', 'other.example')");
            s.execute("INSERT INTO follows (account_id, target_account_id) VALUES (1, 101), (101, 102)");
        }
        Files.writeString(dir.resolve("access.log"), String.join("\n",
                "203.0.113.7 - - [20/Nov/2026:09:15:02 +0000] \"POST /api/subscriptions/101 HTTP/1.1\" 404 0 \"-\" " + PUSH,
                "203.0.113.7 - - [20/Nov/2026:09:16:02 +0000] \"POST /api/subscriptions/101 HTTP/1.1\" 429 0 \"-\" " + PUSH,
                "198.51.100.4 - - [20/Nov/2026:09:17:00 +0000] \"POST /api/subscriptions/102 HTTP/1.1\" 302 0 \"-\" " + PUSH,
                "",
                "#{not a log line} {{recover.command}} ${bean:jobControl?method=finish(0)}",
                "203.0.113.7 - - [20/Nov/2026:09:22:00 +0000] \"POST /api/subscriptions/999 HTTP/1.1\" 404 0 \"-\" " + PUSH)
                + "\n");
    }

    @Override
    protected void configure(MainConfigurationProperties configuration) {
        configuration.withRoutesIncludePattern(
                "file:routes/recover-subscriptions.camel.yaml,file:routes/recover-subscriptions-errors.camel.yaml");
    }

    @Override
    public void configureTest(TestExecutionConfiguration configuration) {
        super.configureTest(configuration);
        configuration.withUseAdviceWith(true);
    }

    @Override
    public void configureContext(CamelContextConfiguration configuration) {
        super.configureContext(configuration);
        Properties p = new Properties();
        p.setProperty("recover.resubscribe", Boolean.toString(resubscribe()));
        p.setProperty("recover.ssh.host", "127.0.0.1");
        p.setProperty("recover.ssh.user", "mastodon");
        p.setProperty("recover.ssh.key-file", dir.resolve("no-key").toString());
        // the vanished log is given up after 2 s instead of 10 (the file that is there is found at the first poll)
        p.setProperty("recover.log-wait-millis", "2000");
        p.setProperty("management.enabled", "false");
        p.setProperty("management.jolokia-enabled", "false");
        p.setProperty("camel.metrics.enabled", "false");
        p.setProperty("camel.main.routes-reload-enabled", "false");
        configuration.withUseOverridePropertiesWithPropertiesComponent(p);
    }

    /** recover.resubscribe for this class. */
    abstract boolean resubscribe();

    @Override
    protected void bindToRegistry(Registry registry) throws Exception {
        List<Path> logs = List.of(dir.resolve("access.log"), dir.resolve("vanished.log"));
        SshTarget ssh = new SshTarget("127.0.0.1", 22, "mastodon", dir.resolve("no-key"), dir.resolve("known_hosts"),
                true);
        job = new JobControl(() -> { });
        registry.bind("jobControl", job);
        registry.bind("nginxCombinedLog", new NginxCombinedLog());
        registry.bind("droppedSubscriptionRule", new DroppedSubscriptionRule(null, null, null));
        registry.bind("subscriptionRecovery", new SubscriptionRecovery(logs, new ResubscribeCommand("resubscribe ID"),
                ssh, resubscribe(), dir.resolve("report-" + System.nanoTime() + ".csv"),
                new PrintStream(out, true, StandardCharsets.UTF_8)));
        registry.bind("recoverHostKeys", new HostKeyCheck(ssh));
        registry.bind("mastodonDb", pg.dataSource(db));
    }

    /** Runs the one pass (the timer route) and returns stdout. */
    String pass() throws Exception {
        NotifyBuilder done = new NotifyBuilder(context).fromRoute("recover-subscriptions")
                .filter(e -> e.getProperty(org.apache.camel.Exchange.SPLIT_INDEX) == null).whenDone(1).create();
        context.start();
        assertThat(done.matches(60, TimeUnit.SECONDS)).isTrue();
        return out.toString(StandardCharsets.UTF_8);
    }
}
