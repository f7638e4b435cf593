package mastodon.s3sync.recover;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

import org.apache.camel.builder.AdviceWith;
import org.apache.camel.builder.NotifyBuilder;
import org.apache.camel.main.MainConfigurationProperties;
import org.apache.camel.spi.Registry;
import org.apache.camel.test.junit5.TestExecutionConfiguration;
import org.apache.camel.test.main.junit5.CamelMainTestSupport;
import org.apache.camel.util.FileUtil;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

/**
 * routes/recover-follow.camel.yaml on its own (Camel Main test kit) with the real stream component on a growing log
 * file: only refused callbacks logged since the start count, malformed lines are counted once, a rotated log is
 * followed, and hostile lines neither stop the follower nor reach an expression. Each test starts the context once
 * its log file holds what was there before the start; NotifyBuilder counts the lines the route has done.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class FollowAccessLogRouteTest extends CamelMainTestSupport {

    private static final String PUSH = "\"http.rb/4.4.1 (Mastodon/PubSubHubbub; +https://remote.example/)\"";

    // set while the test instance is constructed (the Camel test kit asks for the properties then)
    private Path log;
    private DroppedSubscriptionCounter counter;
    private SimpleMeterRegistry meters;

    /** This test's log file, in a directory of its own. */
    private Path log() {
        if (log == null) {
            try {
                log = Files.createTempDirectory("follow-log").resolve("access.log");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            counter = new DroppedSubscriptionCounter(log, Clock.systemUTC());
            meters = new SimpleMeterRegistry();
        }
        return log;
    }

    private static String line(ZonedDateTime t, String path, int status, String ua) {
        return "203.0.113.7 - - [" + DateTimeFormatter.ofPattern("dd/MMM/yyyy:HH:mm:ss Z", Locale.ENGLISH).format(t)
                + "] \"POST " + path + " HTTP/1.1\" " + status + " 0 \"-\" " + ua + "\n";
    }

    @Override
    protected void doPostTearDown() {
        FileUtil.removeDir(log().getParent().toFile());
    }

    @Override
    protected void configure(MainConfigurationProperties configuration) {
        configuration.withRoutesIncludePattern("file:routes/recover-follow.camel.yaml");
    }

    @Override
    public void configureTest(TestExecutionConfiguration configuration) {
        super.configureTest(configuration);
        configuration.withUseAdviceWith(true); // started by the test, once the log holds its earlier lines
    }

    @Override
    protected Properties useOverridePropertiesWithPropertiesComponent() {
        Properties p = new Properties();
        p.setProperty("recover.follow-log", log().toString());
        p.setProperty("camel.main.routes-reload-enabled", "false");
        p.setProperty("management.enabled", "false");
        p.setProperty("management.jolokia-enabled", "false");
        p.setProperty("camel.metrics.enabled", "false");
        return p;
    }

    @Override
    protected void bindToRegistry(Registry registry) {
        log();
        registry.bind("nginxCombinedLog", new NginxCombinedLog());
        registry.bind("droppedSubscriptionRule", new DroppedSubscriptionRule(null, null, null));
        registry.bind("droppedSubscriptionCounter", counter);
        registry.bind("metricsRegistry", meters);
    }

    /** Waits until {@code done} matches (the lines read), then 1.5 s for {@code more} (one line more) not to. */
    private void awaitLines(NotifyBuilder done, NotifyBuilder more) {
        assertThat(done.matches(30, TimeUnit.SECONDS)).as("the lines read").isTrue();
        assertThat(more.matches(1500, TimeUnit.MILLISECONDS)).as("nothing more arrives").isFalse();
    }

    /** Matches once the follower has done {@code n} lines (blank ones included) from now on. */
    private NotifyBuilder lines(int n) {
        return new NotifyBuilder(context).fromRoute("follow-access-log").whenDone(n).create();
    }

    @Test
    void countsOnlyNewRefusedCallbacks() throws Exception {
        ZonedDateTime old = ZonedDateTime.of(2020, 1, 1, 0, 0, 0, 0, ZoneOffset.UTC);
        Files.writeString(log, line(old, "/api/subscriptions/1", 404, PUSH) + line(old, "/api/subscriptions/2", 302, PUSH));
        // the two lines there at the start, then five
        NotifyBuilder read = lines(7);
        NotifyBuilder more = lines(8);
        // the rotation check every 200 ms instead of the route's 5 s: the same check, found sooner
        AdviceWith.adviceWith(context, "follow-access-log-rotation",
                a -> a.replaceFromWith("timer:follow-access-log-rotation?period=200"));
        context.start();

        ZonedDateTime now = ZonedDateTime.now(ZoneOffset.ofHours(1));
        Files.writeString(log, line(now, "/api/subscriptions/101", 404, PUSH)
                + line(now, "/api/subscriptions/101", 429, PUSH)
                + "garbage\n"
                + line(now, "/api/subscriptions/102", 404, "\"Mozilla/5.0\"")
                + line(now, "/api/subscriptions/103", 301, PUSH), StandardCharsets.UTF_8, StandardOpenOption.APPEND);
        awaitLines(read, more);
        assertThat(counter.getDropped()).isEqualTo(2);
        assertThat(counter.getMalformed()).isEqualTo(1);
        Counter c = meters.find("mastodon.dropped.subscriptions").counter();
        assertThat(c).isNotNull();
        assertThat(c.count()).isEqualTo(2.0);

        // logrotate: the file moves away, nginx writes a new one (seen by the rotation check)
        NotifyBuilder rotated = lines(1);
        NotifyBuilder afterRotation = lines(2);
        Files.move(log, log.resolveSibling("access.log.1"));
        Files.writeString(log, line(now, "/api/subscriptions/104", 410, PUSH));
        awaitLines(rotated, afterRotation);
        assertThat(counter.getDropped()).isEqualTo(3);
        assertThat(c.count()).isEqualTo(3.0);
    }

    @Test
    void hostileLinesAreCountedOnceAndTheFollowerKeepsGoing() throws Exception {
        Files.writeString(log, "");
        context.start();

        // the corpus of RecoverHostileLogTest (old dates: no refused callback counts, 11 malformed lines, 2 blank
        // ones), long and escape-heavy lines, then a new refused callback
        ZonedDateTime now = ZonedDateTime.now(ZoneOffset.UTC);
        byte[] corpus = getClass().getResourceAsStream("/recover/hostile-access.txt").readAllBytes();
        // lines as the stream component reads them (BufferedReader.readLine: \n, \r and \r\n end a line)
        long corpusLines = new String(corpus, StandardCharsets.UTF_8).lines().count();
        NotifyBuilder read = lines((int) corpusLines + 7);
        NotifyBuilder more = lines((int) corpusLines + 8);
        try (java.io.OutputStream o = Files.newOutputStream(log, StandardOpenOption.APPEND)) {
            o.write(corpus);
            // a W3C/IIS header line and a property placeholder: plain text to a log reader, never a bean
            // reference or a setting
            o.write("#Fields: date time cs-uri\n1.2.3.4 - - {{recover.follow-log}} {{no.such.key}}\n"
                    .getBytes(StandardCharsets.UTF_8));
            o.write(("\"".repeat(50_000) + "\n" + "A".repeat(2 * 1024 * 1024) + "\n" + "1.2.3.4 - - [x] \""
                    + "\\\"".repeat(30_000) + "\n" + line(now, "/api/subscriptions/" + "9".repeat(5_000), 404, PUSH)
                    + line(now, "/api/subscriptions/105", 404, PUSH)).getBytes(StandardCharsets.UTF_8));
        }
        awaitLines(read, more);
        assertThat(counter.getMalformed()).isEqualTo(16);
        assertThat(counter.getDropped()).isEqualTo(2);
    }
}
