package mastodon.s3sync;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.main.BaseMainSupport;
import org.apache.camel.main.Main;
import org.apache.camel.main.MainListenerSupport;

import mastodon.s3sync.config.SecretValues;
import mastodon.s3sync.config.Settings;
import mastodon.s3sync.ops.JolokiaUsers;
import mastodon.s3sync.ops.ManagementWiring;
import mastodon.s3sync.store.TlsWarmUp;

/**
 * Runs Camel Main with a command's route files (names under routes/, without .camel.yaml), the beans those route
 * files call, and the command's properties, until a route ends the job (one-pass commands) or the process is stopped.
 */
final class CamelLauncher implements Application.Launcher {

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger("mastodon.s3sync");

    private final PrintStream out;
    private final PrintStream err;
    private final Path workDir;
    /** The settings whose values are secret (by name, or by content such as DATABASE_URL): never given to Camel. */
    private final Set<String> secretKeys;
    /** Told the CamelContext once its routes are loaded, before they start (tests: NotifyBuilder); may be null. */
    private final java.util.function.Consumer<CamelContext> configured;

    CamelLauncher(PrintStream out, PrintStream err, Path workDir, Set<String> secretKeys) {
        this(out, err, workDir, secretKeys, null);
    }

    CamelLauncher(PrintStream out, PrintStream err, Path workDir, Set<String> secretKeys,
                  java.util.function.Consumer<CamelContext> configured) {
        this.configured = configured;
        this.out = out;
        this.err = err;
        this.workDir = workDir;
        this.secretKeys = secretKeys;
    }

    /**
     * A command that ends by itself: no live reload (it would restart the routes mid-pass), and no management unless
     * management.one-pass=true (a `run` on the same machine holds the port): no port and no Camel MBeans, which
     * nothing would ask for. These, with the class-path scan for health checks (now off for every command), cost
     * about a third of the CPU a copy spent before its first object (bench/RESULTS.md, start-up). Nor Camel's
     * per-route timers (camel_exchanges_*, which only the management port serves): they time each of the five routes
     * an object passes (Micrometer was in a tenth of the copy workers' profile samples; end to end at most 2-3% of the
     * CPU, bench/RESULTS.md). Nor the Prometheus registry and its JVM binders, which only /observe/metrics reads:
     * found through a Jandex index and built before the routes: a few tenths of a second of CPU before the first
     * object (bench/RESULTS.md, start-up).
     */
    static void onePass(Map<String, String> props) {
        props.put("camel.main.routes-reload-enabled", "false");
        if (!Boolean.parseBoolean(props.get("management.one-pass"))) {
            props.put("management.enabled", "false");
            props.put("camel.main.jmx-enabled", "false");
            props.put("camel.metrics.enable-route-policy", "false");
            props.put("camel.metrics.enabled", "false");
        }
    }

    /**
     * The beans of the given route files, each capability's only with its routes: Camel autowires components by type,
     * which instantiates every lazy bean of that type (the mirror's S3Client cannot be built without a mirror config).
     */
    static List<CamelConfiguration> beans(List<String> routeFiles) {
        List<CamelConfiguration> beans = new ArrayList<>();
        beans.add(new StoresAndDatabaseBeans());
        if (routeFiles.contains("copy")) {
            beans.add(new CopyBeans());
        }
        if (routeFiles.contains("copy-queue")) {
            beans.add(new QueueBeans());
        }
        if (routeFiles.contains("mirror")) {
            beans.add(new MirrorBeans());
        }
        if (routeFiles.stream().anyMatch(f -> f.startsWith("recover"))) {
            beans.add(new RecoverBeans());
        }
        beans.add(new ManagementWiring());
        return beans;
    }

    @Override
    public int launch(List<String> routeFiles, Map<String, String> overrides) {
        return launch(routeFiles, overrides, () -> null);
    }

    @Override
    public int launch(List<String> routeFiles, Map<String, String> overrides, Supplier<String> gate) {
        String accessProblem = jolokiaUsers(overrides);
        if (accessProblem != null) {
            err.println("error: " + accessProblem);
            return Application.BAD_CONFIG;
        }
        // over https: AES-GCM compiled by C2 before the first object, not 15 s into the copy
        TlsWarmUp.start(routeFiles, overrides);
        Main main = new Main();
        if (configured != null) {
            main.addMainListener(new MainListenerSupport() {
                @Override
                public void afterConfigure(BaseMainSupport m) {
                    configured.accept(m.getCamelContext());
                }
            });
        }
        // the checks (the stores and the database answer) run while Camel reads and builds the routes; no route
        // starts before they passed. What they found (settings the gate added to the overrides: the schema's
        // columns for the media query) reaches the routes' placeholders, which are resolved when the routes start
        Set<String> given = Set.copyOf(overrides.keySet());
        main.addMainListener(new MainListenerSupport() {
            @Override
            public void afterConfigure(BaseMainSupport m) {
                String problem = gate.get();
                if (problem != null) {
                    throw new IllegalStateException(problem);
                }
                overrides.forEach((k, v) -> {
                    if (!given.contains(k) && !secretKeys.contains(k) && !Settings.isSecretName(k)) {
                        m.getCamelContext().getPropertiesComponent().addOverrideProperty(k, v);
                    }
                });
            }
        });
        JobControl control = new JobControl(main::completed);
        main.bind("jobControl", control);
        main.bind("stdout", out);
        main.bind("stderr", err);
        beans(routeFiles).forEach(main.configure()::addConfiguration);
        Path routesDir = routesDir(overrides.get("app.routes-dir"), workDir);
        StringBuilder include = new StringBuilder();
        boolean fromDir = Files.isDirectory(routesDir);
        for (String f : withErrorFiles(routeFiles, routesDir, fromDir)) {
            if (!include.isEmpty()) {
                include.append(',');
            }
            include.append(fromDir ? "file:" + routesDir.toAbsolutePath() + "/" : "classpath:routes/")
                    .append(f).append(".camel.yaml");
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
            // a failed check is the caller's to report (Camel may also have failed on what the check found)
            if (gate.get() == null) {
                err.println("error: " + e.getMessage());
            }
            return Application.BAD_CONFIG;
        }
        // stopped from outside (SIGTERM, Ctrl-C): the normal end of run and mirror, an interrupted copy otherwise
        boolean longRunning = Boolean.parseBoolean(overrides.get("copy.follow")) || routeFiles.equals(List.of("mirror"));
        return control.exitCode(longRunning ? Application.OK : Application.FAILED);
    }

    /**
     * The routes directory: {@code app.routes-dir} when set (relative to the working directory), else the
     * installation's: {@code routes/} in the directory the launcher names ({@code -Dapp.home}, bin/'s parent), else
     * beside the jar or one level up (the Docker image's /app/routes, a checkout's target/../routes), else
     * {@code ./routes} when not started from a jar (a build's classes). A directory that does not exist means the
     * routes inside the jar.
     */
    static Path routesDir(String setting, Path workDir) {
        if (setting != null && !setting.isBlank()) {
            return workDir.resolve(setting.strip()).toAbsolutePath().normalize();
        }
        String home = System.getProperty("app.home", "");
        if (!home.isBlank()) {
            return Path.of(home).resolve("routes").toAbsolutePath().normalize();
        }
        try {
            Path code = Path.of(CamelLauncher.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            if (Files.isRegularFile(code)) {
                Path beside = code.toAbsolutePath().getParent().resolve("routes");
                Path above = code.toAbsolutePath().getParent().resolveSibling("routes");
                return Files.isDirectory(beside) || !Files.isDirectory(above) ? beside : above;
            }
        } catch (RuntimeException | java.net.URISyntaxException e) {
            // no code source to go by: the working directory's
        }
        return workDir.resolve("routes").toAbsolutePath().normalize();
    }

    /** With the management port and Jolokia on: the users file Jolokia asks credentials from (made on first start). */
    private String jolokiaUsers(Map<String, String> props) {
        if (!Boolean.parseBoolean(props.get("management.enabled"))
                || !Boolean.parseBoolean(props.get("management.jolokia-enabled"))) {
            return null;
        }
        // Application resolved the file (StateLocation.jolokiaUsers: the setting, else the default)
        Path file = workDir.resolve(props.get("management.jolokia-users-file").strip()).toAbsolutePath();
        props.put("management.jolokia-users-file", file.toString());
        return JolokiaUsers.prepare(file);
    }

    /**
     * Each route file preceded by its error handling, {@code NAME-errors.camel.yaml} (the routeConfigurations its
     * routes opt into by id), when there is one.
     */
    static List<String> withErrorFiles(List<String> routeFiles, Path routesDir, boolean fromDir) {
        List<String> files = new java.util.ArrayList<>();
        for (String f : routeFiles) {
            String errors = f + "-errors";
            boolean exists = fromDir ? Files.isRegularFile(routesDir.resolve(errors + ".camel.yaml"))
                    : CamelLauncher.class.getResource("/routes/" + errors + ".camel.yaml") != null;
            if (exists && !files.contains(errors)) {
                files.add(errors);
            }
            files.add(f);
        }
        return files;
    }
}
