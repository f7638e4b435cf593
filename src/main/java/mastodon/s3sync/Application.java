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

import org.apache.camel.main.Main;

import mastodon.s3sync.config.EnvFile;
import mastodon.s3sync.config.Settings;
import mastodon.s3sync.copy.CopyOptions;

/**
 * Entry point: {@code java -jar mastodon-s3-sync.jar COMMAND [OPTIONS]}. Resolves the configuration, checks what the
 * command needs before anything starts, then runs the command's routes in Camel Main.
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

    public Application(Map<String, String> env, PrintStream out, PrintStream err, Path workDir) {
        this.env = env;
        this.out = out;
        this.err = err;
        this.workDir = workDir;
    }

    public static void main(String[] args) {
        int code = new Application(System.getenv(), System.out, System.err, Path.of("")).run(args);
        System.exit(code);
    }

    public int run(String[] args) {
        CommandLine cli;
        try {
            cli = CommandLine.parse(args, Commands.ALL);
        } catch (CommandLine.UsageException e) {
            err.println("error: " + e.getMessage());
            return BAD_CONFIG;
        }
        if (cli.command.equals("help")) {
            out.print(CommandLine.usage(Commands.ALL));
            return OK;
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
        try {
            return switch (cli.command) {
                case "config" -> {
                    ConfigReport.print(settings, cli.properties, out);
                    yield OK;
                }
                case "copy", "verify", "run" -> copy(cli.command, props);
                case "recover-subscriptions" -> {
                    String problem = Preflight.recoverSubscriptions(props, workDir);
                    if (problem != null) {
                        err.println("error: " + problem);
                        yield BAD_CONFIG;
                    }
                    yield launch(List.of("recover-subscriptions"), props);
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
            Path f = workDir.resolve(envFileName);
            if (!Files.isReadable(f)) {
                throw new IOException("env file '" + envFileName + "' cannot be read. Fix: pass the path of Mastodon's "
                        + ".env.production (e.g. --env-file /home/mastodon/live/.env.production) and check its permissions.");
            }
            envFile = EnvFile.read(f);
        }
        return new Settings(env, envFile, envFileName, props);
    }

    private int copy(String command, Map<String, String> props) {
        boolean run = command.equals("run");
        props.put("copy.mode", command.equals("verify") ? "verify" : "copy");
        props.put("copy.follow", Boolean.toString(run));
        props.put("copy.timer-repeat-count", run ? "0" : "1");
        boolean dev = Boolean.parseBoolean(props.get("copy.dev"));
        boolean dryRun = Boolean.parseBoolean(props.get("copy.dry-run"));
        String sink = dryRun ? "direct:print-key" : command.equals("verify") ? "seda:verify-queue"
                : dev ? "direct:copy-object" : "seda:copy-queue";
        props.put("copy.sink", sink);
        if (dev) {
            props.put("copy.object-log-level", "INFO");
        }
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
        return launch(followLog ? List.of("copy", "recover-follow") : List.of("copy"), props);
    }

    /**
     * Runs Camel Main with the given route files (names under routes/, without .camel.yaml) and property overrides
     * until a route ends the job (one-pass commands) or the process is stopped.
     */
    int launch(List<String> routeFiles, Map<String, String> overrides) {
        Main main = new Main();
        JobControl control = new JobControl(main::completed);
        main.bind("jobControl", control);
        main.bind("stdout", out);
        main.configure().addConfiguration(new Beans());
        main.configure().addConfiguration(new RecoverBeans());
        Path routesDir = workDir.resolve(overrides.getOrDefault("app.routes-dir", "routes"));
        StringBuilder include = new StringBuilder();
        for (String f : routeFiles) {
            if (!include.isEmpty()) {
                include.append(',');
            }
            include.append(Files.isDirectory(routesDir) ? "file:" + routesDir.toAbsolutePath() + "/" : "classpath:routes/")
                    .append(f).append(".camel.yaml");
        }
        main.setPropertyPlaceholderLocations("classpath:application.properties;optional=true,file:"
                + workDir.resolve("application.properties").toAbsolutePath() + ";optional=true");
        overrides.forEach(main::addOverrideProperty);
        main.addOverrideProperty("camel.main.routes-include-pattern", include.toString());
        if (Files.isDirectory(routesDir)) {
            main.addOverrideProperty("camel.main.routes-reload-directory", routesDir.toAbsolutePath().toString());
        } else {
            main.addOverrideProperty("camel.main.routes-reload-enabled", "false");
        }
        try {
            main.run();
        } catch (Exception e) {
            err.println("error: " + e.getMessage());
            return BAD_CONFIG;
        }
        return control.exitCode(FAILED);
    }
}
