package mastodon.s3sync.recover;

import static org.assertj.core.api.Assertions.assertThat;

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

import org.apache.camel.CamelContext;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.PluginHelper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

/** routes/recover-follow.camel.yaml with the real stream component on a growing log file. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class FollowAccessLogRouteTest {

    private static final String PUSH = "\"http.rb/4.4.1 (Mastodon/PubSubHubbub; +https://remote.example/)\"";

    @TempDir
    Path dir;

    private static String line(ZonedDateTime t, String path, int status, String ua) {
        return "203.0.113.7 - - [" + DateTimeFormatter.ofPattern("dd/MMM/yyyy:HH:mm:ss Z", Locale.ENGLISH).format(t)
                + "] \"POST " + path + " HTTP/1.1\" " + status + " 0 \"-\" " + ua + "\n";
    }

    @Test
    void countsOnlyNewRefusedCallbacks() throws Exception {
        Path log = dir.resolve("access.log");
        ZonedDateTime old = ZonedDateTime.of(2020, 1, 1, 0, 0, 0, 0, ZoneOffset.UTC);
        Files.writeString(log, line(old, "/api/subscriptions/1", 404, PUSH) + line(old, "/api/subscriptions/2", 302, PUSH));

        DroppedSubscriptionCounter counter = new DroppedSubscriptionCounter(log, Clock.systemUTC());
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        try (CamelContext ctx = new DefaultCamelContext()) {
            Properties p = new Properties();
            p.setProperty("recover.follow-log", log.toString());
            ctx.getPropertiesComponent().setOverrideProperties(p);
            ctx.getRegistry().bind("nginxCombinedLog", new NginxCombinedLog());
            ctx.getRegistry().bind("droppedSubscriptionRule", new DroppedSubscriptionRule(null, null, null));
            ctx.getRegistry().bind("droppedSubscriptionCounter", counter);
            ctx.getRegistry().bind("metricsRegistry", meters);
            PluginHelper.getRoutesLoader(ctx).loadRoutes(
                    PluginHelper.getResourceLoader(ctx).resolveResource("file:" + Path.of("routes/recover-follow.camel.yaml").toAbsolutePath()));
            ctx.start();

            ZonedDateTime now = ZonedDateTime.now(ZoneOffset.ofHours(1));
            Files.writeString(log, line(now, "/api/subscriptions/101", 404, PUSH)
                    + line(now, "/api/subscriptions/101", 429, PUSH)
                    + "garbage\n"
                    + line(now, "/api/subscriptions/102", 404, "\"Mozilla/5.0\"")
                    + line(now, "/api/subscriptions/103", 301, PUSH), StandardCharsets.UTF_8, StandardOpenOption.APPEND);

            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while ((counter.getDropped() < 2 || counter.getMalformed() < 1) && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }
            Thread.sleep(1500); // nothing more arrives
            assertThat(counter.getDropped()).isEqualTo(2);
            assertThat(counter.getMalformed()).isEqualTo(1);
            Counter c = meters.find("mastodon.dropped.subscriptions").counter();
            assertThat(c).isNotNull();
            assertThat(c.count()).isEqualTo(2.0);

            // logrotate: the file moves away, nginx writes a new one
            Files.move(log, dir.resolve("access.log.1"));
            Files.writeString(log, line(now, "/api/subscriptions/104", 410, PUSH));
            deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (counter.getDropped() < 3 && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }
            Thread.sleep(1500);
            assertThat(counter.getDropped()).isEqualTo(3);
            assertThat(c.count()).isEqualTo(3.0);
        }
    }

    @Test
    void hostileLinesAreCountedOnceAndTheFollowerKeepsGoing() throws Exception {
        Path log = dir.resolve("access.log");
        Files.writeString(log, "");
        DroppedSubscriptionCounter counter = new DroppedSubscriptionCounter(log, Clock.systemUTC());
        try (CamelContext ctx = new DefaultCamelContext()) {
            Properties p = new Properties();
            p.setProperty("recover.follow-log", log.toString());
            ctx.getPropertiesComponent().setOverrideProperties(p);
            ctx.getRegistry().bind("nginxCombinedLog", new NginxCombinedLog());
            ctx.getRegistry().bind("droppedSubscriptionRule", new DroppedSubscriptionRule(null, null, null));
            ctx.getRegistry().bind("droppedSubscriptionCounter", counter);
            ctx.getRegistry().bind("metricsRegistry", new SimpleMeterRegistry());
            PluginHelper.getRoutesLoader(ctx).loadRoutes(
                    PluginHelper.getResourceLoader(ctx).resolveResource("file:" + Path.of("routes/recover-follow.camel.yaml").toAbsolutePath()));
            ctx.start();

            // the corpus of RecoverHostileLogTest (old dates: no refused callback counts, 11 malformed lines, 2 blank
            // ones), long and escape-heavy lines, then a new refused callback
            ZonedDateTime now = ZonedDateTime.now(ZoneOffset.UTC);
            try (java.io.OutputStream o = Files.newOutputStream(log, StandardOpenOption.APPEND)) {
                o.write(getClass().getResourceAsStream("/recover/hostile-access.txt").readAllBytes());
                // a W3C/IIS header line and a property placeholder: plain text to a log reader, never a bean
                // reference or a setting
                o.write("#Fields: date time cs-uri\n1.2.3.4 - - {{recover.follow-log}} {{no.such.key}}\n"
                        .getBytes(StandardCharsets.UTF_8));
                o.write(("\"".repeat(50_000) + "\n" + "A".repeat(2 * 1024 * 1024) + "\n" + "1.2.3.4 - - [x] \""
                        + "\\\"".repeat(30_000) + "\n" + line(now, "/api/subscriptions/" + "9".repeat(5_000), 404, PUSH)
                        + line(now, "/api/subscriptions/105", 404, PUSH)).getBytes(StandardCharsets.UTF_8));
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (counter.getDropped() < 2 && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }
            Thread.sleep(1500); // nothing more arrives
            assertThat(counter.getMalformed()).isEqualTo(16);
            assertThat(counter.getDropped()).isEqualTo(2);
        }
    }
}
