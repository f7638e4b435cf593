package mastodon.s3sync;

import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import mastodon.s3sync.copy.CheckpointStore;
import mastodon.s3sync.copy.CopyOptions;
import mastodon.s3sync.queue.QueueCheck;
import mastodon.s3sync.queue.QueueSettings;
import mastodon.s3sync.store.DirectoryChecks;
import mastodon.s3sync.store.S3Stores;
import mastodon.s3sync.store.StoreConfig;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * copy --plan-to QUEUE and copy --work-from QUEUE: the copy spread over machines through an SQS work queue
 * (docs/scale-out.md). The planner pages the tables as copy does and sends the planned tasks to the queue
 * (routes/copy-queue.camel.yaml), waits until workers drained it, then verifies the planned tables (the verify
 * command, in this process). A worker copies the queue's tasks with copy's own per-object routes until stopped; it
 * needs both stores and the queue, not the database.
 */
final class ScaleOutCommand {

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger("mastodon.s3sync");

    /** The planner leaves out copy's per-object routes and its end (plan-finish and plan-wait end the planner). */
    static final String PLANNER_EXCLUDES = "copy-workers,copy-object,copy-attempts,transfer-object,same-size,"
            + "same-headers,head-*,get-source-*,put-target-*,print-key,copy-finish,copy-pass-end,work-queue,"
            + "worker-progress";
    /** A worker leaves out the paging, the checkpoints and the pass's progress and end (it has no pass). */
    static final String WORKER_EXCLUDES = "page-*,copy-workers,print-key,copy-finish,copy-pass-end,"
            + "copy-checkpoints,copy-progress,copy-progress-bar,enqueue-page,send-batch,plan-finish,plan-wait";

    private final Invocation inv;
    private final CopyCommand copy;

    ScaleOutCommand(Invocation inv, CopyCommand copy) {
        this.inv = inv;
        this.copy = copy;
    }

    static boolean wanted(Map<String, String> props) {
        return !blank(props.get("copy.plan-to")) || !blank(props.get("copy.work-from"));
    }

    int run(Map<String, String> props) {
        boolean plan = !blank(props.get("copy.plan-to"));
        if (plan && !blank(props.get("copy.work-from"))) {
            return inv.refuse("--plan-to and --work-from exclude each other: one process plans, others work. Fix: "
                    + "run copy --plan-to QUEUE once, and copy --work-from QUEUE on each worker machine.");
        }
        if (Boolean.parseBoolean(props.get("copy.dry-run")) || Boolean.parseBoolean(props.get("copy.dev"))) {
            return inv.refuse("--dry-run and --dev do not go with --plan-to or --work-from. Fix: run copy --dry-run "
                    + "without a queue to see the keys.");
        }
        if (!plan && Boolean.parseBoolean(props.get("copy.no-wait"))) {
            return inv.refuse("--no-wait is the planner's (copy --plan-to QUEUE --no-wait); a worker runs until "
                    + "stopped. Fix: drop --no-wait.");
        }
        String queue = (plan ? props.get("copy.plan-to") : props.get("copy.work-from")).strip();
        Map<String, String> original = new LinkedHashMap<>(props);
        var state = copy.configure(props);
        LOG.info("State (checkpoints, reports): {} ({})", state.dir(), state.why());
        props.put("copy.mode", plan ? "plan" : "work");
        props.put("copy.sink", plan ? "direct:enqueue-page" : "direct:copy-object");
        props.put("copy.progress-bar", "false");
        String excluded = props.getOrDefault("camel.main.route-filter-exclude-pattern", "");
        props.put("camel.main.route-filter-exclude-pattern", (excluded.isEmpty() ? "" : excluded + ",")
                + (plan ? PLANNER_EXCLUDES : WORKER_EXCLUDES));
        CopyOptions options = CopyOptions.from(props::get);
        Map<String, String> found = new HashMap<>(); // the media query's columns this schema has (planner)
        String problem = plan ? Preflight.copy(props::get, options, found) : storesProblem(props);
        if (problem != null) {
            return inv.refuse(problem);
        }
        props.putAll(found);
        QueueSettings qs = QueueSettings.resolve(queue, props::get, inv.env());
        QueueCheck.Result check;
        try (SqsClient sqs = qs.sqsClient()) {
            check = QueueCheck.check(qs, sqs);
        }
        if (!check.ok()) {
            return inv.refuse(check.problem());
        }
        check.warnings().forEach(w -> inv.err().println("warning: " + w));
        props.putAll(qs.asProperties(check.url()));
        props.put("queue.dead-letter-url", check.deadLetterUrl() == null ? "" : check.deadLetterUrl());
        if (blank(props.get("queue.worker-id"))) {
            props.put("queue.worker-id", defaultWorkerId());
        }
        if (plan && options.restart()) {
            // written before anything starts: a --restart killed at any moment still starts over next time
            CheckpointStore checkpoints = new CheckpointStore(options.stateDir(), options.mode(), options.identity());
            options.tables().forEach(checkpoints::reset);
        }
        LOG.info(plan ? "Planner: sending the copy tasks to {} ({})" : "Worker {}: copying the tasks of {} ({})",
                plan ? new Object[] {check.url(), qs.where()} : new Object[] {props.get("queue.worker-id"),
                    check.url(), qs.where()});
        int code = inv.launcher().launch(List.of("copy", "copy-queue"), props);
        if (!plan || code != Application.OK || Boolean.parseBoolean(props.get("copy.no-wait"))) {
            return code;
        }
        // the queue is drained: verify what was planned (the same tables and options), naming what is missing
        inv.out().println("Work queue drained; verifying the planned tables in the target.");
        inv.out().flush();
        Map<String, String> verify = new LinkedHashMap<>(original);
        verify.put("copy.plan-to", "");
        verify.put("copy.restart", "false");
        verify.put("copy.no-wait", "false");
        return new CopyCommand(inv, "verify").run(verify);
    }

    /** A worker needs both stores (not the database): null when they answer, else the problem. */
    private static String storesProblem(Map<String, String> props) {
        String settings = Preflight.copySettings(props::get, false);
        if (settings != null) {
            return settings;
        }
        for (String side : List.of("source", "target")) {
            if (DirectoryChecks.isDirectory(props::get, side)) {
                continue;
            }
            StoreConfig c = StoreConfig.from(side, props::get);
            try (S3Client s3 = S3Stores.client(c)) {
                String p = S3Stores.check(c, s3);
                if (p != null) {
                    return p;
                }
            } catch (RuntimeException e) {
                return side + " store settings are not usable: " + e.getMessage();
            }
        }
        return null;
    }

    /** host-pid: tells the workers apart in logs and metrics. */
    static String defaultWorkerId() {
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (java.io.IOException e) {
            host = "worker";
        }
        return host + "-" + ManagementFactory.getRuntimeMXBean().getPid();
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }
}
