package mastodon.s3sync.recover;

/**
 * A logged request that {@link DroppedSubscriptionRule} says is a subscription callback the server refused.
 *
 * @param accountId the account id the path names (text: a path pattern may capture any characters)
 */
public record RefusedCallback(String accountId, AccessLogEntry entry) {
}
