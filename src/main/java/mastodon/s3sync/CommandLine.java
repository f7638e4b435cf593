package mastodon.s3sync;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The command line: {@code COMMAND [--option [VALUE]]...}. Each command lists the options it takes and the property
 * each one sets; anything else is an error that names the command's options.
 */
public final class CommandLine {

    /** An option: its name, the property it sets, and whether it takes a value (else it sets "true"). */
    public record Option(String name, String property, boolean takesValue, boolean repeatable, String help) {
    }

    /** A command and its options. */
    public record Spec(String name, String summary, List<Option> options) {
        Option option(String n) {
            return options.stream().filter(o -> o.name().equals(n)).findFirst().orElse(null);
        }
    }

    /** Bad command-line input; the message says what is wrong and how to fix it. */
    public static final class UsageException extends Exception {
        public UsageException(String message) {
            super(message);
        }
    }

    private static final String ENV_FILE_NEEDS_PATH = "--env-file needs a path. Fix: --env-file PATH, e.g. "
            + "--env-file /home/mastodon/live/.env.production.";

    public final String command;
    public final Map<String, String> properties;
    /** The env file named by --env-file, or null. */
    public final String envFile;
    /** property -> the option that set it, so that messages name what the user typed. */
    public final Map<String, String> optionNames;

    private CommandLine(String command, Map<String, String> properties, String envFile,
                        Map<String, String> optionNames) {
        this.command = command;
        this.properties = properties;
        this.envFile = envFile;
        this.optionNames = optionNames;
    }

    public static CommandLine parse(String[] args, List<Spec> specs) throws UsageException {
        if (args.length == 0) {
            throw new UsageException("no command given. Fix: name one of " + names(specs) + " (see 'help').");
        }
        Spec spec = specs.stream().filter(s -> s.name().equals(args[0])).findFirst().orElse(null);
        if (spec == null) {
            throw new UsageException("unknown command '" + args[0] + "'. Fix: use one of " + names(specs)
                    + " (see 'help').");
        }
        Map<String, String> props = new LinkedHashMap<>();
        Map<String, List<String>> repeated = new LinkedHashMap<>();
        Map<String, String> optionNames = new LinkedHashMap<>();
        String envFile = null;
        for (int i = 1; i < args.length; i++) {
            String a = args[i];
            String value = null;
            int eq = a.indexOf('=');
            if (a.startsWith("--") && eq > 0) {
                value = a.substring(eq + 1);
                a = a.substring(0, eq);
            }
            if (a.equals("--env-file")) {
                if (value == null) {
                    if (i + 1 >= args.length) {
                        throw new UsageException(ENV_FILE_NEEDS_PATH);
                    }
                    value = args[++i];
                }
                if (value.isBlank()) {
                    throw new UsageException(ENV_FILE_NEEDS_PATH);
                }
                envFile = value;
                continue;
            }
            Option o = spec.option(a);
            if (o == null) {
                throw new UsageException("'" + a + "' is not an option of '" + spec.name() + "'. Fix: use its options "
                        + optionNames(spec) + " (see 'help').");
            }
            optionNames.put(o.property(), o.name());
            if (o.takesValue()) {
                if (value == null) {
                    if (i + 1 >= args.length || args[i + 1].startsWith("--")) {
                        throw new UsageException(o.name() + " needs a value. Fix: " + o.name() + " VALUE, the value "
                                + "being: " + o.help() + ".");
                    }
                    value = args[++i];
                }
                if (o.repeatable()) {
                    repeated.computeIfAbsent(o.property(), k -> new ArrayList<>()).add(value);
                } else {
                    props.put(o.property(), value);
                }
            } else {
                if (value != null) {
                    throw new UsageException(o.name() + " takes no value. Fix: write just " + o.name() + ".");
                }
                props.put(o.property(), "true");
            }
        }
        repeated.forEach((k, v) -> props.put(k, String.join(",", v)));
        return new CommandLine(spec.name(), props, envFile, optionNames);
    }

    private static String names(List<Spec> specs) {
        return String.join(", ", specs.stream().map(Spec::name).toList());
    }

    private static String optionNames(Spec spec) {
        List<String> n = new ArrayList<>(spec.options().stream().map(Option::name).toList());
        n.add("--env-file");
        return String.join(", ", n);
    }
}
