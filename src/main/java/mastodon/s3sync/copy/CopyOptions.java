package mastodon.s3sync.copy;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * How one copy (or verify) pass runs, from the {@code copy.*} properties that the command line and
 * {@code application.properties} set.
 */
public record CopyOptions(String mode, Set<String> tables, long limit, long offset, long fromId, boolean dryRun,
                          boolean dev, boolean force, boolean restart, boolean follow, int pageSize, Path stateDir,
                          Path reportFile, String sourcePrefix, String targetPrefix, String targetPermission,
                          String storageClass, boolean resume, String identity) {

    public static CopyOptions from(Function<String, String> props) {
        Function<String, String> p = k -> {
            String v = props.apply(k);
            return v == null ? "" : v.strip();
        };
        String only = p.apply("copy.only");
        Set<String> tables = only.isEmpty() ? new LinkedHashSet<>(MastodonKeys.tables())
                : Arrays.stream(only.split(",")).map(String::strip).filter(s -> !s.isEmpty())
                        .collect(Collectors.toCollection(LinkedHashSet::new));
        for (String t : tables) {
            if (!MastodonKeys.tables().contains(t)) {
                throw new IllegalArgumentException("unknown table '" + t + "' in --only. Known tables: "
                        + String.join(", ", MastodonKeys.tables()) + ".");
            }
        }
        String mode = p.apply("copy.mode").isEmpty() ? "copy" : p.apply("copy.mode");
        Path state = Path.of(p.apply("copy.state-dir").isEmpty() ? "state" : p.apply("copy.state-dir"));
        String report = p.apply("copy.report-file");
        return new CopyOptions(mode, tables, num(p, "copy.limit", 0), num(p, "copy.offset", 0),
                num(p, "copy.from-id", 0), bool(p, "copy.dry-run"), bool(p, "copy.dev"), bool(p, "copy.force"),
                bool(p, "copy.restart"), bool(p, "copy.follow"), (int) num(p, "copy.page-size", 1000), state,
                reportFile(state, mode, report, bool(p, "copy.dry-run")),
                p.apply("source.key-prefix"), p.apply("target.key-prefix"), props.apply(permissionKey(mode)) == null
                        ? "public-read" : props.apply(permissionKey(mode)).strip(), p.apply("target.storage-class"),
                p.apply("copy.resume").isEmpty() ? !mode.equals("verify") : bool(p, "copy.resume"), identity(p));
    }

    /**
     * The permission the pass writes and checks: the target's, except for repair, which fixes the store Mastodon uses
     * (the source settings) in place, so its objects must carry {@code S3_PERMISSION}.
     */
    private static String permissionKey(String mode) {
        return mode.equals("repair") ? "source.permission" : "target.permission";
    }

    /**
     * The report: state/MODE-report.json, or copy.report-file. A dry run writes its own (state/copy-dry-run-report.json,
     * or copy.report-file with -dry-run before its extension), so it never replaces the report of a real copy.
     */
    static Path reportFile(Path state, String mode, String reportFile, boolean dryRun) {
        if (reportFile.isEmpty()) {
            return state.resolve(mode + (dryRun ? "-dry-run" : "") + "-report.json");
        }
        Path p = Path.of(reportFile);
        if (!dryRun) {
            return p;
        }
        String name = p.getFileName().toString();
        int dot = name.lastIndexOf('.');
        return p.resolveSibling(dot > 0 ? name.substring(0, dot) + "-dry-run" + name.substring(dot) : name + "-dry-run");
    }

    /**
     * Which copy this is: the database (host, port, name, tunnel), the source store and the target store (kind,
     * endpoint, bucket, key prefix). Checkpoints belong to one copy. No credentials: it is written to the state files.
     */
    public static String identity(Function<String, String> p) {
        String port = p.apply("db.port").isEmpty() ? "5432" : p.apply("db.port");
        String tunnel = p.apply("db.tunnel.host").isEmpty() ? "" : " via ssh " + p.apply("db.tunnel.host");
        String id = "database " + p.apply("db.host") + ":" + port + "/" + p.apply("db.name") + tunnel
                + " | source " + store(p, "source");
        // repair works on the source store alone: TARGET_* settings (set or not) do not make it another repair
        return p.apply("copy.mode").equals("repair") ? id : id + " | target " + store(p, "target");
    }

    private static String store(Function<String, String> p, String side) {
        if (mastodon.s3sync.store.DirectoryChecks.isDirectory(p, side)) {
            return "directory " + p.apply(side + ".root");
        }
        String endpoint = p.apply(side + ".endpoint");
        String where = endpoint.isEmpty() ? "aws " + p.apply(side + ".region") : endpoint;
        String prefix = p.apply(side + ".key-prefix");
        return "s3 " + where + " bucket " + p.apply(side + ".bucket") + (prefix.isEmpty() ? "" : " prefix " + prefix);
    }

    private static long num(Function<String, String> p, String key, long dflt) {
        String v = p.apply(key);
        if (v.isEmpty()) {
            return dflt;
        }
        try {
            long n = Long.parseLong(v);
            if (n < 0) {
                throw new NumberFormatException();
            }
            return n;
        } catch (NumberFormatException e) {
            // named by its property key: not every copy.* key has an option (copy.page-size has none)
            throw new IllegalArgumentException(key + " must be a whole number >= 0, not '" + v + "'. Fix: correct "
                    + key + " (or its environment form " + key.toUpperCase().replace('.', '_').replace('-', '_') + ").");
        }
    }

    private static boolean bool(Function<String, String> p, String key) {
        return Boolean.parseBoolean(p.apply(key));
    }

    /**
     * These options without the tables this database does not have and need not have ({@code imports} on Mastodon
     * 4.4+), each named once in the log.
     */
    public CopyOptions presentIn(MastodonSchema schema) {
        Set<String> present = schema.present(tables);
        for (String t : tables) {
            if (!present.contains(t)) {
                org.slf4j.LoggerFactory.getLogger("mastodon.s3sync.copy").info("{}: no such table in this database "
                        + "(Mastodon 4.4 and newer have none); nothing to copy", t);
            }
        }
        return new CopyOptions(mode, present, limit, offset, fromId, dryRun, dev, force, restart, follow, pageSize,
                stateDir, reportFile, sourcePrefix, targetPrefix, targetPermission, storageClass, resume, identity);
    }

    public boolean verify() {
        return mode.equals("verify");
    }

    /** The repair command: fixes the headers and ACLs of the source store's objects in place. */
    public boolean repair() {
        return mode.equals("repair");
    }
}
