package mastodon.s3sync;

import java.io.PrintStream;
import java.util.Map;

import mastodon.s3sync.config.Settings;

/** The {@code config} command: every effective value, secrets masked, and where it came from. */
final class ConfigReport {

    private ConfigReport() {
    }

    static void print(Settings settings, Map<String, String> cli, PrintStream out) {
        int width = settings.values().keySet().stream().mapToInt(String::length).max().orElse(10);
        for (Map.Entry<String, Settings.Value> e : settings.values().entrySet()) {
            Settings.Value v = e.getValue();
            out.printf("%-" + width + "s = %-40s  # %s%n", e.getKey(), v.display(), v.origin());
        }
        cli.forEach((k, v) -> out.printf("%-" + width + "s = %-40s  # command line%n", k,
                Settings.isSecretName(k) ? Settings.mask(v) : v));
    }
}
