package mastodon.s3sync.ops;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;

import javax.management.MBeanAttributeInfo;
import javax.management.MBeanServer;
import javax.management.ObjectName;

import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.config.keys.writer.openssh.OpenSSHKeyEncryptionContext;
import org.apache.sshd.common.config.keys.writer.openssh.OpenSSHKeyPairResourceWriter;
import org.apache.sshd.common.keyprovider.KeyPairProvider;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import mastodon.s3sync.testing.Await;
import mastodon.s3sync.Application;
import mastodon.s3sync.testing.Ports;
import mastodon.s3sync.testing.PostgresServer;
import mastodon.s3sync.testing.RealServers;
import mastodon.s3sync.testing.S3Server;
import mastodon.s3sync.testing.SqsServer;
import mastodon.s3sync.testing.SshTunnelServer;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * Every command, with distinctive secret values from the three places they come from (the environment, Mastodon's env
 * file, ./application.properties), logging through the product's log configuration at LOG_LEVEL=CAMEL_LOG_LEVEL=TRACE
 * (copy) or DEBUG (the others) with full stack traces: none of the secrets appears in stdout, stderr, the log,
 * the state directory (checkpoints, JSON reports, CSV report, Jolokia users), the mirrored files, any MBean attribute
 * of the JVM, what Jolokia shows Hawtio, the metrics or the health output. TRACE logs all DEBUG and INFO log.
 */
@Timeout(value = 240, unit = TimeUnit.SECONDS)
@RealServers
class SecretsTest {

    static final String SOURCE_SECRET = "srcSECRETq7Wm2";
    static final String TARGET_SECRET = "dstSECRETk4Zp9";
    static final String DB_PASSWORD = "dbPASSWORDx3Rv8";
    static final String PASSPHRASE = "sshPASSPHRASEj6Tn1";
    static final List<String> SECRETS = List.of(SOURCE_SECRET, TARGET_SECRET, DB_PASSWORD, PASSPHRASE);
    static final String KEY = "media_attachments/files/000/000/001/original/a1b2c3d4e5f6a7b1.mp3";

    static PostgresServer pg;
    static S3Server source;
    static S3Server target;
    static SqsServer sqs;
    static SqsClient q;
    static SshTunnelServer ssh;
    static KeyPair clientKey;

    @TempDir
    Path work;

    /** The kit's PostgreSQL, ElasticMQ and SSH server; stores of its own, with the distinctive secrets. */
    @BeforeAll
    static void servers(PostgresServer sharedPg, SqsServer sharedSqs, SshTunnelServer sharedSsh) throws Exception {
        pg = sharedPg;
        pg.createDatabase("secrets");
        try (InputStream in = SecretsTest.class.getResourceAsStream("/mastodon-schema/mastodon-4.6.sql");
             Connection c = pg.dataSource("secrets").getConnection(); Statement s = c.createStatement()) {
            s.execute(new String(in.readAllBytes(), StandardCharsets.UTF_8));
            s.execute("INSERT INTO media_attachments (id, file_file_name, file_content_type, file_file_size) VALUES "
                    + "(1, 'a1b2c3d4e5f6a7b1.mp3', 'audio/mpeg', 5)");
            s.execute("INSERT INTO accounts (id, username, domain) VALUES (1, 'admin', NULL), (101, 'alice', "
                    + "'remote.example')");
            s.execute("INSERT INTO follows (account_id, target_account_id) VALUES (1, 101)");
        }
        source = new S3Server("source-access", SOURCE_SECRET, null);
        target = new S3Server("target-access", TARGET_SECRET, null);
        source.createBucket("src");
        target.createBucket("dst");
        try (S3Client c = source.client()) {
            c.putObject(b -> b.bucket("src").key(KEY), RequestBody.fromString("audio"));
        }
        sqs = sharedSqs;
        q = sqs.client();
        ssh = sharedSsh;
        clientKey = KeyUtils.generateKeyPair(KeyPairProvider.SSH_ED25519, 256);
        ssh.authorize(clientKey.getPublic());
    }

    @AfterAll
    static void stop() throws Exception {
        for (AutoCloseable c : new AutoCloseable[] {q, target, source}) {
            if (c != null) {
                c.close();
            }
        }
    }

    @Test
    void noCommandShowsASecretAnywhere() throws Exception {
        // the passphrase-protected key of the database's SSH tunnel; the passphrase is in ./application.properties
        writeEncryptedKey(work.resolve("id_ed25519"));
        Files.writeString(work.resolve("known_hosts"), ssh.knownHostsLine() + "\n");
        Files.writeString(work.resolve("application.properties"), "db.tunnel.key-passphrase=" + PASSPHRASE + "\n");
        // the database password in Mastodon's env file, as DB_PASS and inside DATABASE_URL
        Files.writeString(work.resolve(".env.production"), "DATABASE_URL=postgresql://" + pg.user() + ":" + DB_PASSWORD
                + "@127.0.0.1:" + pg.port() + "/secrets\nDB_PASS=" + DB_PASSWORD + "\n");
        Files.createDirectories(work.resolve("nginx"));
        Files.writeString(work.resolve("nginx/access.log"), "203.0.113.7 - - [20/Nov/2026:09:15:02 +0000] \"POST "
                + "/api/subscriptions/101 HTTP/1.1\" 404 162 \"-\" \"http.rb/4.4.1 (Mastodon/PubSubHubbub; "
                + "+https://remote.example/)\"\n");
        String queue = "secrets-events";
        String queueUrl = q.createQueue(r -> r.queueName(queue)).queueUrl();
        Files.createDirectories(work.resolve("mirrored"));
        Files.writeString(work.resolve("mirror.json"), "{\"queue\": \"" + queue + "\", \"sync\": {\"media_attachments/\": \""
                + work.resolve("mirrored") + "\"}}");

        Map<String, Output> outputs = new LinkedHashMap<>();
        outputs.put("config", command("DEBUG", "config", "--env-file", ".env.production"));
        outputs.put("copy", command("TRACE", "copy", "--env-file", ".env.production"));
        assertThat(outputs.get("copy").code()).as(outputs.get("copy").err()).isZero();
        outputs.put("verify", command("DEBUG", "verify", "--env-file", ".env.production"));
        assertThat(outputs.get("verify").code()).as(outputs.get("verify").err()).isZero();
        outputs.put("recover-subscriptions", command("DEBUG", "recover-subscriptions", "--env-file", ".env.production",
                "--log", "nginx/access.log"));
        assertThat(outputs.get("recover-subscriptions").out()).contains("alice@remote.example");

        // mirror, then run: inspected from outside while they work, then stopped through Jolokia
        q.sendMessage(r -> r.queueUrl(queueUrl).messageBody(event(KEY)));
        Map<String, String> inspected = new LinkedHashMap<>();
        Path mirrored = work.resolve("mirrored/" + KEY.substring("media_attachments/".length()));
        outputs.put("mirror", longRunning(inspected, "DEBUG", () -> Files.exists(mirrored), "mirror", "--config",
                "mirror.json"));
        outputs.put("run", longRunning(inspected, "DEBUG", () -> true, "run", "--env-file", ".env.production"));

        // the commands did their work, with the secrets
        assertThat(outputs.get("config").out()).contains("db.password", "source.secret-key", "db.tunnel.key-passphrase");
        assertThat(target.client().headObject(r -> r.bucket("dst").key(KEY)).contentLength()).isEqualTo(5);
        try (Stream<Path> state = Files.list(work.resolve("state"))) {
            assertThat(state.map(p -> p.getFileName().toString())).contains("copy-report.json", "verify-report.json",
                    "recover-subscriptions.csv");
        }
        assertThat(inspected.get("run jolokia")).contains("mastodon.s3sync:table=media_attachments,type=CopyProgress");
        assertThat(inspected.get("run health")).contains("database-mastodonDb", "store-sourceS3-src");
        assertThat(inspected.get("mirror metrics")).contains("mastodon_mirror");

        List<String> leaks = new ArrayList<>();
        outputs.forEach((cmd, o) -> {
            leaks.addAll(leaks(cmd + " stdout", o.out()));
            leaks.addAll(leaks(cmd + " stderr", o.err()));
            leaks.addAll(leaks(cmd + " log", o.log()));
            if (!cmd.equals("config")) {
                assertThat(o.log().lines().count()).as(cmd + " logged at DEBUG/TRACE").isGreaterThan(500);
            }
        });
        inspected.forEach((what, text) -> leaks.addAll(leaks(what, text)));
        leaks.addAll(leaks("state directory", files(work.resolve("state"))));
        leaks.addAll(leaks("mirror state directory", files(work.resolve("state-home"))));
        leaks.addAll(leaks("mirrored directory", files(work.resolve("mirrored"))));
        assertThat(leaks).isEmpty();
    }

    // ---- helpers ----

    record Output(int code, String out, String err, String log) {
    }

    private Map<String, String> env(int managementPort) {
        Map<String, String> env = new HashMap<>();
        env.put("S3_BUCKET", "src");
        env.put("S3_ENDPOINT", source.endpoint());
        env.put("AWS_ACCESS_KEY_ID", source.accessKey);
        env.put("AWS_SECRET_ACCESS_KEY", SOURCE_SECRET);
        env.put("AWS_REGION", "us-east-1");
        env.put("AWS_ENDPOINT_URL_SQS", sqs.endpoint());
        env.put("AWS_ENDPOINT_URL_S3", source.endpoint());
        env.put("TARGET_S3_BUCKET", "dst");
        env.put("TARGET_S3_ENDPOINT", target.endpoint());
        env.put("TARGET_AWS_ACCESS_KEY_ID", target.accessKey);
        env.put("TARGET_AWS_SECRET_ACCESS_KEY", TARGET_SECRET);
        env.put("DB_TUNNEL_HOST", "127.0.0.1");
        env.put("DB_TUNNEL_PORT", Integer.toString(ssh.port()));
        env.put("DB_TUNNEL_USER", SshTunnelServer.USER);
        env.put("DB_TUNNEL_KEY_FILE", work.resolve("id_ed25519").toString());
        env.put("DB_TUNNEL_KNOWN_HOSTS", work.resolve("known_hosts").toString());
        env.put("COPY_POLL_INTERVAL", "500");
        env.put("COPY_STATE_DIR", work.resolve("state").toString());
        env.put("XDG_STATE_HOME", work.resolve("state-home").toString());
        env.put("RECOVER_REPORT_FILE", work.resolve("state/recover-subscriptions.csv").toString());
        env.put("MIRROR_WAIT_TIME_SECONDS", "1");
        env.put("MANAGEMENT_PORT", Integer.toString(managementPort));
        env.put("APP_ROUTES_DIR", Path.of("routes").toAbsolutePath().toString());
        return env;
    }

    /** The tunnel's key in OpenSSH format, encrypted with the passphrase (one KDF round: the test stays fast). */
    private static void writeEncryptedKey(Path file) throws Exception {
        OpenSSHKeyEncryptionContext enc = new OpenSSHKeyEncryptionContext();
        enc.setCipherName("AES");
        enc.setCipherType("256");
        enc.setCipherMode("CTR");
        enc.setKdfRounds(1);
        enc.setPassword(PASSPHRASE);
        try (OutputStream out = Files.newOutputStream(file)) {
            OpenSSHKeyPairResourceWriter.INSTANCE.writePrivateKey(clientKey, "tunnel key", enc, out);
        }
    }

    /** A command in this JVM, logging as the product does with LOG_LEVEL=CAMEL_LOG_LEVEL=level into a file. */
    private Output command(String level, String... args) throws Exception {
        return finished(args[0], start(level, 0, args));
    }

    private record Started(Thread thread, int[] code, ByteArrayOutputStream out, ByteArrayOutputStream err,
                           Path logFile, URI logConfigBefore, PrintStream sysOut, PrintStream sysErr) {
    }

    private Started start(String level, int managementPort, String... args) throws IOException {
        Path logFile = work.resolve("logs/" + args[0] + ".log");
        LoggerContext ctx = (LoggerContext) LogManager.getContext(false);
        URI before = ctx.getConfigLocation();
        ctx.setConfigLocation(productLogging(level, logFile).toUri());
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
        PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8);
        Started s = new Started(null, new int[] {-1}, out, err, logFile, before, System.out, System.err);
        System.setOut(o); // what libraries print straight to the console counts too
        System.setErr(e);
        Map<String, String> env = env(managementPort);
        Thread t = new Thread(() -> s.code()[0] = new Application(env, o, e, work).run(args), "command-" + args[0]);
        t.start();
        return new Started(t, s.code(), out, err, logFile, before, s.sysOut(), s.sysErr());
    }

    private Output finished(String name, Started s) throws Exception {
        s.thread().join(120_000);
        System.setOut(s.sysOut());
        System.setErr(s.sysErr());
        ((LoggerContext) LogManager.getContext(false)).setConfigLocation(s.logConfigBefore());
        assertThat(s.thread().isAlive()).as(name + " ended").isFalse();
        Output o = new Output(s.code()[0], s.out().toString(StandardCharsets.UTF_8),
                s.err().toString(StandardCharsets.UTF_8), Files.readString(s.logFile()));
        System.out.println("---- " + name + " -> " + o.code() + ", " + o.log().lines().count() + " log lines\n" + o.out()
                + o.err());
        return o;
    }

    /** src/main/resources/log4j2.properties with LOG_LEVEL=CAMEL_LOG_LEVEL=level and full stack traces, to a file. */
    private Path productLogging(String level, Path logFile) throws IOException {
        String p = Files.readString(Path.of("src/main/resources/log4j2.properties"))
                .replace("${env:LOG_LEVEL:-INFO}", level).replace("${env:CAMEL_LOG_LEVEL:-WARN}", level)
                .replace("${env:LOG_STACKTRACE:-short.message}", "full")
                .replace("appender.out.type = Console", "appender.out.type = File")
                .replace("appender.out.target = SYSTEM_ERR", "appender.out.fileName = " + logFile);
        assertThat(p).contains("= " + level, "fileName");
        // this JVM also runs the test's servers: they are not the product
        p += "\nlogger.s3proxy.name = org.gaul\nlogger.s3proxy.level = ERROR\nlogger.jetty.name = org.eclipse.jetty\n"
                + "logger.jetty.level = ERROR\nlogger.zonky.name = io.zonky\nlogger.zonky.level = ERROR\n"
                + "logger.elasticmq.name = org.elasticmq\nlogger.elasticmq.level = ERROR\n"
                + "logger.pekko.name = org.apache.pekko\nlogger.pekko.level = ERROR\n";
        Path f = work.resolve("log4j2-" + level + "-" + System.nanoTime() + ".properties");
        Files.writeString(f, p);
        return f;
    }

    /**
     * Starts a long-running command with its management port, waits until it works, reads its health, metrics, every
     * MBean attribute in this JVM and everything Jolokia shows Hawtio (with the generated credentials), then stops it
     * through Jolokia as Hawtio would.
     */
    private Output longRunning(Map<String, String> inspected, String level, BooleanSupplier working, String... args)
            throws Exception {
        String name = args[0];
        int port = freePort();
        Started s = start(level, port, args);
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        String base = "http://127.0.0.1:" + port + "/observe";
        try {
            waitFor(name + " health UP", () -> s.thread().isAlive() && get(http, base + "/health", null)
                    .startsWith("200 "), 120);
            waitFor(name + " working", working::getAsBoolean, 60);
            inspected.put(name + " health", get(http, base + "/health", null));
            inspected.put(name + " metrics", get(http, base + "/metrics", null));
            inspected.put(name + " mbeans", mbeanAttributes());
            String auth = basicAuth(work.resolve("state-home/mastodon-s3-sync/jolokia-users.properties"));
            inspected.put(name + " jolokia", post(http, base + "/jolokia/?ignoreErrors=true", auth,
                    "{\"type\":\"read\",\"mbean\":\"*:*\"}"));
            assertThat(inspected.get(name + " jolokia")).startsWith("200 ").contains("org.apache.camel:");
        } finally {
            String stopped = post(http, base + "/jolokia/", basicAuth(work.resolve("state-home/mastodon-s3-sync/jolokia-users.properties")),
                    "{\"type\":\"exec\",\"mbean\":\"org.apache.camel:context=mastodon-s3-sync,type=context,"
                            + "name=\\\"mastodon-s3-sync\\\"\",\"operation\":\"stop()\"}");
            if (!stopped.contains("\"status\":200")) {
                stopCamel();
            }
        }
        return finished(name, s);
    }

    /** Every readable attribute of every MBean of this JVM, as text. */
    private static String mbeanAttributes() throws Exception {
        MBeanServer server = ManagementFactory.getPlatformMBeanServer();
        StringBuilder sb = new StringBuilder();
        for (ObjectName n : server.queryNames(null, null)) {
            for (MBeanAttributeInfo a : server.getMBeanInfo(n).getAttributes()) {
                if (!a.isReadable()) {
                    continue;
                }
                try {
                    Object v = server.getAttribute(n, a.getName());
                    sb.append(n).append(' ').append(a.getName()).append(" = ")
                            .append(v instanceof Object[] arr ? java.util.Arrays.deepToString(arr) : v).append('\n');
                } catch (Exception | Error e) {
                    // an attribute that cannot be read (unsupported operation, a stopped service) shows nothing
                }
            }
        }
        return sb.toString();
    }

    private static void stopCamel() throws Exception {
        MBeanServer mbeans = ManagementFactory.getPlatformMBeanServer();
        for (ObjectName n : mbeans.queryNames(new ObjectName("org.apache.camel:type=context,*"), null)) {
            mbeans.invoke(n, "stop", null, null);
        }
    }

    static String basicAuth(Path usersFile) {
        try {
            String line = Files.readAllLines(usersFile).stream().filter(l -> l.startsWith("user.")).findFirst()
                    .orElseThrow();
            String user = line.substring(5, line.indexOf('=')).strip();
            String password = line.substring(line.indexOf('=') + 1).strip();
            return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    static String post(HttpClient http, String url, String auth, String body) {
        try {
            HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30))
                    .POST(HttpRequest.BodyPublishers.ofString(body));
            if (auth != null) {
                b.header("Authorization", auth);
            }
            HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
            return r.statusCode() + " " + r.body();
        } catch (IOException e) {
            return "-1 " + e;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "-1 interrupted";
        }
    }

    static String event(String key) {
        return "{\"Records\":[{\"eventVersion\":\"2.1\",\"eventSource\":\"aws:s3\",\"awsRegion\":\"us-east-1\","
                + "\"eventTime\":\"2026-11-21T10:00:00.000Z\",\"eventName\":\"ObjectCreated:Put\","
                + "\"s3\":{\"s3SchemaVersion\":\"1.0\",\"bucket\":{\"name\":\"src\"},\"object\":{\"key\":\"" + key
                + "\",\"size\":5,\"eTag\":\"0123456789abcdef\",\"sequencer\":\"0055AED6DCD90281E5\"}}}]}";
    }

    static String get(HttpClient http, String url, String auth) {
        try {
            HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10));
            if (auth != null) {
                b.header("Authorization", auth);
            }
            HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
            return r.statusCode() + " " + r.body();
        } catch (IOException e) {
            return "-1 " + e;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "-1 interrupted";
        }
    }

    static void waitFor(String what, java.util.concurrent.Callable<Boolean> condition, int seconds) throws Exception {
        Await.until(Duration.ofSeconds(seconds), condition, what);
    }

    static int freePort() throws IOException {
        return Ports.free();
    }

    static List<String> leaks(String where, String text) {
        List<String> found = new ArrayList<>();
        text.lines().forEach(line -> {
            for (String s : SECRETS) {
                if (line.contains(s)) {
                    found.add(where + ": " + (line.length() > 300 ? line.substring(0, 300) + "..." : line));
                }
            }
        });
        return found;
    }

    /** Every file under root: its path and its bytes as text. */
    static String files(Path root) throws IOException {
        StringBuilder sb = new StringBuilder();
        if (!Files.exists(root)) {
            return "";
        }
        try (Stream<Path> s = Files.walk(root)) {
            for (Path p : s.filter(Files::isRegularFile).toList()) {
                sb.append(p).append('\n').append(new String(Files.readAllBytes(p), StandardCharsets.ISO_8859_1))
                        .append('\n');
            }
        }
        return sb.toString();
    }
}
