package mastodon.s3sync.ops;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.net.ConnectException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;

import javax.management.MBeanServer;
import javax.management.ObjectName;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import mastodon.s3sync.Application;
import mastodon.s3sync.testing.Await;
import mastodon.s3sync.testing.LogCapture;
import mastodon.s3sync.testing.Ports;
import mastodon.s3sync.testing.PostgresExtension;
import mastodon.s3sync.testing.PostgresServer;
import mastodon.s3sync.testing.S3Server;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;

/**
 * One `run` against real servers, inspected from outside while it works: the management endpoints on the loopback
 * interface only, the product's meters and health checks, a route file edited while running (the new route applies
 * to the next objects, the copy checkpoint and counters carry on), and logs without stack traces or secrets.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
@ExtendWith(PostgresExtension.class)
class OperationsTest {

    private static final String SOURCE_SECRET = "source-secret-Zq81x";
    private static final String TARGET_SECRET = "target-secret-Kp27y";
    private static final String DB = "ops";

    static PostgresServer pg;
    static S3Server source;
    static S3Server target;

    @TempDir
    Path work;

    /** The kit's PostgreSQL; stores of its own, with the distinctive secrets the logs must not show. */
    @BeforeAll
    static void servers(PostgresServer shared) throws Exception {
        pg = shared;
        source = new S3Server("source-key", SOURCE_SECRET, null);
        target = new S3Server("target-key", TARGET_SECRET, null);
        source.createBucket("media-src");
        target.createBucket("media-dst");
        pg.createDatabase(DB);
        try (Connection c = pg.dataSource(DB).getConnection(); Statement s = c.createStatement()) {
            s.execute(new String(OperationsTest.class.getResourceAsStream("/mastodon-schema/mastodon-4.6.sql").readAllBytes(),
                    StandardCharsets.UTF_8));
        }
    }

    @AfterAll
    static void stopServers() throws Exception {
        for (AutoCloseable c : new AutoCloseable[] {target, source}) {
            if (c != null) {
                c.close();
            }
        }
    }

    @Test
    void inspectReloadAndLogWhileRunning() throws Exception {
        // rows 1 and 3 have their object at the source; row 2's object is missing (an expected condition)
        backup(1, true);
        backup(2, false);
        backup(3, true);
        copyRoutes(work.resolve("routes"));
        int port = freePort();
        Map<String, String> env = env(port);

        LogCapture capture = captureLogs();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        AtomicInteger exit = new AtomicInteger(-1);
        Thread app = new Thread(() -> exit.set(new Application(env, new PrintStream(out, true), new PrintStream(err,
                true), work).run(new String[] {"run"})), "app-under-test");
        app.start();
        try {
            waitFor("rows 1 and 3 copied", () -> {
                assertThat(app.isAlive()).as("run ended early: " + err.toString(StandardCharsets.UTF_8)).isTrue();
                return exists(1) && exists(3) && checkpoint() == 3;
            }, 60);
            assertThat(cacheControl(1)).isEqualTo("public, max-age=315576000, immutable");
            HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
            String base = "http://127.0.0.1:" + port;

            // health: the database, both stores, the routes
            HttpResponse<String> health = get(http, base + "/observe/health", Map.of());
            assertThat(health.statusCode()).as(health.body()).isEqualTo(200);
            assertThat(health.body()).startsWith("{\"status\":\"UP\"").contains("database-mastodonDb", "store-sourceS3-media-src",
                    "store-targetS3-media-dst", "route:copy-object");
            assertThat(health.body()).doesNotContain("\"DOWN\"");
            // Camel's own checks, without the class-path scan that found two of them at every start (0.8 s of run's
            // start; application.properties)
            assertThat(health.body()).contains("\"name\":\"context\"", "\"name\":\"route-controller\"",
                    "\"name\":\"consumer:copy-workers\"");

            // metrics: the product's counters, gauges and the copy latency timer
            waitFor("counters scraped", () -> metrics(http, base).contains(
                    "mastodon_copy_objects_total{outcome=\"copied\",table=\"backups\"} 2.0"), 10);
            String metrics = metrics(http, base);
            assertThat(metrics).contains(
                    "mastodon_copy_objects_total{outcome=\"missing_at_source\",table=\"backups\"} 1.0",
                    "mastodon_copy_objects_total{outcome=\"skipped\",table=\"backups\"} 0.0",
                    "mastodon_copy_objects_total{outcome=\"failed\",table=\"backups\"} 0.0",
                    "mastodon_copy_bytes_total{table=\"backups\"} 16.0",
                    "mastodon_copy_checkpoint_id{table=\"backups\"} 3.0",
                    "mastodon_copy_checkpoint_created_seconds{table=\"backups\"} NaN",
                    "mastodon_copy_queue_depth 0.0",
                    "mastodon_copy_object_seconds_count{camelContext=\"mastodon-s3-sync\",table=\"backups\"} 2",
                    "mastodon_copy_rows_done{table=\"backups\"} 3.0",
                    "mastodon_copy_rows_expected{table=\"backups\"} 3.0",
                    "camel_exchanges_total");

            // Jolokia for Hawtio: health and metrics above needed no credentials; Jolokia does, from the users file
            // made on first start (readable by this user only)
            Path users = work.resolve("state-home/mastodon-s3-sync/jolokia-users.properties");
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(users))).isEqualTo("rw-------");
            assertThat(Files.readString(users)).containsPattern("(?m)^user\\.hawtio = [A-Za-z0-9_-]{24}$");
            Map<String, String> auth = Map.of("Authorization", SecretsTest.basicAuth(users));
            String uptime = base + "/observe/jolokia/read/java.lang:type=Runtime/Uptime";
            assertThat(get(http, uptime, Map.of()).statusCode()).isEqualTo(401);
            assertThat(get(http, base + "/observe/jolokia", Map.of()).statusCode()).isEqualTo(401);
            assertThat(get(http, uptime, Map.of("Authorization", "Basic " + java.util.Base64.getEncoder()
                    .encodeToString("hawtio:guessed".getBytes(StandardCharsets.UTF_8)))).statusCode()).isEqualTo(401);
            // no operation without them: stopping a route is refused and the route runs on
            HttpResponse<String> anonymousStop = post(http, base + "/observe/jolokia", Map.of(), "{\"type\":\"exec\","
                    + "\"mbean\":\"org.apache.camel:context=mastodon-s3-sync,type=routes,name=\\\"copy-object\\\"\","
                    + "\"operation\":\"stop()\"}");
            assertThat(anonymousStop.statusCode()).isEqualTo(401);
            assertThat(anonymousStop.body()).doesNotContain("\"status\":200");
            assertThat(routeState("copy-object")).isEqualTo("Started");
            HttpResponse<String> jolokia = get(http, uptime, auth);
            assertThat(jolokia.statusCode()).as(jolokia.body()).isEqualTo(200);
            assertThat(jolokia.body()).contains("\"status\":200");
            HttpResponse<String> camelRoute = get(http, base + "/observe/jolokia/read/org.apache.camel:context="
                    + "mastodon-s3-sync,type=routes,name=%22copy-object%22/ExchangesCompleted", auth);
            assertThat(camelRoute.body()).contains("\"status\":200", "\"value\":");
            HttpResponse<String> progress = get(http, base + "/observe/jolokia/read/mastodon.s3sync:"
                    + "type=CopyProgress,table=backups", auth);
            assertThat(progress.body()).contains("\"status\":200", "\"Copied\":2", "\"Missing\":1",
                    "\"Checkpoint\":3", "\"RowsExpected\":3", "\"RowsInFlight\":0");
            // web pages: Hawtio's address (its proxy forwards the browser's Origin) passes; any other page, even on
            // localhost, gets 403 with the reason, logged once per origin
            assertThat(get(http, uptime, with(auth, "Origin", "http://localhost:8080")).body()).contains("\"status\":200");
            for (int i = 0; i < 2; i++) {
                HttpResponse<String> otherPage = get(http, uptime, with(auth, "Origin", "http://localhost:3000"));
                assertThat(otherPage.statusCode()).isEqualTo(403);
                assertThat(otherPage.body()).contains("origin http://localhost:3000", "management.jolokia-origins",
                        "http://localhost:8080").doesNotContain("\"status\":200");
            }
            HttpResponse<String> formPost = post(http, base + "/observe/jolokia", with(auth, "Origin",
                    "http://attacker.example"), "{\"type\":\"exec\",\"mbean\":\"org.apache.camel:context="
                    + "mastodon-s3-sync,type=routes,name=\\\"copy-object\\\"\",\"operation\":\"stop()\"}");
            assertThat(formPost.statusCode()).isEqualTo(403);
            assertThat(routeState("copy-object")).isEqualTo("Started");
            assertThat(get(http, uptime, with(auth, "Referer", "http://attacker.example/page.html")).statusCode())
                    .isEqualTo(403);
            HttpResponse<String> diag = get(http, base + "/observe/jolokia/exec/com.sun.management:"
                    + "type=DiagnosticCommand/vmSystemProperties()", auth);
            assertThat(diag.body()).doesNotContain("\"status\":200").doesNotContain(SOURCE_SECRET);
            assertThat(capture.text().lines().filter(l -> l.contains("WARN") && l.contains("origin http://localhost:3000")))
                    .hasSize(1);

            // bound to the loopback interface only
            InetAddress other = nonLoopbackAddress();
            if (other != null) {
                try (Socket s = new Socket()) {
                    org.junit.jupiter.api.Assertions.assertThrows(ConnectException.class,
                            () -> s.connect(new InetSocketAddress(other, port), 2000));
                }
            }

            // following: a new row is copied as before
            backup(4, true);
            waitFor("row 4 copied", () -> exists(4) && checkpoint() == 4, 30);
            assertThat(cacheControl(4)).isEqualTo("public, max-age=315576000, immutable");

            // live edit: the copy route now writes another Cache-Control; objects after the reload get it
            Path routeFile = work.resolve("routes/copy.camel.yaml");
            String routes = Files.readString(routeFile);
            String before = "constant: \"public, max-age=315576000, immutable\"";
            assertThat(routes).contains(before);
            Path edited = work.resolve("copy.camel.yaml.new"); // saved as editors do: write, then rename
            assertThat(copyThrottle()).isEqualTo(1000); // copy.requests-per-second
            // management.step-mbeans=named: an MBean for each step a route names (id:), none for the others
            assertThat(processorIds()).contains("copy-throttle", "get-source", "put-target", "s3-get-source",
                    "s3-put-target", "page-media-attachments-query", "page-accounts-split",
                    "head-target-object-request", "skip-up-to-date")
                    .noneMatch(id -> id.matches("[a-zA-Z]+[0-9]+"))
                    // verify's routes are verify.camel.yaml's, which run does not build
                    .doesNotContain("verify-throttle", "verify-judge");
            String throttle = "constant: \"{{copy.requests-per-second}}\"\n            timePeriodMillis: \"1000\"\n"
                    + "        - log:";
            assertThat(routes).contains(throttle); // copy-object's throttle
            Files.writeString(edited, routes.replace(before, "constant: \"public, max-age=60\"")
                    .replace(throttle, throttle.replace("{{copy.requests-per-second}}", "7")));
            Files.move(edited, routeFile, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            int[] next = {5};
            waitFor("an object copied by the edited route", () -> {
                int id = next[0];
                if (exists(id)) {
                    if ("public, max-age=60".equals(cacheControl(id))) {
                        return true;
                    }
                    next[0]++;
                }
                if (!hasRow(next[0])) {
                    backup(next[0], true);
                }
                return false;
            }, 60);
            int last = next[0];
            assertThat(copyThrottle()).isEqualTo(7);
            waitFor("the checkpoint follows the new rows", () -> checkpoint() == last, 20);
            // rows done before the reload were not paged again: nothing was skipped, nothing copied twice
            waitFor("counters after the reload", () -> metrics(http, base).contains(
                    "mastodon_copy_objects_total{outcome=\"copied\",table=\"backups\"} " + (last - 1) + ".0"), 10);
            assertThat(metrics(http, base)).contains(
                    "mastodon_copy_objects_total{outcome=\"skipped\",table=\"backups\"} 0.0",
                    "mastodon_copy_objects_total{outcome=\"missing_at_source\",table=\"backups\"} 1.0");
            assertThat(cacheControl(1)).isEqualTo("public, max-age=315576000, immutable");

            // a route file saved broken: Camel drops the routes; health says so; saving it fixed brings them back
            String good = Files.readString(routeFile);
            Files.writeString(edited, good + "\n- route:\n    id: broken\n    from: [unclosed\n");
            Files.move(edited, routeFile, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            // (while Camel reloads, the health endpoint can answer 500 for a moment: wait for its settled answer)
            // (the watcher can see the rename as more than one change, so check one answer, not two in a row)
            AtomicReference<String> down = new AtomicReference<>();
            waitFor("health DOWN after a broken route file", () -> {
                String h = health(http, base);
                down.set(h);
                return h.startsWith("503 ") && h.contains("route(s) not running");
            }, 20);
            assertThat(down.get()).contains("\"name\":\"routes-loaded\",\"status\":\"DOWN\"",
                    "copy-object", "page-backups");
            Files.writeString(edited, good);
            Files.move(edited, routeFile, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            waitFor("health UP after the file is fixed", () -> health(http, base).startsWith("200 "), 20);
            int afterFix = last + 1;
            backup(afterFix, true);
            waitFor("a row copied after the fix", () -> exists(afterFix) && checkpoint() == afterFix, 30);
        } finally {
            stopCamel();
            app.join(60_000);
            capture.close();
        }
        assertThat(app.isAlive()).isFalse();
        assertThat(ManagementFactory.getPlatformMBeanServer().isRegistered(
                new ObjectName("mastodon.s3sync:type=CopyProgress,table=backups"))).isFalse();
        // a long-running command stopped from outside (Hawtio, SIGTERM) ends normally
        assertThat(exit.get()).isEqualTo(Application.OK);

        // logs: the missing object is one line, no stack trace anywhere, no secret anywhere
        String logs = capture.text();
        String all = logs + out.toString(StandardCharsets.UTF_8) + err.toString(StandardCharsets.UTF_8);
        assertThat(all).contains("backups id 2: backups/dumps/000/000/002/original/dump-2.zip is missing at the "
                + "source; reported, not copied");
        assertThat(all.lines().filter(l -> l.contains("id 2:")).count()).isEqualTo(1);
        assertThat(all.lines().filter(l -> l.startsWith("\tat ") || l.matches("^\\s+at [\\w.$]+\\(.*")))
                .as(all).isEmpty();
        assertThat(all).doesNotContain(SOURCE_SECRET, TARGET_SECRET);
        // every log line is one event: time, level, logger, message (nothing glued on, nothing spilling over)
        assertThat(logs.lines().filter(l -> !l.matches("^\\d\\d:\\d\\d:\\d\\d\\.\\d{3} [A-Z]+ .*")))
                .as(logs).isEmpty();
    }

    // ---- helpers ----

    private Map<String, String> env(int port) {
        Map<String, String> env = new HashMap<>();
        env.put("S3_BUCKET", "media-src");
        env.put("S3_ENDPOINT", source.endpoint());
        env.put("S3_REGION", "us-east-1");
        env.put("AWS_ACCESS_KEY_ID", source.accessKey);
        env.put("AWS_SECRET_ACCESS_KEY", SOURCE_SECRET);
        env.put("TARGET_S3_BUCKET", "media-dst");
        env.put("TARGET_S3_ENDPOINT", target.endpoint());
        env.put("TARGET_S3_REGION", "us-east-1");
        env.put("TARGET_AWS_ACCESS_KEY_ID", target.accessKey);
        env.put("TARGET_AWS_SECRET_ACCESS_KEY", TARGET_SECRET);
        env.put("DB_HOST", pg.host());
        env.put("DB_PORT", Integer.toString(pg.port()));
        env.put("DB_NAME", DB);
        env.put("DB_USER", pg.user());
        env.put("DB_PASS", "");
        env.put("COPY_POLL_INTERVAL", "300");
        env.put("COPY_CHECKPOINT_INTERVAL", "200");
        env.put("COPY_STATE_DIR", work.resolve("state").toString());
        env.put("XDG_STATE_HOME", work.resolve("state-home").toString());
        env.put("MANAGEMENT_PORT", Integer.toString(port));
        return env;
    }

    /** A backups row; with its object at the source first, so that a poll never sees the row without it. */
    private static void backup(long id, boolean withObject) {
        if (withObject) {
            try (S3Client s3 = source.client()) {
                s3.putObject(r -> r.bucket("media-src").key(key(id)), RequestBody.fromString("backup " + id));
            }
        }
        try (Connection c = pg.dataSource(DB).getConnection(); Statement s = c.createStatement()) {
            s.execute("INSERT INTO backups (id, user_id, dump_file_name, dump_content_type) VALUES (" + id
                    + ", 1, 'dump-" + id + ".zip', 'application/zip')");
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static boolean hasRow(long id) {
        try (Connection c = pg.dataSource(DB).getConnection(); Statement s = c.createStatement();
             var rs = s.executeQuery("SELECT 1 FROM backups WHERE id = " + id)) {
            return rs.next();
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String key(long id) {
        return String.format("backups/dumps/000/000/%03d/original/dump-%d.zip", id, id);
    }

    private static boolean exists(long id) {
        try (S3Client s3 = target.client()) {
            s3.headObject(r -> r.bucket("media-dst").key(key(id)));
            return true;
        } catch (NoSuchKeyException e) {
            return false;
        } catch (software.amazon.awssdk.services.s3.model.S3Exception e) {
            if (e.statusCode() == 404) {
                return false;
            }
            throw e;
        }
    }

    private static String cacheControl(long id) {
        try (S3Client s3 = target.client()) {
            return s3.headObject(r -> r.bucket("media-dst").key(key(id))).cacheControl();
        }
    }

    private long checkpoint() {
        Path f = work.resolve("state/copy-backups.checkpoint");
        try {
            return Files.isRegularFile(f) ? Long.parseLong(Files.readAllLines(f).get(0)) : -1;
        } catch (IOException | NumberFormatException e) {
            return -1;
        }
    }

    /** "STATUS BODY" of /observe/health. */
    private static String health(HttpClient http, String base) {
        try {
            HttpResponse<String> r = get(http, base + "/observe/health", Map.of());
            return r.statusCode() + " " + r.body();
        } catch (Exception e) {
            return "";
        }
    }

    private static String metrics(HttpClient http, String base) {
        try {
            return get(http, base + "/observe/metrics", Map.of()).body();
        } catch (Exception e) {
            return "";
        }
    }

    private static Map<String, String> with(Map<String, String> headers, String name, String value) {
        Map<String, String> m = new HashMap<>(headers);
        m.put(name, value);
        return m;
    }

    private static HttpResponse<String> post(HttpClient http, String url, Map<String, String> headers, String body)
            throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(20))
                .POST(HttpRequest.BodyPublishers.ofString(body));
        headers.forEach(b::header);
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** The state of a route, from its JMX MBean. */
    private static String routeState(String routeId) throws Exception {
        MBeanServer mbeans = ManagementFactory.getPlatformMBeanServer();
        for (ObjectName n : mbeans.queryNames(new ObjectName("org.apache.camel:type=routes,*"), null)) {
            if (routeId.equals(mbeans.getAttribute(n, "RouteId"))) {
                return (String) mbeans.getAttribute(n, "State");
            }
        }
        return "absent";
    }

    private static HttpResponse<String> get(HttpClient http, String url, Map<String, String> headers)
            throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(20));
        headers.forEach(b::header);
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static void waitFor(String what, java.util.concurrent.Callable<Boolean> condition, int seconds)
            throws Exception {
        Await.until(Duration.ofSeconds(seconds), condition, what);
    }

    private static void copyRoutes(Path dir) throws IOException {
        Files.createDirectories(dir);
        try (Stream<Path> files = Files.list(Path.of("routes"))) {
            for (Path f : (Iterable<Path>) files::iterator) {
                Files.copy(f, dir.resolve(f.getFileName()));
            }
        }
    }

    private static int freePort() throws IOException {
        return Ports.free();
    }

    private static InetAddress nonLoopbackAddress() throws IOException {
        for (NetworkInterface n : Collections.list(NetworkInterface.getNetworkInterfaces())) {
            if (n.isUp() && !n.isLoopback()) {
                for (InetAddress a : Collections.list(n.getInetAddresses())) {
                    if (a instanceof Inet4Address) {
                        return a;
                    }
                }
            }
        }
        return null;
    }

    /** The maximum requests per period of copy-object's throttle, from its JMX MBean (as Hawtio shows it). */
    private static long copyThrottle() throws Exception {
        MBeanServer mbeans = ManagementFactory.getPlatformMBeanServer();
        for (ObjectName n : mbeans.queryNames(new ObjectName("org.apache.camel:type=processors,*"), null)) {
            if ("copy-object".equals(mbeans.getAttribute(n, "RouteId"))
                    && "throttle".equals(mbeans.getAttribute(n, "ProcessorName"))) {
                return ((Number) mbeans.getAttribute(n, "MaximumRequests")).longValue();
            }
        }
        throw new AssertionError("no throttle MBean for copy-object");
    }

    /** The ids of the route steps that have a JMX MBean. */
    private static List<String> processorIds() throws Exception {
        MBeanServer mbeans = ManagementFactory.getPlatformMBeanServer();
        List<String> ids = new ArrayList<>();
        for (ObjectName n : mbeans.queryNames(new ObjectName("org.apache.camel:type=processors,*"), null)) {
            ids.add((String) mbeans.getAttribute(n, "ProcessorId"));
        }
        return ids;
    }

    /** Ends the `run` as an operator would from Hawtio: the CamelContext MBean's stop operation. */
    private static void stopCamel() throws Exception {
        MBeanServer mbeans = ManagementFactory.getPlatformMBeanServer();
        Set<ObjectName> names = mbeans.queryNames(new ObjectName("org.apache.camel:type=context,*"), null);
        for (ObjectName n : names) {
            mbeans.invoke(n, "stop", null, null);
        }
    }

    /** The root logger in the product's layout (src/main/resources/log4j2.properties), not the tests' console one. */
    private static LogCapture captureLogs() {
        java.util.Properties product = new java.util.Properties();
        try (var in = OperationsTest.class.getResourceAsStream("/log4j2.properties")) {
            product.load(in);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return new LogCapture("", product.getProperty("appender.out.layout.pattern")
                .replace("${env:LOG_STACKTRACE:-short.message}", "short.message"));
    }
}
