package mastodon.s3sync.mirror;

import static mastodon.s3sync.mirror.MirrorHarness.created;
import static mastodon.s3sync.mirror.MirrorHarness.message;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import javax.management.MBeanServer;
import javax.management.ObjectName;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import mastodon.s3sync.Application;
import mastodon.s3sync.testing.Await;
import mastodon.s3sync.testing.Ports;

/** The mirror seen from the management port: its event counters, the queue's depth, the queue's health check. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
@MirrorServers
class MirrorInspectionTest {

    @TempDir
    Path tmp;

    @Test
    void mirrorCountersQueueDepthAndHealth(MirrorHarness h) throws Exception {
        String queue = h.queue("inspect", 2, null);
        Path dir = tmp.resolve("srv");
        Path config = MirrorHarness.config(tmp, "{\"queue\": \"" + queue + "\", \"sync\": {\"site/\": \"" + dir
                + "\"}}");
        Path work = Files.createDirectories(tmp.resolve("work"));
        int port;
        port = Ports.free();
        h.put("site/a.txt", "hello");
        h.send(queue, message(created("site/a.txt", 5, "0010")));
        h.send(queue, "not json");

        AtomicInteger code = new AtomicInteger(-1);
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Map<String, String> env = h.env(Map.of("MANAGEMENT_PORT", Integer.toString(port),
                "MIRROR_BUCKET", MirrorHarness.BUCKET));
        Thread app = new Thread(() -> code.set(new Application(env, new PrintStream(new ByteArrayOutputStream()),
                new PrintStream(err, true), work).run(new String[] {"mirror", "--config", config.toString()})),
                "mirror-inspected");
        app.start();
        HttpClient http = HttpClient.newHttpClient();
        String base = "http://127.0.0.1:" + port + "/observe/";
        try {
            Await.until(Duration.ofSeconds(60), () -> Files.isRegularFile(dir.resolve("a.txt"))
                    && get(http, base + "metrics").contains("mastodon_mirror_events_total{camelContext=\"mastodon-s3-sync\",outcome=\"malformed\"} 1.0"),
                    "the event applied and counted (" + err + ")");
            String metrics = get(http, base + "metrics");
            assertThat(metrics).contains(
                    "mastodon_mirror_events_total{camelContext=\"mastodon-s3-sync\",outcome=\"created\"} 1.0",
                    "mastodon_mirror_events_total{camelContext=\"mastodon-s3-sync\",outcome=\"failed\"} 0.0",
                    "mastodon_mirror_resync_objects_total{camelContext=\"mastodon-s3-sync\",outcome=\"downloaded\"} 0.0",
                    "mastodon_queue_messages{queue=\"" + queue + "\",state=\"visible\"}")
                    .doesNotContain("mastodon_copy_");
            String health = get(http, base + "health");
            assertThat(health).startsWith("{\"status\":\"UP\"")
                    .contains("\"name\":\"queue-" + queue + "\",\"status\":\"UP\"", "\"name\":\"store-mirrorS3-" + MirrorHarness.BUCKET + "\",\"status\":\"UP\"",
                            "route:mirror-queue")
                    .doesNotContain("database-");
        } finally {
            MBeanServer mbeans = ManagementFactory.getPlatformMBeanServer();
            for (ObjectName n : mbeans.queryNames(new ObjectName("org.apache.camel:type=context,*"), null)) {
                mbeans.invoke(n, "stop", null, null);
            }
            app.join(60_000);
        }
        assertThat(app.isAlive()).isFalse();
        assertThat(code.get()).isEqualTo(Application.OK);
    }

    private static String get(HttpClient http, String url) {
        try {
            return http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(20)).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
        } catch (Exception e) {
            return "";
        }
    }
}
