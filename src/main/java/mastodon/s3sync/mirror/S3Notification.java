package mastodon.s3sync.mirror;

import java.util.List;

/**
 * What one queue message turned out to be.
 *
 * @param kind    RECORDS (an S3 notification, maybe SNS-wrapped), TEST (s3:TestEvent), or UNKNOWN
 * @param records the records, for RECORDS
 * @param reason  why the message is UNKNOWN
 * @param snsWrapped whether the notification came wrapped in an SNS envelope
 */
public record S3Notification(Kind kind, List<S3Event> records, String reason, boolean snsWrapped) {

    public enum Kind { RECORDS, TEST, UNKNOWN }

    public static S3Notification unknown(String reason) {
        return new S3Notification(Kind.UNKNOWN, List.of(), reason, false);
    }
}
