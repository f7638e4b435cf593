package mastodon.s3sync;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

import org.apache.camel.CamelContext;

/**
 * The one way tests run the tool in this JVM: {@link Application} with an environment and a working directory,
 * stdout and stderr captured, the exit code returned as a {@link Result}. {@link #start} runs it on a thread of its
 * own and hands over the CamelContext once its routes are loaded and before they start, so a test can set up a
 * {@code NotifyBuilder} (or look at routes and endpoints) while the command runs.
 */
public final class InProcessRunner {

    /** The outcome of one run: exit code, stdout, stderr. */
    public record Result(int code, String out, String err) {
        /** stdout and stderr together, in that order. */
        public String all() {
            return out + err;
        }
    }

    private final Map<String, String> env;
    private final Path workDir;
    private boolean echo = true;
    private Application.Launcher launcher;
    private String programName;

    public InProcessRunner(Map<String, String> env, Path workDir) {
        this.env = env;
        this.workDir = workDir;
    }

    /** Runs with an environment of nothing but {@code env} in {@code workDir}. */
    public static Result run(Map<String, String> env, Path workDir, String... args) {
        return new InProcessRunner(env, workDir).run(args);
    }

    /** Does not print what the run wrote to the test's own output (tests that search their output for secrets). */
    public InProcessRunner quiet() {
        this.echo = false;
        return this;
    }

    /** Hands the routes to {@code l} instead of starting Camel (tests of what reaches the launch, and what not). */
    public InProcessRunner launcher(Application.Launcher l) {
        this.launcher = l;
        return this;
    }

    /** Shows this program name in usage and help (as bin/mastodon-s3-sync sets -Dapp.name). */
    public InProcessRunner programName(String name) {
        this.programName = name;
        return this;
    }

    /** Runs {@code args} to the end. */
    public Result run(String... args) {
        return run(null, args);
    }

    private Result run(Consumer<CamelContext> onContext, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
        PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8);
        PrintStream sysOut = System.out;
        int code;
        try {
            System.setOut(o); // what Camel's stream:out prints (the dry run's keys) is stdout too
            Application app = new Application(new HashMap<>(env), o, e, workDir).onCamelContext(onContext);
            if (launcher != null) {
                app.launcher(launcher);
            }
            if (programName != null) {
                app.programName(programName);
            }
            code = app.run(args);
        } finally {
            System.setOut(sysOut);
        }
        Result r = new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        if (echo) {
            sysOut.println("---- " + String.join(" ", args) + " -> " + code + "\n" + r.out + r.err);
        }
        return r;
    }

    /** Starts {@code args} on a thread of its own. */
    public Running start(String... args) {
        return new Running(args);
    }

    /** A command running in this JVM. */
    public final class Running {
        private final CompletableFuture<CamelContext> context = new CompletableFuture<>();
        private final CompletableFuture<Result> result = new CompletableFuture<>();

        private Running(String[] args) {
            Thread t = new Thread(() -> {
                try {
                    result.complete(run(context::complete, args));
                } catch (Throwable x) {
                    result.completeExceptionally(x);
                } finally {
                    context.completeExceptionally(new IllegalStateException("the command ended without Camel"));
                }
            }, "in-process-" + args[0]);
            t.setDaemon(true);
            t.start();
        }

        /** The CamelContext, its routes loaded and not yet started; waits for it at most {@code limit}. */
        public CamelContext context(Duration limit) throws Exception {
            return context.get(limit.toMillis(), TimeUnit.MILLISECONDS);
        }

        /**
         * Ends a long-running command (mirror, run) as SIGTERM or an idle timeout would: Camel Main completes, the
         * routes stop gracefully (in-flight exchanges finish) and the command returns its exit code for a stop from
         * outside (0). Call {@link #await} for the result.
         */
        public void stop() throws Exception {
            CamelContext c = context.getNow(null);
            if (c == null) {
                throw new IllegalStateException("the command has no CamelContext to stop");
            }
            c.getRegistry().lookupByNameAndType("jobControl", JobControl.class).finish(Application.OK);
        }

        /** Waits for the command to end; fails the test when it has not ended within {@code limit}. */
        public Result await(Duration limit) throws Exception {
            try {
                return result.get(limit.toMillis(), TimeUnit.MILLISECONDS);
            } catch (TimeoutException e) {
                throw new AssertionError("the command did not end within " + limit, e);
            }
        }
    }
}
