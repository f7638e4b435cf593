package mastodon.s3sync;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import mastodon.s3sync.CommandLine.Option;
import mastodon.s3sync.CommandLine.Spec;
import mastodon.s3sync.recover.SshTarget;

/**
 * recover-subscriptions: checks the logs, the rule, the command, the SSH settings and the database (Preflight), makes
 * the paths absolute, then runs routes/recover-subscriptions.camel.yaml once.
 */
final class RecoverCommand {

    static final Spec SPEC = new Spec("recover-subscriptions", "find federation subscriptions the server refused in "
            + "nginx logs, classify their accounts, and resubscribe those with local followers",
            List.of(new Option("--log", "recover.logs", true, true,
                            "an nginx access log (combined format, plain or .gz); repeat for more"),
                    new Option("--resubscribe", "recover.resubscribe", false, false,
                            "run the resubscribe command over SSH (without it: print the commands)")));

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger("mastodon.s3sync");

    private final Invocation inv;

    RecoverCommand(Invocation inv) {
        this.inv = inv;
    }

    int run(Map<String, String> props) {
        String problem = Preflight.recoverSubscriptions(props::get, inv.workDir());
        if (problem != null) {
            return inv.refuse(problem);
        }
        configure(props);
        CamelLauncher.onePass(props);
        return inv.launcher().launch(List.of("recover-subscriptions"), props);
    }

    /**
     * Log and (with --resubscribe) SSH key paths made absolute, against the working directory and ~; the report where
     * {@link StateLocation#recoverReport} puts it.
     */
    void configure(Map<String, String> props) {
        List<String> logs = new ArrayList<>();
        for (String l : props.getOrDefault("recover.logs", "").split(",")) {
            if (!l.isBlank()) {
                logs.add(inv.absolute(l).toString());
            }
        }
        props.put("recover.logs", String.join(",", logs));
        StateLocation.Resolved report = StateLocation.recoverReport(inv.env(), inv.workDir(), props::get);
        props.put("recover.report-file", report.dir().toString());
        LOG.info("Report: {} ({})", report.dir(), report.why());
        if (Boolean.parseBoolean(props.get("recover.resubscribe"))) {
            SshTarget ssh = SshTarget.from(props::get);
            props.put("recover.ssh.key-file", ssh.keyFile().toString());
            props.put("recover.ssh.known-hosts", ssh.knownHosts().toString());
            props.put("recover.ssh.port", Integer.toString(ssh.port()));
        }
    }
}
