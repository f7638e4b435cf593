package mastodon.s3sync;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.stream.Collectors;

import org.apache.camel.main.Main;

import mastodon.s3sync.config.EnvFile;
import mastodon.s3sync.config.SecretValues;
import mastodon.s3sync.config.Settings;
import mastodon.s3sync.copy.CheckpointStore;
import mastodon.s3sync.copy.CopyOptions;
import mastodon.s3sync.mirror.Mirror;
import mastodon.s3sync.mirror.MirrorSettings;
import mastodon.s3sync.ops.JolokiaUsers;
import mastodon.s3sync.ops.Operations;

/**
 * Entry point: {@code java -jar mastodon-s3-sync.jar COMMAND [OPTIONS]}. Resolves the configuration, checks what the
 * command needs before anything starts, then runs the command's routes in Camel Main.
 *
 * <p>Exit codes: 0 done, 1 the job ran but something failed, 2 bad configuration or arguments.
 */
public final class Application {

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger("mastodon.s3sync");

    public static final int OK = 0;
    public static final int FAILED = 1;
    public static final int BAD_CONFIG = 2;

    private final Map<String, String> env;
    private final PrintStream out;
    private final PrintStream err;
    private final Path workDir;
    /** The settings whose values are secret (by name, or by content such as DATABASE_URL): never given to Camel. */
    private Set<String> secretKeys = Set.of();

    /** Starts Camel Main with route files (names under routes/) and property overrides; returns the exit code. */
    interface Launcher {
        int launch(List<String> routeFiles, Map<String, String> overrides);
    }

    private Launcher launcher = this::launch;
    private String programName = Help.programName();
    /** The variables the env file assigned (names only), for config's warning about a file that sets none. */
    private java.util.Set<String> envFileVariables = java.util.Set.of();

    public Application(Map<String, String> env, PrintStream out, PrintStream err, Path workDir) {
        this.env = env;
        this.out = out;
        this.err = err;
        this.workDir = workDir;
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
        Settings settings;
        try {
            settings = settings(cli);
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
        secretKeys = settings.values().entrySet().stream().filter(e -> e.getValue().secret()).map(Map.Entry::getKey)
                .collect(Collectors.toSet());
        try {
            return switch (cli.command) {
                case "config" -> {
                    ConfigReport.print(settings, cli.properties, out, StateLocation.copy(env, workDir, props::get));
                    List<String> warnings = ConfigReport.warnings(settings, props,
                            cli.envFile != null ? cli.envFile : env.get("MASTODON_ENV_FILE"), envFileVariables);
                    warnings.forEach(w -> err.println("warning: " + w));
                    if (!Boolean.parseBoolean(cli.properties.get("config.check"))) {
                        yield OK;
                    }
                    List<String> problems = new java.util.ArrayList<>(warnings);
                    problems.addAll(ConfigReport.check(props, out));
                    problems.stream().skip(warnings.size()).forEach(p -> err.println("error: " + p));
                    if (!problems.isEmpty()) {
                        err.println("error: config --check found " + problems.size() + " problem(s); the commands "
                                + "that need these would not start.");
                        yield BAD_CONFIG;
                    }
                    out.println("config --check: the stores and the database answered; copy, verify and run can start.");
                    yield OK;
                }
                case "copy", "verify", "run", "repair" -> copy(cli.command, props);
                case "mirror" -> mirror(props);
                case "recover-subscriptions" -> {
                    String problem = Preflight.recoverSubscriptions(props, workDir);
                    if (problem != null) {
                        err.println("error: " + problem);
                        yield BAD_CONFIG;
                    }
                    onePass(props);
                    yield launcher.launch(List.of("recover-subscriptions"), props);
                }
                default -> throw new IllegalStateException("command " + cli.command + " has no handler");
            };
        } catch (IllegalArgumentException e) {
            err.println("error: " + e.getMessage());
            return BAD_CONFIG;
        }
    }

    /** application.properties from the jar, then ./application.properties over it (when present). */
    Properties loadProperties() throws IOException {
        Properties p = new Properties();
        try (InputStream in = Application.class.getResourceAsStream("/application.properties")) {
            if (in != null) {
                p.load(in);
            }
        }
        Path local = workDir.resolve("application.properties");
        if (Files.isRegularFile(local)) {
            try (InputStream in = Files.newInputStream(local)) {
                p.load(in);
            }
        }
        return p;
    }

    Settings settings(CommandLine cli) throws IOException {
        Properties props = loadProperties();
        String envFileName = cli.envFile != null ? cli.envFile : env.get("MASTODON_ENV_FILE");
        Map<String, String> envFile = Map.of();
        if (envFileName != null && !envFileName.isBlank()) {
            String named = cli.envFile != null ? "--env-file" : "MASTODON_ENV_FILE";
            Path f = workDir.resolve(envFileName);
            String fix = ". Fix: " + (cli.envFile != null ? "pass" : "set MASTODON_ENV_FILE to")
                    + " the path of Mastodon's .env.production (e.g. /home/mastodon/live/.env.production)";
            if (!Files.exists(f)) {
                throw new IOException(named + " '" + envFileName + "' does not exist" + fix + ".");
            }
            if (!Files.isRegularFile(f)) {
                throw new IOException(named + " '" + envFileName + "' is " + (Files.isDirectory(f) ? "a directory"
                        : "not a regular file") + ", not an env file" + fix + ".");
            }
            if (!Files.isReadable(f)) {
                throw new IOException(named + " '" + envFileName + "' cannot be read by this user" + fix
                        + ", and run as a user that may read it (or chmod it).");
            }
            // the line's number, never its text: it may hold a secret
            try {
                envFile = EnvFile.read(f, env,
                        (line, what) -> err.println("warning: " + envFileName + ":" + line + ": " + what));
                envFileVariables = envFile.keySet();
            } catch (IOException e) {
                throw new IOException(named + " '" + envFileName + "' cannot be read (" + e.getMessage() + ")" + fix
                        + ".", e);
            }
        }
        return new Settings(env, envFile, envFileName, props);
    }

    private int copy(String command, Map<String, String> props) {
        boolean run = command.equals("run");
        boolean repair = command.equals("repair");
        props.put("copy.mode", command.equals("verify") ? "verify" : repair ? "repair" : "copy");
        props.put("copy.follow", Boolean.toString(run));
        props.put("copy.timer-repeat-count", run ? "0" : "1");
        boolean dev = Boolean.parseBoolean(props.get("copy.dev"));
        boolean dryRun = Boolean.parseBoolean(props.get("copy.dry-run"));
        String sink = dryRun ? "direct:print-key" : command.equals("verify") ? "seda:verify-queue"
                : dev ? "direct:copy-object" : "seda:copy-queue";
        if (repair) {
            // fixes the source's objects in place; nothing is listed in (or written to) a target
            sink = "seda:repair-queue";
            props.put("copy.list-target", "false");
            // of the copy routes loaded beside the repair's, those that read or write a target are left out
            props.put("camel.main.route-filter-exclude-pattern", "copy-workers,copy-object,transfer-object,"
                    + "head-target-object,verify-workers,verify-object");
        }
        props.put("copy.sink", sink);
        if (dev) {
            props.put("copy.object-log-level", "INFO");
        }
        if (!run) {
            onePass(props);
        }
        // the state directory does not depend on where the command was started: said at start
        StateLocation.Resolved state = StateLocation.copy(env, workDir, props::get);
        props.put("copy.state-dir", state.dir().toString());
        if (!props.getOrDefault("copy.report-file", "").isBlank()) {
            props.put("copy.report-file", workDir.resolve(props.get("copy.report-file").strip()).toAbsolutePath()
                    .normalize().toString());
        }
        LOG.info("State (checkpoints, reports): {} ({})", state.dir(), state.why());
        CopyOptions options = CopyOptions.from(props::get); // validates numbers and table names
        String problem = Preflight.copy(props::get, options);
        boolean followLog = run && !props.getOrDefault("recover.follow-log", "").isBlank();
        if (problem == null && followLog) {
            problem = Preflight.followLog(props, workDir);
        }
        if (problem != null) {
            err.println("error: " + problem);
            return BAD_CONFIG;
        }
        CheckpointStore checkpoints = new CheckpointStore(options.stateDir(), options.mode(), options.identity());
        if (options.restart() && !options.dryRun()) {
            // written before anything starts: a --restart killed at any moment still starts over next time
            options.tables().forEach(checkpoints::reset);
        } else if (options.resume() && !options.restart() && options.fromId() == 0) {
            String other = checkpoints.otherCopy(options.tables());
            if (other != null) {
                err.println("warning: the checkpoints in " + options.stateDir() + " belong to another copy (" + other
                        + "), not to this one (" + options.identity() + "): every table starts from its first row.");
            }
        }
        if (run && props.get("mirror.config") != null && !props.get("mirror.config").isBlank()) {
            String mirrorProblem = prepareMirror(props);
            if (mirrorProblem != null) {
                err.println("error: " + mirrorProblem);
                return BAD_CONFIG;
            }
            List<String> files = new java.util.ArrayList<>(List.of("copy", "mirror"));
            if (followLog) {
                files.add("recover-follow");
            }
            return launcher.launch(files, props);
        }
        if (repair) {
            return launcher.launch(List.of("copy", "repair"), props);
        }
        return launcher.launch(followLog ? List.of("copy", "recover-follow") : List.of("copy"), props);
    }

    /**
     * A command that ends by itself: no live reload (it would restart the routes mid-pass), and no management port
     * unless management.one-pass=true (a `run` on the same machine holds it).
     */
    static void onePass(Map<String, String> props) {
        props.put("camel.main.routes-reload-enabled", "false");
        if (!Boolean.parseBoolean(props.get("management.one-pass"))) {
            props.put("management.enabled", "false");
        }
    }

    private int mirror(Map<String, String> props) {
        String cfg = props.get("mirror.config");
        if (cfg == null || cfg.isBlank()) {
            err.println("error: mirror needs its config file. Fix: pass --config FILE.json, a file like "
                    + "{\"queue\": \"NAME\", \"sync\": {\"key/prefix/\": \"/local/dir\"}}.");
            return BAD_CONFIG;
        }
        String problem = prepareMirror(props);
        if (problem != null) {
            err.println("error: " + problem);
            return BAD_CONFIG;
        }
        return launcher.launch(List.of("mirror"), props);
    }

    /**
     * Resolves the mirror's settings into {@code props} (config file, mirror.* properties, AWS variables) and checks
     * that the queue exists, the directories are writable and, for --resync, the bucket answers.
     *
     * @return null when the mirror can start, else the problem
     */
    private String prepareMirror(Map<String, String> props) {
        props.put("mirror.config", workDir.resolve(props.get("mirror.config").strip()).toAbsolutePath().toString());
        MirrorSettings s = MirrorSettings.resolve(props::get, env); // IllegalArgumentException: exit 2 in run()
        s.config().warnings().forEach(w -> err.println("warning: " + w));
        props.putAll(s.asProperties());
        props.put("mirror.state-dir", workDir.resolve(s.stateDir()).toAbsolutePath().toString());
        boolean resync = Boolean.parseBoolean(props.get("mirror.resync"));
        if (Boolean.parseBoolean(props.get("mirror.delete")) && !resync) {
            return "--delete only works with --resync (it deletes local files a bucket listing does not have).";
        }
        props.put("mirror.resync", Boolean.toString(resync));
        props.put("mirror.queue-autostartup", Boolean.toString(!resync));
        // the S3 endpoint's own bucket is only a default: every GET names the bucket of its record
        props.put("mirror.endpoint-bucket", s.bucket().isEmpty() ? "mirror-bucket-from-event" : s.bucket());
        Preflight.MirrorCheck check = Preflight.mirror(s, Path.of(props.get("mirror.state-dir")), resync);
        if (check.problem() != null) {
            return check.problem();
        }
        try {
            Mirror.removeTemporaryFiles(s.config().mapping()); // left by writes that a kill interrupted
        } catch (IOException e) {
            return "the temporary files of interrupted writes cannot be removed from the mirrored directories ("
                    + e.getMessage() + "). Fix: check the permissions of the directories in " + s.config().file() + ".";
        }
        props.put("mirror.queue-url", check.queueUrl());
        return null;
    }

    /** With the management port and Jolokia on: the users file Jolokia asks credentials from (made on first start). */
    private String jolokiaUsers(Map<String, String> props) {
        if (!Boolean.parseBoolean(props.get("management.enabled"))
                || !Boolean.parseBoolean(props.get("management.jolokia-enabled"))) {
            return null;
        }
        String name = props.getOrDefault("management.jolokia-users-file", "");
        Path file = workDir.resolve(name.isBlank() ? "state/jolokia-users.properties" : name.strip()).toAbsolutePath();
        props.put("management.jolokia-users-file", file.toString());
        return JolokiaUsers.prepare(file);
    }

    /**
     * Runs Camel Main with the given route files (names under routes/, without .camel.yaml) and property overrides
     * until a route ends the job (one-pass commands) or the process is stopped.
     */
    int launch(List<String> routeFiles, Map<String, String> overrides) {
        String accessProblem = jolokiaUsers(overrides);
        if (accessProblem != null) {
            err.println("error: " + accessProblem);
            return BAD_CONFIG;
        }
        Main main = new Main();
        JobControl control = new JobControl(main::completed);
        main.bind("jobControl", control);
        main.bind("stdout", out);
        main.bind("stderr", err);
        main.configure().addConfiguration(new Beans());
        if (routeFiles.contains("copy")) {
            main.configure().addConfiguration(new CopyBeans());
        }
        // each capability's beans only with its routes: Camel autowires components by type, which instantiates
        // every lazy bean of that type (the mirror's S3Client cannot be built without a mirror config)
        if (routeFiles.contains("mirror")) {
            main.configure().addConfiguration(new MirrorBeans());
        }
        if (routeFiles.stream().anyMatch(f -> f.startsWith("recover"))) {
            main.configure().addConfiguration(new RecoverBeans());
        }
        main.configure().addConfiguration(new Operations());
        Path routesDir = workDir.resolve(overrides.getOrDefault("app.routes-dir", "routes"));
        StringBuilder include = new StringBuilder();
        for (String f : routeFiles) {
            if (!include.isEmpty()) {
                include.append(',');
            }
            String base = Files.isDirectory(routesDir) ? "file:" + routesDir.toAbsolutePath() + "/" : "classpath:routes/";
            include.append(base).append(f).append(".camel.yaml");
            // a route file's error routeConfigurations live beside it in NAME-errors.camel.yaml (routes opt in by id)
            String errors = f + "-errors.camel.yaml";
            if (Files.isDirectory(routesDir) ? Files.exists(routesDir.resolve(errors))
                    : Application.class.getResource("/routes/" + errors) != null) {
                include.append(',').append(base).append(errors);
            }
        }
        main.setPropertyPlaceholderLocations("classpath:application.properties;optional=true,file:"
                + workDir.resolve("application.properties").toAbsolutePath() + ";optional=true");
        // secrets go to the beans that need them, not to Camel: Camel logs resolved placeholders with their values
        // (DEBUG/TRACE) and its override properties (INFO); its copy of a secret key is blanked, so a value written in
        // application.properties is not in Camel either
        Map<String, String> secrets = new LinkedHashMap<>();
        overrides.forEach((k, v) -> {
            if (secretKeys.contains(k) || Settings.isSecretName(k)) {
                secrets.put(k, v);
                main.addOverrideProperty(k, "");
            } else {
                main.addOverrideProperty(k, v);
            }
        });
        main.bind(SecretValues.BEAN, new SecretValues(secrets));
        main.addOverrideProperty("camel.main.routes-include-pattern", include.toString());
        if (Files.isDirectory(routesDir)) {
            LOG.info("Routes: {} (edits reload while it runs)", routesDir.toAbsolutePath().normalize());
            main.addOverrideProperty("camel.main.routes-reload-directory", routesDir.toAbsolutePath().toString());
        } else {
            LOG.info("Routes: the ones inside the jar ({} is not a directory; app.routes-dir / APP_ROUTES_DIR names "
                    + "a routes directory to use and edit)", routesDir.toAbsolutePath().normalize());
            main.addOverrideProperty("camel.main.routes-reload-enabled", "false");
        }
        try {
            main.run();
        } catch (Exception e) {
            err.println("error: " + e.getMessage());
            return BAD_CONFIG;
        }
        // stopped from outside (SIGTERM, Ctrl-C): the normal end of run and mirror, an interrupted copy otherwise
        boolean longRunning = Boolean.parseBoolean(overrides.get("copy.follow")) || routeFiles.equals(List.of("mirror"));
        return control.exitCode(longRunning ? OK : FAILED);
    }
}
