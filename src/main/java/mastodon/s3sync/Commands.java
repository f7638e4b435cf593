package mastodon.s3sync;

import java.util.List;

import mastodon.s3sync.CommandLine.Option;
import mastodon.s3sync.CommandLine.Spec;

/** The public interface: commands and their options (keep these names stable). */
public final class Commands {

    private Commands() {
    }

    static final List<Option> TABLE_OPTIONS = List.of(
            new Option("--only", "copy.only", true, false, "tables to process, comma-separated (default: all eight; imports only where it exists)"),
            new Option("--limit", "copy.limit", true, false, "at most N rows per table"),
            new Option("--offset", "copy.offset", true, false, "skip the first N rows of each table"),
            new Option("--from-id", "copy.from-id", true, false, "start at this id (ignores the checkpoint)"),
            new Option("--restart", "copy.restart", false, false, "ignore and reset the checkpoints"));

    static final Option CHECK_HEADERS = new Option("--check-headers", "copy.check-headers", false, false,
            "HEAD each object the target already has and rewrite it when its Content-Type or Cache-Control is not "
                    + "Mastodon's (default: same size in both listings = skipped, no request)");

    public static final List<Spec> ALL = List.of(
            new Spec("copy", "copy every Mastodon media object from the source store to the target store, once",
                    concat(TABLE_OPTIONS, List.of(
                            new Option("--dry-run", "copy.dry-run", false, false, "print the keys it would copy, copy nothing"),
                            new Option("--dev", "copy.dev", false, false, "one object at a time, inline and verbose"),
                            new Option("--force", "copy.force", false, false, "copy even objects the target already has"),
                            CHECK_HEADERS))),
            new Spec("verify", "check that the target holds every expected object (size against the source)",
                    concat(TABLE_OPTIONS, List.of(new Option("--resume", "copy.resume", false, false,
                            "continue after verify's last checkpoint instead of checking every object")))),
            new Spec("repair", "fix Content-Type, Cache-Control and ACL of the objects in the store Mastodon uses "
                    + "(S3_*) in place, as Mastodon would have written them (after an rclone or aws s3 sync migration)",
                    concat(TABLE_OPTIONS, List.of(new Option("--dry-run", "copy.dry-run", false, false,
                            "print what it would change for each object, change nothing")))),
            new Spec("run", "copy, then keep following new rows (and mirror/recover when configured) until stopped",
                    List.of(new Option("--only", "copy.only", true, false, "tables to follow, comma-separated"),
                            new Option("--force", "copy.force", false, false, "copy even objects the target already has"),
                            CHECK_HEADERS,
                            new Option("--restart", "copy.restart", false, false, "ignore and reset the checkpoints"))),
            new Spec("mirror", "keep local directories identical to parts of a bucket, from S3 event notifications "
                    + "on an SQS queue, until stopped",
                    List.of(new Option("--config", "mirror.config", true, false,
                                    "the JSON config file: {\"queue\": NAME-OR-URL, \"sync\": {PREFIX: DIRECTORY}}"),
                            new Option("--resync", "mirror.resync", false, false,
                                    "first download what is missing or differs in size locally, then follow the queue"),
                            new Option("--delete", "mirror.delete", false, false,
                                    "with --resync: also delete local files that are not in the bucket"))),
            new Spec("recover-subscriptions", "find federation subscriptions the server refused in nginx logs, "
                    + "classify their accounts, and resubscribe those with local followers",
                    List.of(new Option("--log", "recover.logs", true, true,
                                    "an nginx access log (combined format, plain or .gz); repeat for more"),
                            new Option("--resubscribe", "recover.resubscribe", false, false,
                                    "run the resubscribe command over SSH (without it: print the commands)"))),
            new Spec("config", "print the effective configuration (the stores and the database first), secrets masked, "
                    + "where each value came from, and what a command would refuse",
                    List.of(new Option("--check", "config.check", false, false,
                            "also connect to the source store, the target store and the database as copy does; "
                                    + "exit 2 on a problem"))),
            new Spec("help", "print this help", List.of()));

    @SafeVarargs
    static <T> List<T> concat(List<T>... lists) {
        return java.util.Arrays.stream(lists).flatMap(List::stream).toList();
    }
}
