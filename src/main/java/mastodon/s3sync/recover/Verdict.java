package mastodon.s3sync.recover;

/** Why an account id is in the recover-subscriptions report, and whether it is resubscribed. */
public enum Verdict {
    RECOVER("recover"), IGNORE_NO_LOCAL_FOLLOWERS("ignore: no local followers"),
    IGNORE_LOCAL_ACCOUNT("ignore: local account"), UNKNOWN("unknown id");

    public final String label;

    Verdict(String label) {
        this.label = label;
    }
}
