package mastodon.s3sync;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import com.zaxxer.hikari.HikariDataSource;

import mastodon.s3sync.config.Settings;
import mastodon.s3sync.db.Database;
import mastodon.s3sync.store.DirectoryChecks;
import mastodon.s3sync.store.S3Stores;
import mastodon.s3sync.store.StoreConfig;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The {@code config} command: the two stores and the database first (what a copy reads from and writes to), then
 * every other effective value by area, secrets masked, each with where it came from; warnings for what a command
 * would refuse; with {@code --check}, a connection to each store and the database as the copy's preflight makes.
 */
final class ConfigReport {

    /** The areas after the stores and the database, in this order; the rest comes last as "other". */
    private static final List<String[]> AREAS = List.of(
            new String[] {"copy.", "copy, verify, run"},
            new String[] {"mirror.", "mirror"},
            new String[] {"recover.", "recover-subscriptions"},
            new String[] {"management.", "management (run, mirror)"});

    /** Keys of each side in the order a person reads a store: kind and endpoint, bucket, prefix, then the rest. */
    private static final List<String> STORE_ORDER = List.of("kind", "root", "endpoint", "region", "path-style", "bucket", "key-prefix",
            "access-key", "secret-key", "permission", "storage-class");

    private ConfigReport() {
    }

    static void print(Settings settings, Map<String, String> cli, PrintStream out, Map<String, String> env,
                      Path workDir, StateLocation.Resolved state) {
        Map<String, Settings.Value> values = new LinkedHashMap<>(settings.values());
        Map<String, String> effective = new LinkedHashMap<>(settings.asProperties());
        effective.putAll(cli);
        Function<String, String> p = k -> effective.getOrDefault(k, "");
        Settings.Value stateDir = values.get("copy.state-dir");
        if (stateDir == null || stateDir.value() == null || stateDir.value().isBlank()) {
            values.put("copy.state-dir", new Settings.Value(state.dir().toString(), "default: " + state.why(), false));
        }
        // the default the README promises: the report beside the checkpoints
        Settings.Value report = values.get("copy.report-file");
        if (report != null && (report.value() == null || report.value().isBlank()) && !cli.containsKey("copy.report-file")) {
            String dir = state.dir().toString();
            values.put("copy.report-file", new Settings.Value(dir + "/copy-report.json (verify: verify-report.json, "
                    + "dry run: copy-dry-run-report.json)", "default (beside the checkpoints in copy.state-dir)", false));
        }
        // the mirror's and recover's defaults, as the commands resolve them (the mirror's queue from its config file)
        Settings.Value mirrorState = values.get("mirror.state-dir");
        if (mirrorState != null && (mirrorState.value() == null || mirrorState.value().isBlank())
                && !cli.containsKey("mirror.state-dir")) {
            StateLocation.Resolved m = StateLocation.mirror(env, workDir, "", "QUEUE");
            values.put("mirror.state-dir", new Settings.Value(m.dir().toString(), "default: " + m.why(), false));
        }
        Settings.Value recoverReport = values.get("recover.report-file");
        if (recoverReport != null && (recoverReport.value() == null || recoverReport.value().isBlank())
                && !cli.containsKey("recover.report-file")) {
            StateLocation.Resolved r = StateLocation.recoverReport(env, workDir, p);
            values.put("recover.report-file", new Settings.Value(r.dir().toString(), "default: " + r.why(), false));
        }
        Settings.Value jolokia = values.get("management.jolokia-users-file");
        if (jolokia != null && (jolokia.value() == null || jolokia.value().isBlank())
                && !cli.containsKey("management.jolokia-users-file")) {
            StateLocation.Resolved j = StateLocation.jolokiaUsers(env, workDir, "");
            values.put("management.jolokia-users-file", new Settings.Value(j.dir().toString(), "default: " + j.why(),
                    false));
        }
        Settings.Value routes = values.get("app.routes-dir");
        if (routes != null && (routes.value() == null || routes.value().isBlank()) && !cli.containsKey("app.routes-dir")) {
            Path dir = CamelLauncher.routesDir("", workDir);
            values.put("app.routes-dir", new Settings.Value(dir.toString(), java.nio.file.Files.isDirectory(dir)
                    ? "default: the installation's routes" : "default: not a directory, so the routes inside the jar",
                    false));
        }
        int width = values.keySet().stream().mapToInt(String::length).max().orElse(10);
        for (String k : cli.keySet()) {
            width = Math.max(width, k.length());
        }
        String fmt = "%-" + width + "s = %-40s  # %s%n";
        List<String> shown = new ArrayList<>();

        for (String side : List.of("source", "target")) {
            out.println("# " + side + (side.equals("source") ? " store (copy reads from it): " : " store (copy writes "
                    + "to it): ") + describeStore(side, p));
            List<String> keys = new ArrayList<>();
            STORE_ORDER.forEach(k -> keys.add(side + "." + k));
            if (!DirectoryChecks.isDirectory(p, side)) {
                shown.add(side + ".root"); // a bucket has no root: not listed
            }
            values.keySet().stream().filter(k -> k.startsWith(side + ".") && !keys.contains(k)).forEach(keys::add);
            lines(keys, values, cli, fmt, out, shown);
        }
        out.println("# database: " + describeDatabase(p));
        List<String> db = new ArrayList<>(List.of("db.url", "db.host", "db.port", "db.name", "db.user", "db.password",
                "db.sslmode"));
        values.keySet().stream().filter(k -> k.startsWith("db.") && !db.contains(k)).forEach(db::add);
        lines(db, values, cli, fmt, out, shown);
        for (String[] area : AREAS) {
            out.println("# " + area[1]);
            lines(values.keySet().stream().filter(k -> k.startsWith(area[0])).toList(), values, cli, fmt, out, shown);
        }
        List<String> rest = values.keySet().stream().filter(k -> !shown.contains(k)).toList();
        if (!rest.isEmpty()) {
            out.println("# other");
            lines(rest, values, cli, fmt, out, shown);
        }
        List<String> cliOnly = cli.keySet().stream().filter(k -> !shown.contains(k) && !k.equals("config.check")).toList();
        if (!cliOnly.isEmpty()) {
            out.println("# command line");
            lines(cliOnly, values, cli, fmt, out, shown);
        }
    }

    private static void lines(List<String> keys, Map<String, Settings.Value> values, Map<String, String> cli,
                              String fmt, PrintStream out, List<String> shown) {
        for (String k : keys) {
            if (shown.contains(k)) {
                continue;
            }
            if (cli.containsKey(k)) {
                String v = cli.get(k);
                out.printf(fmt, k, Settings.isSecretName(k) ? Settings.mask(v) : v, "command line");
            } else if (values.containsKey(k)) {
                Settings.Value v = values.get(k);
                out.printf(fmt, k, v.display(), v.origin());
            } else {
                continue;
            }
            shown.add(k);
        }
    }

    /** Kind, endpoint, bucket and prefix of a store, for the heading; never a credential. */
    static String describeStore(String side, Function<String, String> p) {
        if (DirectoryChecks.isDirectory(p, side)) {
            String root = p.apply(side + ".root").strip();
            return "a directory (Mastodon's local storage), " + (root.isEmpty() ? "its path not set ("
                    + (side.equals("source") ? "PAPERCLIP_ROOT_PATH" : "TARGET_PAPERCLIP_ROOT_PATH") + ")" : root);
        }
        String endpoint = p.apply(side + ".endpoint").strip();
        String region = p.apply(side + ".region").isBlank() ? "us-east-1" : p.apply(side + ".region").strip();
        String kind = endpoint.isEmpty() ? "AWS S3 (" + region + ")" : "S3-compatible at " + endpoint;
        String bucket = p.apply(side + ".bucket").strip();
        String prefix = p.apply(side + ".key-prefix").strip();
        return kind + ", bucket " + (bucket.isEmpty() ? "(not set)" : "'" + bucket + "'") + ", "
                + (prefix.isEmpty() ? "no key prefix" : "key prefix '" + prefix + "'");
    }

    static String describeDatabase(Function<String, String> p) {
        String tunnel = p.apply("db.tunnel.host").strip();
        return "PostgreSQL " + p.apply("db.user") + "@" + p.apply("db.host") + ":" + p.apply("db.port") + "/"
                + p.apply("db.name") + " (sslmode " + p.apply("db.sslmode") + ")"
                + (tunnel.isEmpty() ? "" : ", through an SSH tunnel via " + tunnel);
    }

    /**
     * What a command would refuse, found without connecting: for copy, verify and run, both buckets set and not the
     * same store; an env file that set none of Mastodon's variables.
     */
    static List<String> warnings(Settings settings, Map<String, String> props, String envFileName,
                                 java.util.Set<String> envFileVariables) {
        List<String> w = new ArrayList<>();
        String copy = Preflight.copySettings(k -> props.get(k), false);
        if (copy != null) {
            w.add("copy, verify and run would refuse to start: " + copy);
        }
        // a file that assigns none of the names this tool reads (even those the environment overrides): not Mastodon's
        java.util.Set<String> known = new java.util.HashSet<>();
        settings.values().keySet().forEach(k -> known.add(k.toUpperCase().replace('.', '_').replace('-', '_')));
        boolean readsOne = envFileVariables.stream().anyMatch(v -> known.contains(v) || v.startsWith("S3_")
                || v.startsWith("AWS_") || v.startsWith("DB_") || v.startsWith("TARGET_") || v.equals("DATABASE_URL"));
        if (envFileName != null && !envFileName.isBlank() && !readsOne) {
            w.add("the env file " + envFileName + " set none of the variables this tool reads (S3_BUCKET, DB_HOST, "
                    + "DATABASE_URL, ...). Fix: point --env-file (or MASTODON_ENV_FILE) at Mastodon's .env.production, "
                    + "e.g. /home/mastodon/live/.env.production.");
        }
        return w;
    }

    /**
     * config --check: connects to the source store, the target store and the database as the copy's preflight does,
     * and prints one line for each. @return the problems found (empty: all answered)
     */
    static List<String> check(Map<String, String> props, PrintStream out) {
        List<String> problems = new ArrayList<>();
        Function<String, String> p = props::get;
        for (String side : List.of("source", "target")) {
            StoreConfig c = StoreConfig.from(side, p);
            if (c.bucket().isEmpty()) {
                problems.add(side + " store: its bucket is not set, nothing to connect to.");
                out.println("check " + side + " store: NOT CHECKED (no bucket)");
                continue;
            }
            String problem;
            try (S3Client s3 = S3Stores.client(c)) {
                problem = S3Stores.check(c, s3);
            } catch (RuntimeException e) {
                problem = side + " store settings are not usable: " + e.getMessage();
            }
            out.println("check " + side + " store " + c.describe() + ": " + (problem == null ? "ok" : "FAILED"));
            if (problem != null) {
                problems.add(problem);
            }
        }
        String problem;
        Database.DbConfig db;
        try {
            db = Database.DbConfig.from(p);
        } catch (RuntimeException e) {
            problems.add("database settings are not usable: " + e.getMessage());
            out.println("check database: FAILED");
            return problems;
        }
        try (HikariDataSource ds = Database.dataSource(db, 1)) {
            problem = Database.check(db, ds);
        } catch (RuntimeException e) {
            problem = "cannot connect to the " + db.describe() + ": " + e.getMessage();
        }
        out.println("check " + db.describe() + ": " + (problem == null ? "ok" : "FAILED"));
        if (problem != null) {
            problems.add(problem);
        }
        return problems;
    }
}
