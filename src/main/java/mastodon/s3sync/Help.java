package mastodon.s3sync;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import mastodon.s3sync.CommandLine.Option;
import mastodon.s3sync.CommandLine.Spec;

/**
 * What {@code --help}, {@code help COMMAND}, {@code COMMAND --help} and {@code --version} print. The program name is
 * how the user started the tool: the launcher passes it as {@code -Dapp.name} ({@code bin/mastodon-s3-sync}), else it
 * is {@code java -jar mastodon-s3-sync.jar}.
 */
final class Help {

    static final String DEFAULT_NAME = "java -jar mastodon-s3-sync.jar";

    /** Examples per command, shown by the command's help. */
    private static final Map<String, List<String>> EXAMPLES = Map.of(
            "copy", List.of(
                    "copy --env-file /home/mastodon/live/.env.production",
                    "copy --dry-run --only media_attachments --limit 100 > keys.txt",
                    "copy --only accounts,custom_emojis --restart",
                    "copy --restart --check-headers"),
            "verify", List.of(
                    "verify --env-file /home/mastodon/live/.env.production",
                    "verify --only media_attachments --resume"),
            "run", List.of(
                    "run --env-file /home/mastodon/live/.env.production",
                    "run --only media_attachments"),
            "repair", List.of(
                    "repair --dry-run --env-file /home/mastodon/live/.env.production > changes.txt",
                    "repair --env-file /home/mastodon/live/.env.production",
                    "repair --only media_attachments --restart"),
            "mirror", List.of(
                    "mirror --config mirror.json",
                    "mirror --config mirror.json --resync --delete"),
            "recover-subscriptions", List.of(
                    "recover-subscriptions --log /var/log/nginx/access.log --log /var/log/nginx/access.log.2.gz",
                    "recover-subscriptions --log /var/log/nginx/access.log --resubscribe"),
            "config", List.of(
                    "config --env-file /home/mastodon/live/.env.production",
                    "config --check --env-file /home/mastodon/live/.env.production"),
            "help", List.of("help", "help copy"));

    private Help() {
    }

    /** The program name to show: -Dapp.name when the launcher set it, else the plain java -jar form. */
    static String programName() {
        String n = System.getProperty("app.name");
        return n == null || n.isBlank() ? DEFAULT_NAME : n.strip();
    }

    /** True for -h, --help and help: the words people try. */
    static boolean isHelpWord(String a) {
        return a.equals("-h") || a.equals("--help") || a.equals("help");
    }

    static String usage(String program, List<Spec> specs) {
        StringBuilder sb = new StringBuilder();
        sb.append("Usage: ").append(program).append(" COMMAND [OPTIONS]\n\n");
        sb.append("Copies a Mastodon server's media from one S3 store to another, verifies the copy, and mirrors a\n")
                .append("bucket to local directories.\n\nCommands:\n");
        for (Spec s : specs) {
            sb.append(String.format("  %-22s %s%n", s.name(), s.summary()));
        }
        sb.append("\nEvery command takes --env-file PATH (Mastodon's .env.production; or set MASTODON_ENV_FILE)\n")
                .append("and -h/--help.\n\n")
                .append("  ").append(program).append(" COMMAND --help   the command's options and examples\n")
                .append("  ").append(program).append(" --version        the version, and Camel's and Java's\n\n")
                .append("Examples:\n")
                .append("  ").append(program).append(" config --check --env-file /home/mastodon/live/.env.production\n")
                .append("  ").append(program).append(" copy --env-file /home/mastodon/live/.env.production\n")
                .append("\nExit codes: 0 done, 1 the job ran but something failed, 2 bad configuration or arguments.\n");
        return sb.toString();
    }

    static String command(String program, Spec spec) {
        StringBuilder sb = new StringBuilder();
        sb.append("Usage: ").append(program).append(' ').append(spec.name())
                .append(spec.options().isEmpty() && !spec.name().equals("help") ? " [--env-file PATH]"
                        : spec.name().equals("help") ? " [COMMAND]" : " [OPTIONS]").append("\n\n");
        sb.append(Character.toUpperCase(spec.summary().charAt(0))).append(spec.summary().substring(1)).append(".\n");
        if (!spec.name().equals("help")) {
            sb.append("\nOptions:\n");
            for (Option o : spec.options()) {
                sb.append(String.format("  %-26s %s%s%n", o.name() + (o.takesValue() ? " VALUE" : ""), o.help(),
                        o.repeatable() ? " (repeatable)" : ""));
            }
            sb.append(String.format("  %-26s %s%n", "--env-file PATH",
                    "Mastodon's .env.production (default: $MASTODON_ENV_FILE)"));
            sb.append(String.format("  %-26s %s%n", "-h, --help", "print this help"));
        }
        List<String> examples = EXAMPLES.getOrDefault(spec.name(), List.of());
        if (!examples.isEmpty()) {
            sb.append("\nExamples:\n");
            examples.forEach(e -> sb.append("  ").append(program).append(' ').append(e).append('\n'));
        }
        return sb.toString();
    }

    /** This tool's version, Camel's and Java's, on one line. */
    static String version() {
        String app = resourceValue("/mastodon-s3-sync-version.properties", "version");
        String camel = resourceValue("/META-INF/maven/org.apache.camel/camel-api/pom.properties", "version");
        return "mastodon-s3-sync " + (app == null ? "(version unknown)" : app) + " (Apache Camel "
                + (camel == null ? "unknown" : camel) + ", Java " + System.getProperty("java.version") + ", "
                + System.getProperty("java.vm.name") + ")\n";
    }

    private static String resourceValue(String resource, String key) {
        try (InputStream in = Help.class.getResourceAsStream(resource)) {
            if (in == null) {
                return null;
            }
            Properties p = new Properties();
            p.load(in);
            String v = p.getProperty(key);
            return v == null || v.isBlank() || v.contains("${") ? null : v.strip();
        } catch (IOException e) {
            return null;
        }
    }
}
