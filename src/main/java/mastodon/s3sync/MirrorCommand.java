package mastodon.s3sync;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import mastodon.s3sync.CommandLine.Option;
import mastodon.s3sync.CommandLine.Spec;
import mastodon.s3sync.mirror.Mirror;
import mastodon.s3sync.mirror.MirrorConfig;
import mastodon.s3sync.mirror.MirrorSettings;

/**
 * mirror: keeps local directories identical to parts of a bucket. Resolves the mirror's settings (config file,
 * mirror.* properties, AWS variables), checks them (Preflight), then starts routes/mirror.camel.yaml. run uses
 * {@link #configure} too when mirror.config is set.
 */
final class MirrorCommand {

    static final Spec SPEC = new Spec("mirror", "keep local directories identical to parts of a bucket, from S3 event "
            + "notifications on an SQS queue, until stopped",
            List.of(new Option("--config", "mirror.config", true, false,
                            "the JSON config file: {\"queue\": NAME-OR-URL, \"sync\": {PREFIX: DIRECTORY}}"),
                    new Option("--resync", "mirror.resync", false, false,
                            "first download what is missing or differs in size locally, then follow the queue"),
                    new Option("--delete", "mirror.delete", false, false,
                            "with --resync: also delete local files that are not in the bucket")));

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger("mastodon.s3sync");

    private final Invocation inv;

    MirrorCommand(Invocation inv) {
        this.inv = inv;
    }

    int run(Map<String, String> props) {
        String cfg = props.get("mirror.config");
        if (cfg == null || cfg.isBlank()) {
            return inv.refuse("mirror needs its config file. Fix: pass --config FILE.json, a file like "
                    + "{\"queue\": \"NAME\", \"sync\": {\"key/prefix/\": \"/local/dir\"}}.");
        }
        String problem = configure(props);
        if (problem != null) {
            return inv.refuse(problem);
        }
        return inv.launcher().launch(List.of("mirror"), props);
    }

    /**
     * Resolves the mirror's settings into {@code props} (config file, mirror.* properties, AWS variables), checks
     * them, removes what interrupted writes left, and sets the queue URL the routes consume.
     *
     * @return null when the mirror can start, else the problem
     * @throws IllegalArgumentException the config file or a mirror.* setting is not valid (exit 2)
     */
    String configure(Map<String, String> props) {
        props.put("mirror.config", inv.workDir().resolve(props.get("mirror.config").strip()).toAbsolutePath()
                .toString());
        MirrorSettings s = MirrorSettings.resolve(props::get, inv.env());
        s.config().warnings().forEach(w -> inv.err().println("warning: " + w));
        props.putAll(s.asProperties());
        StateLocation.Resolved state = StateLocation.mirror(inv.env(), inv.workDir(), props.get("mirror.state-dir"),
                MirrorConfig.queueName(s.queue()));
        props.put("mirror.state-dir", state.dir().toString());
        LOG.info("Mirror state (the last applied event per key): {} ({})", state.dir(), state.why());
        boolean resync = Boolean.parseBoolean(props.get("mirror.resync"));
        boolean delete = Boolean.parseBoolean(props.get("mirror.delete"));
        props.put("mirror.resync", Boolean.toString(resync));
        props.put("mirror.queue-autostartup", Boolean.toString(!resync));
        // the S3 endpoint's own bucket is only a default: every GET names the bucket of its record
        props.put("mirror.endpoint-bucket", s.bucket().isEmpty() ? "mirror-bucket-from-event" : s.bucket());
        MirrorPreflight.Check check = MirrorPreflight.check(s, Path.of(props.get("mirror.state-dir")), resync, delete);
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
}
