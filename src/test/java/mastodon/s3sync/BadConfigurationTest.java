package mastodon.s3sync;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every bad option, bad tunable value and missing required setting, in each form a user writes it (command-line
 * option, environment variable, env file variable, application.properties key): exit 2, one {@code error:} line that
 * names the setting as written and the fix, no stack trace, and nothing started. The stores and the database of the
 * baseline point at a closed port: a value that slipped through the checks would fail later, at the connection, with
 * another message.
 */
@Timeout(120)
class BadConfigurationTest {

    /** Stands in for Camel Main: counts the launches a bad configuration must never reach. */
    static final class RecordingLauncher implements Application.Launcher {
        final AtomicInteger launches = new AtomicInteger();

        @Override
        public int launch(List<String> routeFiles, Map<String, String> overrides) {
            launches.incrementAndGet();
            return 42;
        }
    }

    record Result(int code, String out, String err, int launches, long millis) {
        List<String> errorLines() {
            return Stream.concat(Arrays.stream(out.split("\n")), Arrays.stream(err.split("\n")))
                    .filter(l -> l.startsWith("error:")).toList();
        }
    }

    /**
     * @param env variables set (an empty value "" sets it empty, null removes it from the baseline)
     * @param files work-directory files to write first (name -> content; "dir/" makes a directory)
     * @param named the setting as the user wrote it, which the error line must name
     */
    record Case(String label, List<String> args, Map<String, String> env, Map<String, String> files, String named) {
        @Override
        public String toString() {
            return label;
        }
    }

    static Map<String, String> baseline() {
        Map<String, String> env = new HashMap<>();
        env.put("S3_BUCKET", "media");
        env.put("S3_ENDPOINT", "http://127.0.0.1:1");
        env.put("AWS_ACCESS_KEY_ID", "source-access");
        env.put("AWS_SECRET_ACCESS_KEY", "source-secret-never-printed");
        env.put("TARGET_S3_BUCKET", "media-new");
        env.put("TARGET_S3_ENDPOINT", "http://127.0.0.1:1");
        env.put("TARGET_AWS_ACCESS_KEY_ID", "target-access");
        env.put("TARGET_AWS_SECRET_ACCESS_KEY", "target-secret-never-printed");
        env.put("DB_HOST", "127.0.0.1");
        env.put("DB_PORT", "1");
        env.put("DB_NAME", "mastodon_production");
        env.put("DB_USER", "mastodon");
        env.put("DB_PASS", "db-password-never-printed");
        return env;
    }

    static Result run(Path dir, Map<String, String> envChanges, Map<String, String> files, List<String> args)
            throws Exception {
        for (Map.Entry<String, String> f : files.entrySet()) {
            if (f.getKey().endsWith("/")) {
                Files.createDirectories(dir.resolve(f.getKey()));
            } else {
                Files.writeString(dir.resolve(f.getKey()), f.getValue());
            }
        }
        Map<String, String> env = baseline();
        envChanges.forEach((k, v) -> {
            if (v == null) {
                env.remove(k);
            } else {
                env.put(k, v);
            }
        });
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        RecordingLauncher launcher = new RecordingLauncher();
        long t0 = System.nanoTime();
        int code = new Application(env, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), dir).launcher(launcher)
                .run(args.toArray(String[]::new));
        long millis = (System.nanoTime() - t0) / 1_000_000;
        return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8),
                launcher.launches.get(), millis);
    }

    private static final List<Case> CASES = new ArrayList<>();

    private static void option(String named, String... args) {
        CASES.add(new Case(String.join(" ", args), List.of(args), Map.of(), Map.of(), named));
    }

    /** The environment form, run with {@code command}. */
    private static void env(String command, String name, String value) {
        Map<String, String> e = new HashMap<>();
        e.put(name, value);
        CASES.add(new Case(command + " with " + name + "=" + value, List.of(command), e, Map.of(), name));
    }

    private static void removed(String name, String... args) {
        Map<String, String> e = new HashMap<>();
        e.put(name, null);
        CASES.add(new Case(String.join(" ", args) + " without " + name, List.of(args), e, Map.of(), name));
    }

    private static void property(String key, String value) {
        CASES.add(new Case("application.properties " + key + "=" + value, List.of("copy"), Map.of(),
                Map.of("application.properties", key + "=" + value + "\n"), key));
    }

    private static void envFile(String name, String value) {
        CASES.add(new Case("env file " + name + "=" + value, List.of("copy", "--env-file", "prod.env"), Map.of(),
                Map.of("prod.env", name + "=" + value + "\n"), name));
    }

    static {
        // ---- options ----
        option("--limit", "copy", "--limit", "-1");
        option("--limit", "copy", "--limit=ten");
        option("--limit", "verify", "--limit", "-1");
        option("--limit", "copy", "--limit");
        option("--offset", "copy", "--offset", "-5");
        option("--from-id", "verify", "--from-id", "1e3");
        option("--only", "copy", "--only", "nosuchtable");
        option("--only", "verify", "--only", "accounts,nosuchtable");
        option("--only", "run", "--only", "nosuchtable");
        option("--nosuch", "copy", "--nosuch");
        option("--dry-run", "copy", "--dry-run=yes");
        option("--env-file", "copy", "--env-file", "missing.env");
        option("--env-file", "copy", "--env-file=");
        option("--config", "mirror");
        option("--log", "recover-subscriptions");
        CASES.add(new Case("copy --env-file DIRECTORY", List.of("copy", "--env-file", "envdir"), Map.of(),
                Map.of("envdir/", ""), "--env-file"));
        CASES.add(new Case("MASTODON_ENV_FILE missing", List.of("copy"), Map.of("MASTODON_ENV_FILE", "missing.env"),
                Map.of(), "MASTODON_ENV_FILE"));
        CASES.add(new Case("MASTODON_ENV_FILE a directory", List.of("verify"), Map.of("MASTODON_ENV_FILE", "envdir"),
                Map.of("envdir/", ""), "MASTODON_ENV_FILE"));
        // ---- copy tunables, environment form ----
        env("copy", "COPY_PAGE_SIZE", "0");
        env("copy", "COPY_PAGE_SIZE", "-5");
        env("verify", "COPY_PAGE_SIZE", "many");
        // pages of 50,000 rows exhausted the heap (the copy waited forever for the table whose page thread had died);
        // pages of 10,000 tripled a copy's CPU
        env("copy", "COPY_PAGE_SIZE", "50000");
        env("copy", "COPY_PAGE_SIZE", "10000");
        env("copy", "COPY_CONCURRENCY", "abc");
        env("copy", "COPY_CONCURRENCY", "0");
        // Camel's seda queue, the workers' source, refuses more than 500 consumers when the route starts
        env("copy", "COPY_CONCURRENCY", "501");
        env("run", "COPY_CONCURRENCY", "");
        env("copy", "COPY_REQUESTS_PER_SECOND", "0");
        env("copy", "COPY_REQUESTS_PER_SECOND", "fast");
        // Camel's throttle holds a permit object per request a second allows
        env("copy", "COPY_REQUESTS_PER_SECOND", "1000000");
        env("copy", "COPY_RETRIES", "-1");
        env("copy", "COPY_RETRY_DELAY", "soon");
        env("copy", "COPY_PART_SIZE", "1048576");
        env("copy", "COPY_PART_SIZE", "16M");
        env("run", "COPY_POLL_INTERVAL", "0");
        env("copy", "COPY_PROGRESS_INTERVAL", "-1");
        env("copy", "COPY_CHECKPOINT_INTERVAL", "2s");
        env("copy", "COPY_MAX_CONNECTIONS", "0");
        env("copy", "COPY_MAX_CONNECTIONS", "lots");
        env("copy", "COPY_OBJECT_LOG_LEVEL", "LOUD");
        env("copy", "COPY_DRY_RUN", "yes");
        env("copy", "COPY_DEV", "1");
        env("copy", "COPY_FORCE", "on");
        env("copy", "COPY_RESTART", "y");
        env("copy", "COPY_LIST_TARGET", "no");
        env("copy", "COPY_CHECK_HEADERS", "yes");
        env("copy", "COPY_LIMIT", "-1");
        env("copy", "COPY_ONLY", "nosuchtable");
        // ---- stores ----
        env("copy", "S3_PERMISSION", "public");
        env("copy", "TARGET_S3_PERMISSION", "world-writable");
        env("copy", "S3_ENDPOINT", "ftp://files.example");
        env("copy", "TARGET_S3_ENDPOINT", "https://");
        env("copy", "S3_ENDPOINT", "http://bad host");
        removed("S3_BUCKET", "copy");
        removed("TARGET_S3_BUCKET", "copy");
        removed("TARGET_S3_BUCKET", "verify");
        removed("AWS_ACCESS_KEY_ID", "copy");
        removed("TARGET_AWS_SECRET_ACCESS_KEY", "copy");
        // ---- database ----
        env("copy", "DB_PORT", "abc");
        env("copy", "DB_PORT", "0");
        env("copy", "DB_PORT", "70000");
        env("copy", "DB_SSLMODE", "maybe");
        env("copy", "DATABASE_URL", "mysql://mastodon@db/mastodon");
        env("copy", "DATABASE_URL", "postgresql://mastodon:pw@db:port/mastodon");
        env("copy", "DATABASE_URL", "postgresql://mastodon@db:99999/mastodon");
        env("copy", "DATABASE_URL", "postgresql://mastodon:%zz@db/mastodon");
        env("copy", "DB_TUNNEL_PORT", "ssh");
        env("copy", "DB_TUNNEL_STRICT_HOST_KEY_CHECKING", "nope");
        // ---- mirror ----
        env("copy", "MIRROR_CONCURRENT_CONSUMERS", "0");
        env("copy", "MIRROR_WAIT_TIME_SECONDS", "21");
        env("copy", "MIRROR_VISIBILITY_TIMEOUT", "abc");
        env("copy", "MIRROR_VISIBILITY_TIMEOUT", "0");
        env("copy", "MIRROR_SEQUENCER_RETENTION_DAYS", "0");
        env("copy", "MIRROR_UNMAPPED", "drop");
        env("copy", "MIRROR_FILE_LOG_LEVEL", "LOUD");
        env("copy", "MIRROR_SQS_ENDPOINT", "not a url");
        env("copy", "MIRROR_S3_ENDPOINT", "s3.example");
        env("copy", "MIRROR_RESYNC", "maybe");
        env("copy", "MIRROR_DELETE", "sure");
        CASES.add(new Case("mirror --config with MIRROR_WAIT_TIME_SECONDS=60", List.of("mirror", "--config", "m.json"),
                Map.of("MIRROR_WAIT_TIME_SECONDS", "60"),
                Map.of("m.json", "{\"queue\": \"q\", \"sync\": {\"a/\": \"out\"}}"), "MIRROR_WAIT_TIME_SECONDS"));
        // ---- recover ----
        env("copy", "RECOVER_SSH_PORT", "0");
        env("copy", "RECOVER_SSH_PORT", "twenty-two");
        env("copy", "RECOVER_SSH_TIMEOUT", "-1");
        env("copy", "RECOVER_RESUBSCRIBE", "y");
        env("copy", "RECOVER_SSH_STRICT_HOST_KEY_CHECKING", "no");
        CASES.add(new Case("recover-subscriptions with RECOVER_SSH_PORT=x", List.of("recover-subscriptions", "--log",
                "access.log"), Map.of("RECOVER_SSH_PORT", "x"), Map.of("access.log", ""), "RECOVER_SSH_PORT"));
        // ---- management ----
        env("run", "MANAGEMENT_PORT", "70000");
        env("run", "MANAGEMENT_PORT", "http");
        env("run", "MANAGEMENT_PORT", "");
        env("run", "MANAGEMENT_ENABLED", "on");
        env("copy", "MANAGEMENT_ONE_PASS", "1");
        env("config", "COPY_CONCURRENCY", "abc");
        // ---- application.properties form ----
        property("copy.page-size", "0");
        property("copy.concurrency", "abc");
        property("copy.concurrency", "");
        property("copy.part-size", "100");
        property("copy.dry-run", "yes");
        property("mirror.wait-time-seconds", "99");
        property("management.port", "-1");
        property("recover.ssh.timeout", "forever");
        property("target.permission", "nope");
        Map<String, String> noEndpoint = new HashMap<>();
        noEndpoint.put("TARGET_S3_ENDPOINT", null); // the environment would win over the property
        CASES.add(new Case("application.properties target.endpoint=s3 dot example", List.of("copy"), noEndpoint,
                Map.of("application.properties", "target.endpoint=s3 dot example\n"), "target.endpoint"));
        // ---- env file form ----
        envFile("COPY_CONCURRENCY", "abc");
        envFile("COPY_PAGE_SIZE", "-5");
        envFile("S3_PERMISSION", "bogus");
        envFile("DATABASE_URL", "postgres://x:secret@h:port/d");
    }

    static List<Case> cases() {
        return CASES;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void badSettingExitsTwoWithOneLineNamingItAndTheFix(Case c, @TempDir Path dir) throws Exception {
        Result r = run(dir, c.env(), c.files(), c.args());
        String all = r.out() + r.err();
        assertThat(r.code()).as(all).isEqualTo(Application.BAD_CONFIG);
        assertThat(r.errorLines()).as(all).hasSize(1);
        String line = r.errorLines().get(0);
        System.out.println("---- " + c + " -> " + r.code() + "\n" + r.err());
        assertThat(line).contains(c.named()).contains("Fix:");
        // not the connection check of the (unreachable) stores and database: the value itself was refused
        assertThat(line).doesNotContain("cannot be reached").doesNotContain("cannot connect");
        assertThat(all).doesNotContain("Exception").doesNotContain("\tat ").doesNotContain("never-printed");
        // checked at startup: Camel never started (no timed assertion: the suite runs on loaded machines)
        assertThat(r.launches()).as("Camel started").isZero();
    }

    @Test
    void theBaselineIsValidAndGetsAsFarAsTheConnections(@TempDir Path dir) throws Exception {
        // the cases above differ from this only by the bad value: it passes every check of form, and stops at the
        // store check (nothing listens on port 1)
        Result r = run(dir, Map.of(), Map.of(), List.of("copy"));
        assertThat(r.code()).isEqualTo(Application.BAD_CONFIG);
        assertThat(r.errorLines()).singleElement().asString().contains("cannot be reached");
        assertThat(r.launches()).isZero();
    }

    @Test
    void messagesSayWhereTheValueCameFrom(@TempDir Path tmp) throws Exception {
        Path dir = tmp.resolve("env");
        Files.createDirectories(dir);
        Result env = run(dir, Map.of("COPY_PAGE_SIZE", "-5"), Map.of(), List.of("copy"));
        assertThat(env.errorLines()).singleElement().asString()
                .startsWith("error: COPY_PAGE_SIZE is '-5' (environment): out of range; "
                        + "it must be from 1 to 5000 (rows per page, each page held in memory).")
                .contains("Fix: set COPY_PAGE_SIZE=1000")
                .doesNotContain("--page-size");
        Result option = run(dir, Map.of(), Map.of(), List.of("copy", "--limit", "-1"));
        assertThat(option.errorLines()).singleElement().asString()
                .startsWith("error: --limit is '-1' (command line)").contains("Fix: pass --limit 100, or leave it out");
        dir = tmp.resolve("props");
        Files.createDirectories(dir);
        Result props = run(dir, Map.of(), Map.of("application.properties", "copy.concurrency=abc\n"), List.of("copy"));
        assertThat(props.errorLines()).singleElement().asString()
                .startsWith("error: copy.concurrency is 'abc' (application.properties): not a whole number")
                .contains("Fix: set copy.concurrency=16 in application.properties");
        dir = tmp.resolve("file");
        Files.createDirectories(dir);
        Result file = run(dir, Map.of(), Map.of("prod.env", "COPY_RETRIES=-1\n"),
                List.of("copy", "--env-file", "prod.env"));
        assertThat(file.errorLines()).singleElement().asString()
                .startsWith("error: COPY_RETRIES is '-1' (env file prod.env)")
                .contains("Fix: set COPY_RETRIES=10 in the env file prod.env");
        // the environment wins over the env file and application.properties, and is the one named
        Result both = run(dir, Map.of("COPY_RETRIES", "x"), Map.of("application.properties", "copy.retries=y\n"),
                List.of("copy", "--env-file", "prod.env"));
        assertThat(both.errorLines()).singleElement().asString().startsWith("error: COPY_RETRIES is 'x' (environment)");
    }

    @Test
    void envFileLinesThatCannotBeReadAreWarnedAboutByNumber(@TempDir Path dir) throws Exception {
        Result r = run(dir, Map.of(), Map.of("prod.env", String.join("\n", "# Mastodon", "DB_NAME=live",
                "DB_PASS=\"never-printed-1", "never-printed-2", "OTP SECRET=never-printed-3", "")),
                List.of("config", "--env-file", "prod.env"));
        assertThat(r.code()).isEqualTo(Application.OK);
        assertThat(r.err().lines().toList()).containsExactly(
                "warning: prod.env:3: unclosed \" quote in the value of DB_PASS, read to the end of the line",
                "warning: prod.env:4: not a NAME=value assignment (no '='), line ignored",
                "warning: prod.env:5: the text before '=' is not a variable name (letters, digits, _ and ., not first "
                        + "a digit), line ignored");
        assertThat(r.out()).contains("live"); // the good lines still count
        assertThat(r.out() + r.err()).doesNotContain("never-printed");
    }

    @Test
    void anEnvFileThisUserCannotReadIsNamed(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("prod.env");
        Files.writeString(f, "DB_NAME=live\n");
        Files.setPosixFilePermissions(f, java.util.Set.of());
        org.junit.jupiter.api.Assumptions.assumeFalse(Files.isReadable(f), "root reads every file");
        Result r = run(dir, Map.of(), Map.of(), List.of("copy", "--env-file", "prod.env"));
        assertThat(r.code()).isEqualTo(Application.BAD_CONFIG);
        assertThat(r.errorLines()).singleElement().asString()
                .startsWith("error: --env-file 'prod.env' cannot be read by this user").contains("Fix:");
        assertThat(r.launches()).isZero();
    }

    @Test
    void everyNumberAndBooleanOfApplicationPropertiesHasARule() throws Exception {
        // a key added later with a numeric or true/false default must get its rule too
        java.util.Properties defaults = new java.util.Properties();
        try (var in = Application.class.getResourceAsStream("/application.properties")) {
            defaults.load(in);
        }
        List<String> keys = defaults.stringPropertyNames().stream().filter(k -> !k.startsWith("camel."))
                .filter(k -> defaults.getProperty(k).strip().matches("\\d+|true|false")).sorted().toList();
        assertThat(keys).contains("copy.page-size", "copy.part-size", "mirror.visibility-timeout", "management.port",
                "copy.dry-run", "recover.ssh.strict-host-key-checking");
        for (String key : keys) {
            List<String> problems = SettingRules.check(Map.of(key, "x"), k -> new SettingRules.Named(k, "test"));
            assertThat(problems).as(key).singleElement().asString().startsWith(key + " is 'x' (test): not a")
                    .contains("Fix: set " + key + "=");
            // and its own default passes
            assertThat(SettingRules.check(Map.of(key, defaults.getProperty(key).strip()),
                    k -> new SettingRules.Named(k, "test"))).as(key).isEmpty();
        }
    }

    @Test
    void everyBadValueIsReportedAtOnce(@TempDir Path dir) throws Exception {
        Result r = run(dir, Map.of("COPY_CONCURRENCY", "abc", "MANAGEMENT_PORT", "70000"), Map.of(),
                List.of("copy", "--limit", "-1"));
        assertThat(r.code()).isEqualTo(Application.BAD_CONFIG);
        assertThat(r.errorLines()).hasSize(3);
        assertThat(String.join("\n", r.errorLines())).contains("COPY_CONCURRENCY", "MANAGEMENT_PORT", "--limit");
        assertThat(r.launches()).isZero();
    }
}
