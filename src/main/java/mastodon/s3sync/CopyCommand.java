package mastodon.s3sync;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import mastodon.s3sync.CommandLine.Option;
import mastodon.s3sync.CommandLine.Spec;
import mastodon.s3sync.copy.CheckpointStore;
import mastodon.s3sync.store.DirectoryChecks;
import mastodon.s3sync.ops.TerminalProgress;
import mastodon.s3sync.copy.CopyOptions;

/**
 * copy, verify, repair and run: the copy job's commands. Sets the copy routes' mode, sink and state directory from the
 * command, checks what the job needs (Preflight), then starts routes/copy.camel.yaml, with verify.camel.yaml (verify),
 * repair.camel.yaml (repair), mirror.camel.yaml (run with mirror.config) and recover-follow.camel.yaml (run with
 * recover.follow-log).
 */
final class CopyCommand {

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger("mastodon.s3sync");

    static final List<Option> TABLE_OPTIONS = List.of(
            new Option("--only", "copy.only", true, false, "tables to process, comma-separated (default: all eight; imports only where it exists)"),
            new Option("--limit", "copy.limit", true, false, "at most N rows per table"),
            new Option("--offset", "copy.offset", true, false, "skip the first N rows of each table"),
            new Option("--from-id", "copy.from-id", true, false, "start at this id (ignores the checkpoint)"),
            new Option("--restart", "copy.restart", false, false, "ignore and reset the checkpoints"));

    static final Option CHECK_HEADERS = new Option("--check-headers", "copy.check-headers", false, false,
            "HEAD each object the target already has and rewrite it when its Content-Type or Cache-Control is not "
                    + "Mastodon's (default: same size in both listings = skipped, no request)");

    static final List<Spec> SPECS = List.of(
            new Spec("copy", "copy every Mastodon media object from the source store to the target store, once",
                    tableOptionsAnd(List.of(
                            new Option("--dry-run", "copy.dry-run", false, false, "print the keys it would copy, copy nothing"),
                            new Option("--dev", "copy.dev", false, false, "one object at a time, inline and verbose"),
                            new Option("--force", "copy.force", false, false, "copy even objects the target already has"),
                            CHECK_HEADERS,
                            new Option("--plan-to", "copy.plan-to", true, false, "scale-out planner: send the copy "
                                    + "tasks to this SQS queue (name or URL), wait until workers drained it, verify "
                                    + "(docs/scale-out.md)"),
                            new Option("--no-wait", "copy.no-wait", false, false, "with --plan-to: exit once "
                                    + "everything is enqueued"),
                            new Option("--work-from", "copy.work-from", true, false, "scale-out worker: copy the "
                                    + "tasks of this SQS queue (name or URL) until stopped")))),
            new Spec("verify", "check that the target holds every expected object (size against the source)",
                    tableOptionsAnd(List.of(new Option("--resume", "copy.resume", false, false,
                            "continue after verify's last checkpoint instead of checking every object")))),
            new Spec("repair", "fix Content-Type, Cache-Control and ACL of the objects in the store Mastodon uses "
                    + "(S3_*) in place, as Mastodon would have written them (after an rclone or aws s3 sync migration)",
                    tableOptionsAnd(List.of(new Option("--dry-run", "copy.dry-run", false, false,
                            "print what it would change for each object, change nothing")))),
            new Spec("run", "copy, then keep following new rows (and mirror/recover when configured) until stopped",
                    List.of(new Option("--only", "copy.only", true, false, "tables to follow, comma-separated"),
                            new Option("--force", "copy.force", false, false, "copy even objects the target already has"),
                            CHECK_HEADERS,
                            new Option("--restart", "copy.restart", false, false, "ignore and reset the checkpoints"))));

    /** The table options, then the command's own (not Commands.concat: Commands.ALL is built from this class). */
    private static List<Option> tableOptionsAnd(List<Option> own) {
        List<Option> all = new ArrayList<>(TABLE_OPTIONS);
        all.addAll(own);
        return List.copyOf(all);
    }

    /** The copy routes left out of a repair (they read or write a target; repair fixes the source in place). */
    static final String REPAIR_EXCLUDES = "copy-workers,copy-object,copy-attempts,transfer-object,head-target-object,"
            + "head-target-size,put-target-bucket";

    /**
     * The route a copy leaves out: the dry run's, which it never sends to (verify's are in their own file, which only
     * verify loads). One route fewer to build at start. run keeps it: with a route filter its live reload of an edited
     * route file did not take (OperationsTest).
     */
    static final String COPY_EXCLUDES = "print-key";

    /** The routes verify leaves out: the copy's transfer and the dry run's printing. */
    static final String VERIFY_EXCLUDES = "copy-workers,copy-object,copy-attempts,transfer-object,print-key";

    private final Invocation inv;
    private final String command;

    CopyCommand(Invocation inv, String command) {
        this.inv = inv;
        this.command = command;
    }

    int run(Map<String, String> props) {
        if (ScaleOutCommand.wanted(props)) {
            return new ScaleOutCommand(inv, this).run(props);
        }
        boolean run = command.equals("run");
        StateLocation.Resolved state = configure(props);
        LOG.info("State (checkpoints, reports): {} ({})", state.dir(), state.why());
        CopyOptions options = CopyOptions.from(props::get); // validates numbers and table names
        String problem = Preflight.copySettings(props::get, options.repair());
        boolean followLog = run && !props.getOrDefault("recover.follow-log", "").isBlank();
        if (problem == null && followLog) {
            problem = Preflight.followLog(props::get, inv.workDir());
        }
        if (problem != null) {
            return inv.refuse(problem);
        }
        // the stores and the database answer: checked while Camel reads and builds the routes, none of which starts
        // before the checks passed (about a second less before the first object)
        // what the database check finds (the media query's columns this schema has) goes to the routes with it
        Map<String, String> found = new HashMap<>(); // written by the check, read after it ends
        CompletableFuture<String> connections = connectionChecks(new HashMap<>(props), options, found);
        CheckpointStore checkpoints = new CheckpointStore(options.stateDir(), options.mode(), options.identity());
        if (options.restart() && !options.dryRun()) {
            // written before anything starts: a --restart killed at any moment still starts over next time
            options.tables().forEach(checkpoints::reset);
        } else if (options.resume() && !options.restart() && options.fromId() == 0) {
            String other = checkpoints.otherCopy(options.tables());
            if (other != null) {
                inv.err().println("warning: the checkpoints in " + options.stateDir() + " belong to another copy ("
                        + other + "), not to this one (" + options.identity() + "): every table starts from its "
                        + "first row.");
            }
        }
        List<String> files = new ArrayList<>(List.of("copy"));
        if (command.equals("verify")) {
            files.add("verify"); // verify.camel.yaml: verify-workers, verify-object
        }
        if (run && !props.getOrDefault("mirror.config", "").isBlank()) {
            String mirrorProblem = new MirrorCommand(inv).configure(props);
            if (mirrorProblem != null) {
                return inv.refuse(mirrorProblem);
            }
            files.add("mirror");
        }
        if (command.equals("repair")) {
            files.add("repair");
        }
        if (followLog) {
            files.add("recover-follow");
        }
        int code = inv.launcher().launch(files, props, () -> {
            String failed = connections.join();
            if (failed == null) {
                props.putAll(found);
            }
            return failed;
        });
        String failed = connections.join();
        return failed != null ? inv.refuse(failed) : code;
    }

    /** Preflight.copyConnections on its own thread: null when they answer, else the problem. */
    private static CompletableFuture<String> connectionChecks(Map<String, String> props, CopyOptions options,
                                                              Map<String, String> found) {
        CompletableFuture<String> result = new CompletableFuture<>();
        Thread t = new Thread(() -> {
            try {
                result.complete(Preflight.copyConnections(props::get, options, found));
            } catch (RuntimeException e) {
                result.complete(e instanceof IllegalArgumentException ? e.getMessage()
                        : "checking the stores and the database failed: " + e);
            }
        }, "preflight");
        t.setDaemon(true);
        t.start();
        return result;
    }

    /**
     * The copy routes' settings for this command: mode, whether it follows new rows, where each key goes (the sink),
     * the object log level; the state directory, the report file and run's access log made absolute (the state
     * directory does not depend on where the command was started).
     *
     * @return the state directory, and why it is that one
     */
    StateLocation.Resolved configure(Map<String, String> props) {
        boolean run = command.equals("run");
        boolean repair = command.equals("repair");
        boolean verify = command.equals("verify");
        props.put("copy.mode", verify ? "verify" : repair ? "repair" : "copy");
        props.put("copy.follow", Boolean.toString(run));
        props.put("copy.timer-repeat-count", run ? "0" : "1");
        boolean dev = Boolean.parseBoolean(props.get("copy.dev"));
        boolean dryRun = Boolean.parseBoolean(props.get("copy.dry-run"));
        String sink = dryRun ? "direct:print-key" : verify ? "seda:verify-queue"
                : dev ? "direct:copy-object" : "seda:copy-queue";
        if (repair) {
            // fixes the source's objects in place; nothing is listed in (or written to) a target
            sink = "seda:repair-queue";
            props.put("copy.list-target", "false");
        }
        props.put("copy.sink", sink);
        // a live bar when a person watches (stdin and stdout a terminal), lines in a log or a pipe; the dry run's
        // stdout is its key list
        String bar = props.getOrDefault("copy.progress-bar", "auto").strip();
        props.put("copy.progress-bar", Boolean.toString(bar.equals("auto")
                ? !dryRun && TerminalProgress.isInteractive() : Boolean.parseBoolean(bar)));
        // a side that is a directory: the routes that would talk to it as a bucket are left out (Camel would start
        // their S3 endpoints, which HEAD the bucket)
        List<String> excluded = new ArrayList<>();
        if (repair) {
            excluded.add(REPAIR_EXCLUDES);
        } else if (verify) {
            excluded.add(VERIFY_EXCLUDES);
        } else if (!dryRun && !run) {
            // not run: its live reload of routes/ does not take edits with these routes filtered out
            excluded.add(COPY_EXCLUDES);
        }
        if (DirectoryChecks.isDirectory(props::get, "source")) {
            excluded.add("get-source-bucket,head-source-object,head-source-size");
        }
        if (DirectoryChecks.isDirectory(props::get, "target") && !repair) {
            excluded.add("put-target-bucket,head-target-object,head-target-size");
        }
        if (!excluded.isEmpty()) {
            props.put("camel.main.route-filter-exclude-pattern", String.join(",", excluded));
        }
        if (dev) {
            props.put("copy.object-log-level", "INFO");
        }
        if (!run) {
            CamelLauncher.onePass(props);
        }
        StateLocation.Resolved state = StateLocation.copy(inv.env(), inv.workDir(), props::get);
        props.put("copy.state-dir", state.dir().toString());
        if (!props.getOrDefault("copy.report-file", "").isBlank()) {
            props.put("copy.report-file", inv.absolute(props.get("copy.report-file")).toString());
        }
        if (run && !props.getOrDefault("recover.follow-log", "").isBlank()) {
            props.put("recover.follow-log", inv.absolute(props.get("recover.follow-log")).toString());
        }
        return state;
    }
}
