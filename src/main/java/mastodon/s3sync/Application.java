package mastodon.s3sync;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import mastodon.s3sync.config.Settings;

/**
 * Entry point: {@code java -jar mastodon-s3-sync.jar COMMAND [OPTIONS]}. Answers help and version, reads the settings
 * ({@link SettingsReader}) and checks the form of every value ({@link SettingRules}), then hands over to the command's
 * class ({@link CopyCommand}, {@link MirrorCommand}, {@link RecoverCommand}, {@link ConfigCommand}), which checks what
 * it needs ({@link Preflight}) and starts its routes ({@link CamelLauncher}).
 *
 * <p>Exit codes: 0 done, 1 the job ran but something failed, 2 bad configuration or arguments.
 */
public final class Application {

    public static final int OK = 0;
    public static final int FAILED = 1;
    public static final int BAD_CONFIG = 2;

    private final Map<String, String> env;
    private final PrintStream out;
    private final PrintStream err;
    private final Path workDir;

    /** Starts Camel Main with route files (names under routes/) and property overrides; returns the exit code. */
    interface Launcher {
        int launch(List<String> routeFiles, Map<String, String> overrides);

        /**
         * As {@link #launch(List, Map)}, with checks still running ({@code gate}: null when they passed, else the
         * problem): the routes may be built meanwhile, but none starts before the checks passed. A problem ends the
         * launch with {@link Application#BAD_CONFIG}, printing nothing (the caller reports it).
         */
        default int launch(List<String> routeFiles, Map<String, String> overrides,
                           java.util.function.Supplier<String> gate) {
            return gate.get() != null ? Application.BAD_CONFIG : launch(routeFiles, overrides);
        }
    }

    /** Null: Camel Main ({@link CamelLauncher}). */
    private Launcher launcher;
    private String programName = Help.programName();

    public Application(Map<String, String> env, PrintStream out, PrintStream err, Path workDir) {
        this.env = env;
        this.out = out;
        this.err = err;
        this.workDir = workDir;
    }

    private java.util.function.Consumer<org.apache.camel.CamelContext> onCamelContext;

    /** Tells {@code c} the CamelContext once the routes are loaded, before they start (in-process test runs). */
    Application onCamelContext(java.util.function.Consumer<org.apache.camel.CamelContext> c) {
        this.onCamelContext = c;
        return this;
    }

    /** Runs the routes with another launcher (tests that prove a bad configuration starts nothing). */
    Application launcher(Launcher l) {
        this.launcher = l;
        return this;
    }

    public static void main(String[] args) {
        int code = new Application(System.getenv(), System.out, System.err, Path.of("")).run(args);
        System.exit(code);
    }

    /** Shows another program name in the usage (tests; the launcher sets -Dapp.name instead). */
    Application programName(String name) {
        this.programName = name;
        return this;
    }

    /** --help, -h, help [COMMAND], COMMAND --help and --version; null when the arguments ask for none of them. */
    private Integer help(String[] args) {
        if (args.length == 0) {
            err.println("error: no command given.");
            err.print(Help.usage(programName, Commands.ALL));
            return BAD_CONFIG;
        }
        if (args[0].equals("--version") || args[0].equals("-V")) {
            out.print(Help.version());
            return OK;
        }
        CommandLine.Spec spec = Commands.ALL.stream().filter(s -> s.name().equals(args[0])).findFirst().orElse(null);
        if (Help.isHelpWord(args[0])) {
            if (args.length == 1) {
                out.print(Help.usage(programName, Commands.ALL));
                return OK;
            }
            CommandLine.Spec asked = Commands.ALL.stream().filter(s -> s.name().equals(args[1])).findFirst()
                    .orElse(null);
            if (asked == null && !Help.isHelpWord(args[1])) {
                err.println("error: unknown command '" + args[1] + "'. Fix: use one of " + String.join(", ",
                        Commands.ALL.stream().map(CommandLine.Spec::name).toList()) + " (see '" + programName
                        + " --help').");
                return BAD_CONFIG;
            }
            out.print(asked == null ? Help.usage(programName, Commands.ALL) : Help.command(programName, asked));
            return OK;
        }
        if (spec != null) {
            for (int i = 1; i < args.length; i++) {
                if (args[i].equals("--env-file")) {
                    i++; // its value is a path, whatever it is called
                } else if (args[i].equals("-h") || args[i].equals("--help")) {
                    out.print(Help.command(programName, spec));
                    return OK;
                }
            }
        }
        return null;
    }

    public int run(String[] args) {
        Integer helped = help(args);
        if (helped != null) {
            return helped;
        }
        CommandLine cli;
        try {
            cli = CommandLine.parse(args, Commands.ALL);
        } catch (CommandLine.UsageException e) {
            err.println("error: " + e.getMessage());
            return BAD_CONFIG;
        }
        SettingsReader reader = new SettingsReader(env, err, workDir);
        Settings settings;
        try {
            settings = reader.read(cli.envFile);
        } catch (IOException | IllegalArgumentException e) {
            err.println("error: " + e.getMessage());
            return BAD_CONFIG;
        }
        if (!settings.problems().isEmpty()) {
            settings.problems().forEach(p -> err.println("error: " + p));
            return BAD_CONFIG;
        }
        Map<String, String> props = new LinkedHashMap<>(settings.asProperties());
        props.putAll(cli.properties);
        // every value's form before anything connects or starts; a key left empty in application.properties counts
        // as empty (Camel would read it so), not as unset
        Map<String, String> checked = new LinkedHashMap<>(props);
        settings.values().forEach((k, v) -> {
            if (v.value() == null) {
                checked.putIfAbsent(k, "");
            }
        });
        List<String> bad = SettingRules.check(checked, key -> cli.optionNames.containsKey(key)
                ? new SettingRules.Named(cli.optionNames.get(key), "command line")
                : SettingRules.Named.of(settings.sourceOf(key)));
        if (!bad.isEmpty()) {
            bad.forEach(p -> err.println("error: " + p));
            return BAD_CONFIG;
        }
        // Jolokia's users file does not depend on the working directory either (StateLocation)
        props.put("management.jolokia-users-file",
                StateLocation.jolokiaUsers(env, workDir, props.get("management.jolokia-users-file")).dir().toString());
        Set<String> secretKeys = settings.values().entrySet().stream().filter(e -> e.getValue().secret())
                .map(Map.Entry::getKey).collect(Collectors.toSet());
        Invocation inv = new Invocation(env, out, err, workDir,
                launcher != null ? launcher : new CamelLauncher(out, err, workDir, secretKeys, onCamelContext));
        try {
            return switch (cli.command) {
                case "config" -> new ConfigCommand(inv).run(settings, cli.properties, props,
                        reader.envFileName(cli.envFile), reader.envFileVariables());
                case "copy", "verify", "run", "repair" -> new CopyCommand(inv, cli.command).run(props);
                case "mirror" -> new MirrorCommand(inv).run(props);
                case "recover-subscriptions" -> new RecoverCommand(inv).run(props);
                default -> throw new IllegalStateException("command " + cli.command + " has no handler");
            };
        } catch (IllegalArgumentException e) {
            err.println("error: " + e.getMessage());
            return BAD_CONFIG;
        }
    }
}
