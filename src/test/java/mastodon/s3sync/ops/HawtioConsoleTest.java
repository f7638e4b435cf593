package mastodon.s3sync.ops;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

import mastodon.s3sync.testing.Await;
import mastodon.s3sync.Application;
import mastodon.s3sync.testing.Ports;
import mastodon.s3sync.testing.PostgresServer;
import mastodon.s3sync.testing.S3Server;

/**
 * A real Hawtio 4 (io.hawt:hawtio-war from Maven Central, in Tomcat 10.1 from Maven Central) in front of a real `run`:
 * Hawtio's proxy reaches the product's Jolokia with the credentials, shows the Camel routes, is refused with 401
 * without them and with 403 (and the reason) when Hawtio is opened at an address the product does not allow.
 * Needs the Tomcat directory with hawtio.war deployed: .ci/hawtio-check.sh prepares it and runs this test
 * ({@code -Dhawtio.tomcat=DIR}); the ordinary test run skips it.
 */
@EnabledIfSystemProperty(named = "hawtio.tomcat", matches = ".+")
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class HawtioConsoleTest {

    @TempDir
    Path work;

    @Test
    void hawtioConnectsWithTheCredentialsOnly() throws Exception {
        Path tomcat = Path.of(System.getProperty("hawtio.tomcat"));
        try (PostgresServer pg = new PostgresServer();
             S3Server source = new S3Server("source-key", "source-secret", null);
             S3Server target = new S3Server("target-key", "target-secret", null)) {
            int hawtioPort = freePort(); // once the servers hold theirs
            int port = freePort();
            String hawtio = "http://localhost:" + hawtioPort;
            source.createBucket("src");
            target.createBucket("dst");
            pg.createDatabase("hawtio");
            try (InputStream in = getClass().getResourceAsStream("/mastodon-schema/mastodon-4.6.sql");
                 Connection c = pg.dataSource("hawtio").getConnection(); Statement s = c.createStatement()) {
                s.execute(new String(in.readAllBytes(), StandardCharsets.UTF_8));
            }
            Map<String, String> env = new HashMap<>();
            env.put("S3_BUCKET", "src");
            env.put("S3_ENDPOINT", source.endpoint());
            env.put("AWS_ACCESS_KEY_ID", source.accessKey);
            env.put("AWS_SECRET_ACCESS_KEY", source.secretKey);
            env.put("TARGET_S3_BUCKET", "dst");
            env.put("TARGET_S3_ENDPOINT", target.endpoint());
            env.put("TARGET_AWS_ACCESS_KEY_ID", target.accessKey);
            env.put("TARGET_AWS_SECRET_ACCESS_KEY", target.secretKey);
            env.put("DB_HOST", pg.host());
            env.put("DB_PORT", Integer.toString(pg.port()));
            env.put("DB_NAME", "hawtio");
            env.put("DB_USER", pg.user());
            env.put("COPY_STATE_DIR", work.resolve("state").toString());
            env.put("MANAGEMENT_PORT", Integer.toString(port));
            env.put("MANAGEMENT_JOLOKIA_ORIGINS", hawtio);
            env.put("APP_ROUTES_DIR", Path.of("routes").toAbsolutePath().toString());
            env.put("XDG_STATE_HOME", work.resolve("state-home").toString());
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            Thread app = new Thread(() -> new Application(env, new PrintStream(new ByteArrayOutputStream(), true),
                    new PrintStream(err, true), work).run(new String[] {"run"}), "run-under-hawtio");
            app.start();
            Process catalina = startTomcat(tomcat, hawtioPort);
            HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
            try {
                waitFor("run's management port", () -> get(http, "http://127.0.0.1:" + port + "/observe/health",
                        Map.of()).startsWith("200 "), 120);
                waitFor("Hawtio deployed", () -> get(http, hawtio + "/hawtio/", Map.of()).startsWith("200 "), 180);
                String auth = SecretsTest.basicAuth(work.resolve("state-home/mastodon-s3-sync/jolokia-users.properties"));
                // as the browser sends it to Hawtio's proxy (the page's Origin comes along)
                String proxy = hawtio + "/hawtio/proxy/http/127.0.0.1/" + port + "/observe/jolokia";
                String camel = "{\"type\":\"read\",\"mbean\":\"org.apache.camel:context=mastodon-s3-sync,type=routes,"
                        + "name=\\\"copy-object\\\"\",\"attribute\":\"State\"}";
                assertThat(post(http, proxy, Map.of("Origin", hawtio, "Authorization", auth), camel))
                        .startsWith("200 ").contains("\"value\":\"Started\"", "\"status\":200");
                // Hawtio's connect dialog sends the user and password it asks for in X-Jolokia-Authorization
                assertThat(post(http, proxy, Map.of("Origin", hawtio, "X-Jolokia-Authorization", auth), camel))
                        .startsWith("200 ").contains("\"value\":\"Started\"");
                assertThat(post(http, proxy, Map.of("Origin", hawtio), camel)).startsWith("401 ");
                assertThat(post(http, proxy, Map.of("Origin", hawtio, "X-Jolokia-Authorization", "Basic "
                        + java.util.Base64.getEncoder().encodeToString("hawtio:wrong".getBytes(StandardCharsets.UTF_8))),
                        camel)).startsWith("401 ");
                String elsewhere = post(http, proxy, Map.of("Origin", "http://127.0.0.1:" + hawtioPort,
                        "Authorization", auth), camel);
                assertThat(elsewhere).startsWith("403 ").contains("management.jolokia-origins");
                System.out.println("Hawtio at another address gets: " + elsewhere);
            } finally {
                catalina.destroy();
                catalina.waitFor(30, TimeUnit.SECONDS);
                SecretsTest.post(http, "http://127.0.0.1:" + port + "/observe/jolokia/",
                        SecretsTest.basicAuth(work.resolve("state-home/mastodon-s3-sync/jolokia-users.properties")),
                        "{\"type\":\"exec\",\"mbean\":\"org.apache.camel:context=mastodon-s3-sync,type=context,"
                                + "name=\\\"mastodon-s3-sync\\\"\",\"operation\":\"stop()\"}");
                app.join(60_000);
            }
            assertThat(err.toString(StandardCharsets.UTF_8).lines().filter(l -> l.contains("Jolokia refused")))
                    .hasSizeLessThanOrEqualTo(1);
        }
    }

    /** Tomcat with its own copy of conf/ (a free port on 127.0.0.1, no shutdown port), Hawtio's login off. */
    private Process startTomcat(Path tomcat, int hawtioPort) throws IOException {
        Path base = work.resolve("catalina-base");
        Files.createDirectories(base.resolve("logs"));
        Files.createDirectories(base.resolve("temp"));
        Files.createDirectories(base.resolve("webapps"));
        Files.createDirectories(base.resolve("conf"));
        try (var files = Files.list(tomcat.resolve("conf"))) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                Files.copy(f, base.resolve("conf").resolve(f.getFileName()));
            }
        }
        Path serverXml = base.resolve("conf/server.xml");
        Files.writeString(serverXml, Files.readString(serverXml)
                .replace("<Server port=\"8005\"", "<Server port=\"-1\"")
                .replace("<Connector port=\"8080\"", "<Connector address=\"127.0.0.1\" port=\"" + hawtioPort + "\""));
        Files.copy(tomcat.resolve("webapps/hawtio.war"), base.resolve("webapps/hawtio.war"));
        ProcessBuilder pb = new ProcessBuilder(List.of(tomcat.resolve("bin/catalina.sh").toString(), "run"))
                .redirectErrorStream(true).redirectOutput(work.resolve("catalina.out").toFile());
        pb.environment().put("CATALINA_BASE", base.toString());
        pb.environment().put("CATALINA_OPTS", "-Dhawtio.authenticationEnabled=false");
        pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
        return pb.start();
    }

    private static String get(HttpClient http, String url, Map<String, String> headers) {
        try {
            HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(20));
            headers.forEach(b::header);
            HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
            return r.statusCode() + " " + r.body();
        } catch (IOException e) {
            return "-1 " + e;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "-1";
        }
    }

    private static String post(HttpClient http, String url, Map<String, String> headers, String body)
            throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body));
        headers.forEach(b::header);
        HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
        return r.statusCode() + " " + r.body();
    }

    private static void waitFor(String what, BooleanSupplier condition, int seconds) throws Exception {
        Await.until(Duration.ofSeconds(seconds), condition::getAsBoolean, what);
    }

    private static int freePort() throws IOException {
        return Ports.free();
    }
}
