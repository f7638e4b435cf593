package mastodon.s3sync;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

import mastodon.s3sync.config.Settings;
import mastodon.s3sync.copy.MastodonKeys;
import software.amazon.awssdk.services.s3.model.ObjectCannedACL;

/**
 * What each tunable setting accepts, checked once before anything connects or starts: a number out of range, a
 * boolean that is not true/false, a word that is not one of its choices, an endpoint that is not a URL. Each problem
 * names the setting the way the user wrote it (the option, the environment variable or the property key) and how to
 * fix it; Camel would otherwise fail mid-start with its own words, or take a bad value silently.
 */
final class SettingRules {

    /** How the user named a setting ({@code --limit}, {@code COPY_PAGE_SIZE}, {@code copy.page-size}) and where. */
    record Named(String name, String where) {
        static Named of(Settings.Source s) {
            return new Named(s.name(), s.where());
        }
    }

    /** One setting's rule: @return null when the value is fine, else what is wrong with it */
    private interface Check {
        String problem(String value);
    }

    /** @param example a good value, shown in the fix */
    private record Rule(Check check, boolean blankOk, String example) {
    }

    private static final Map<String, Rule> RULES = new LinkedHashMap<>();

    static {
        // ---- copy: read by CopyOptions (blank = default) ----
        // a page's rows, their keys and the page's listings are held in memory while it is planned, in each table's
        // page route at once: in the launcher's 128 MB heap pages of 10,000 rows tripled a copy's CPU (collections)
        // and pages of 50,000 exhausted it, while 2,500 and 5,000 copied no faster than 1,000 (bench/RESULTS.md,
        // "Pages that fit the heap")
        whole("copy.page-size", 1, 5_000, true, "1000", "rows per page, each page held in memory");
        whole("copy.limit", 0, Long.MAX_VALUE, true, "100", "rows per table, 0 = all");
        whole("copy.offset", 0, Long.MAX_VALUE, true, "0", "rows");
        whole("copy.from-id", 0, Long.MAX_VALUE, true, "0", "a row id");
        whole("copy.max-connections", 1, 10_000, true, "64", "HTTP connections per store");
        RULES.put("copy.only", new Rule(SettingRules::tables, true, "accounts,media_attachments"));
        for (String b : List.of("copy.dry-run", "copy.dev", "copy.force", "copy.restart", "copy.resume")) {
            bool(b, "false");
        }
        bool("copy.list-target", "true");
        // placed into the copy route's skip decision: a blank or misspelt value would silently mean false
        bool("copy.check-headers", "false");
        // ---- copy: placed into the routes by Camel (blank breaks the route) ----
        // the copy's, verify's and repair's workers are a seda queue's consumers, and Camel's seda takes at most 500
        // (above it the route failed to start with Camel's own error)
        whole("copy.concurrency", 1, 500, false, "16", "objects at once");
        // Camel's throttle keeps one permit object for each request a second allows: 1,000,000 held 24 MB of the
        // 128 MB heap (bench/RESULTS.md, "Pages that fit the heap"); one process copies a few hundred objects a second
        whole("copy.requests-per-second", 1, 100_000, false, "1000", "per second");
        whole("copy.retries", 0, 1_000, false, "10", "retries per object");
        whole("copy.retry-delay", 0, 3_600_000, false, "500", "ms");
        whole("copy.give-up-after", 1_000, 604_800_000, true, "180000", "ms");
        // S3 multipart upload: parts of 5 MiB to 5 GiB
        whole("copy.part-size", 5L * 1024 * 1024, 5L * 1024 * 1024 * 1024, false, "16777216",
                "bytes, 5 MiB to 5 GiB");
        // repair: a CopyObject copies at most 5 GiB; larger objects are copied in parts
        whole("repair.multipart-threshold", 1, 5L * 1024 * 1024 * 1024, false, "5368709120",
                "bytes, at most 5 GiB");
        whole("repair.part-size", 5L * 1024 * 1024, 5L * 1024 * 1024 * 1024, false, "536870912",
                "bytes, 5 MiB to 5 GiB");
        whole("copy.poll-interval", 1, 86_400_000, false, "60000", "ms");
        whole("copy.progress-interval", 1, 86_400_000, false, "10000", "ms");
        whole("copy.checkpoint-interval", 1, 86_400_000, false, "2000", "ms");
        logLevel("copy.object-log-level", "DEBUG");
        // ---- stores ----
        for (String side : List.of("source", "target")) {
            RULES.put(side + ".endpoint", new Rule(SettingRules::httpUrl, true, "https://s3.eu-west-1.amazonaws.com"));
            RULES.put(side + ".permission", new Rule(SettingRules::cannedAcl, true, "public-read"));
        }
        // ---- mirror ----
        // ---- scale-out: copy --plan-to / --work-from (QueueBeans, copy-queue.camel.yaml) ----
        whole("queue.tasks-per-message", 1, 10_000, false, "100", "copy tasks per SQS message");
        whole("queue.consumers", 1, 1_000, false, "2", "messages a worker holds at once");
        whole("queue.wait-time-seconds", 0, 20, false, "20", "seconds, the SQS long-poll limit");
        whole("queue.visibility-timeout", 1, 43_200, false, "120", "seconds, up to SQS's 12 hours");
        whole("queue.progress-interval", 1, 86_400_000, false, "10000", "ms");
        bool("copy.no-wait", "false");
        bool("mirror.resync", "false");
        bool("mirror.delete", "false");
        whole("mirror.concurrent-consumers", 1, 1_000, false, "2", "poll threads");
        whole("mirror.wait-time-seconds", 0, 20, false, "20", "seconds, the SQS long-poll limit");
        whole("mirror.visibility-timeout", 1, 43_200, false, "60", "seconds, up to SQS's 12 hours");
        whole("mirror.sequencer-retention-days", 1, 3_650, true, "14", "days");
        logLevel("mirror.file-log-level", "INFO");
        RULES.put("mirror.unmapped", new Rule(v -> oneOf(v, "ack", "leave"), true, "ack"));
        RULES.put("copy.progress-bar", new Rule(v -> oneOf(v, "auto", "true", "false"), true, "auto"));
        RULES.put("mirror.sqs-endpoint", new Rule(SettingRules::httpUrl, true, "https://sqs.eu-west-1.amazonaws.com"));
        RULES.put("mirror.s3-endpoint", new Rule(SettingRules::httpUrl, true, "https://s3.eu-west-1.amazonaws.com"));
        // ---- recover ----
        bool("recover.resubscribe", "false");
        bool("recover.ssh.strict-host-key-checking", "true");
        whole("recover.ssh.port", 1, 65_535, true, "22", "a TCP port");
        whole("recover.ssh.timeout", 1, 3_600_000, false, "30000", "ms");
        // ---- database (db.port: Settings checks it, with DATABASE_URL in mind) ----
        RULES.put("db.sslmode", new Rule(v -> oneOf(v, "disable", "allow", "prefer", "require", "verify-ca",
                "verify-full"), true, "prefer"));
        whole("db.tunnel.port", 1, 65_535, true, "22", "a TCP port");
        bool("db.tunnel.strict-host-key-checking", "true");
        // ---- management ----
        RULES.put("management.step-mbeans", new Rule(v -> oneOf(v, "named", "all"), true, "named"));
        bool("management.enabled", "true");
        bool("management.one-pass", "false");
        bool("management.jolokia-enabled", "true");
        // 0: any free port (tests; a second instance on one machine)
        whole("management.port", 0, 65_535, false, "9876", "a TCP port, 0 for any free one");
        RULES.put("management.host", new Rule(v -> null, false, "127.0.0.1"));
    }

    private SettingRules() {
    }

    /**
     * @param props the effective properties (settings, then command-line options over them)
     * @param named how the user named each property key
     * @return the problems, each one line naming the setting and the fix; empty when every value is acceptable
     */
    static List<String> check(Map<String, String> props, Function<String, Named> named) {
        // a set: the target inherits S3_PERMISSION from the source, one bad value is one problem
        Set<String> problems = new LinkedHashSet<>();
        RULES.forEach((key, rule) -> {
            String raw = props.get(key);
            if (raw == null) {
                return;
            }
            String v = raw.strip();
            String problem = v.isEmpty() ? (rule.blankOk() ? null : "is empty") : rule.check().problem(v);
            if (problem != null) {
                problems.add(message(key, raw, problem, rule, named.apply(key)));
            }
        });
        for (String side : List.of("source", "target")) {
            String access = props.getOrDefault(side + ".access-key", "").strip();
            String secret = props.getOrDefault(side + ".secret-key", "").strip();
            if (access.isEmpty() != secret.isEmpty()) {
                String missing = access.isEmpty() ? side + ".access-key" : side + ".secret-key";
                String given = access.isEmpty() ? side + ".secret-key" : side + ".access-key";
                String prefix = side.equals("target") ? "TARGET_" : "";
                String missingVar = prefix + (access.isEmpty() ? "AWS_ACCESS_KEY_ID" : "AWS_SECRET_ACCESS_KEY");
                problems.add(missingVar + " is not set, but " + named.apply(given).name() + " is (" + side
                        + " store credentials come in pairs). Fix: set " + missingVar + " (or " + missing
                        + "), or unset both to use the AWS SDK's default credentials.");
            }
        }
        return List.copyOf(problems);
    }

    private static String message(String key, String raw, String problem, Rule rule, Named n) {
        // a secret's value is never shown; others are, on one line
        String shown = Settings.isSecretName(key) ? "" : " is '" + raw.replaceAll("\\p{Cntrl}", "?") + "'";
        String fix;
        if (n.where().equals("command line")) {
            fix = "pass " + n.name() + " " + rule.example() + ", or leave it out";
        } else if (n.where().equals("application.properties") || n.where().equals("default")) {
            fix = "set " + n.name() + "=" + rule.example() + " in application.properties, or remove the line";
        } else {
            fix = "set " + n.name() + "=" + rule.example()
                    + (n.where().equals("environment") ? "" : " in the " + n.where())
                    + ", or unset it";
        }
        return n.name() + (problem.equals("is empty") ? " is empty (" + n.where() + ")"
                : shown + " (" + n.where() + "): " + problem) + ". Fix: " + fix + ".";
    }

    private static void whole(String key, long min, long max, boolean blankOk, String example, String unit) {
        RULES.put(key, new Rule(v -> {
            long n;
            try {
                n = Long.parseLong(v);
            } catch (NumberFormatException e) {
                return "not a whole number; " + range(min, max) + " (" + unit + ")";
            }
            return n < min || n > max ? "out of range; " + range(min, max) + " (" + unit + ")" : null;
        }, blankOk, example));
    }

    private static String range(long min, long max) {
        return max == Long.MAX_VALUE ? "it must be " + min + " or more" : "it must be from " + min + " to " + max;
    }

    private static void bool(String key, String example) {
        RULES.put(key, new Rule(v -> v.equalsIgnoreCase("true") || v.equalsIgnoreCase("false") ? null
                : "not a boolean (it must be true or false)", true, example));
    }

    /** A log step's level (Camel reads it in any case). */
    private static void logLevel(String key, String example) {
        RULES.put(key, new Rule(v -> oneOf(v.toUpperCase(Locale.ROOT), "TRACE", "DEBUG", "INFO", "WARN", "ERROR", "OFF"),
                false, example));
    }

    private static String oneOf(String v, String... choices) {
        return Arrays.asList(choices).contains(v) ? null : "not one of " + String.join(", ", choices);
    }

    private static String tables(String v) {
        for (String t : v.split(",")) {
            if (!t.isBlank() && !MastodonKeys.tables().contains(t.strip())) {
                return "'" + t.strip() + "' is not a table (tables: " + String.join(", ", MastodonKeys.tables()) + ")";
            }
        }
        return null;
    }

    private static String httpUrl(String v) {
        try {
            URI u = new URI(v);
            String scheme = u.getScheme() == null ? "" : u.getScheme().toLowerCase(Locale.ROOT);
            if (!scheme.equals("http") && !scheme.equals("https")) {
                return "not an http:// or https:// URL";
            }
            if (u.getHost() == null || u.getHost().isEmpty()) {
                return "a URL without a host name";
            }
            return null;
        } catch (URISyntaxException e) {
            return "not a URL (" + e.getReason() + " at character " + (e.getIndex() + 1) + ")";
        }
    }

    private static String cannedAcl(String v) {
        if (ObjectCannedACL.fromValue(v) != ObjectCannedACL.UNKNOWN_TO_SDK_VERSION) {
            return null;
        }
        return "not an S3 canned ACL (" + String.join(", ", ObjectCannedACL.knownValues().stream()
                .map(ObjectCannedACL::toString).toList()) + ", or empty for the bucket's default)";
    }
}
