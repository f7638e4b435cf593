package mastodon.s3sync;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import mastodon.s3sync.CommandLine.Option;
import mastodon.s3sync.CommandLine.Spec;
import mastodon.s3sync.config.Settings;

/**
 * config: prints the effective configuration and what a command would refuse; with --check, also connects to the
 * stores and the database as copy does (exit 2 on a problem). Starts no route.
 */
final class ConfigCommand {

    static final Spec SPEC = new Spec("config", "print the effective configuration (the stores and the database first), "
            + "secrets masked, where each value came from, and what a command would refuse",
            List.of(new Option("--check", "config.check", false, false,
                    "also connect to the source store, the target store and the database as copy does; "
                            + "exit 2 on a problem")));

    private final Invocation inv;

    ConfigCommand(Invocation inv) {
        this.inv = inv;
    }

    /**
     * @param cli         the command line's own properties (shown as coming from it)
     * @param envFile     the env file's name as given (--env-file or MASTODON_ENV_FILE), or null
     * @param envFileVars the names the env file assigned
     */
    int run(Settings settings, Map<String, String> cli, Map<String, String> props, String envFile,
            Set<String> envFileVars) {
        ConfigReport.print(settings, cli, inv.out(), inv.env(), inv.workDir(), StateLocation.copy(inv.env(), inv.workDir(), props::get));
        List<String> warnings = ConfigReport.warnings(settings, props, envFile, envFileVars);
        warnings.forEach(w -> inv.err().println("warning: " + w));
        if (!Boolean.parseBoolean(cli.get("config.check"))) {
            return Application.OK;
        }
        List<String> problems = new ArrayList<>(warnings);
        problems.addAll(ConfigReport.check(props, inv.out()));
        problems.stream().skip(warnings.size()).forEach(p -> inv.err().println("error: " + p));
        if (!problems.isEmpty()) {
            inv.err().println("error: config --check found " + problems.size() + " problem(s); the commands "
                    + "that need these would not start.");
            return Application.BAD_CONFIG;
        }
        inv.out().println("config --check: the stores and the database answered; copy, verify and run can start.");
        return Application.OK;
    }
}
