package mastodon.s3sync.mirror;

/**
 * One record of an S3 event notification, with the key already form-decoded. {@code problem} is set (and the other
 * fields may be null) when the record lacks what the mirror needs.
 *
 * @param eventName e.g. {@code ObjectCreated:Put}, without the optional {@code s3:} prefix
 * @param size      the object size, or -1 when absent (deletes)
 * @param sequencer orders events of the same key; null when the sender gave none
 */
public record S3Event(String eventName, String bucket, String key, long size, String eTag, String versionId,
                      String sequencer, String problem) {

    public boolean created() {
        return problem == null && eventName.startsWith("ObjectCreated:");
    }

    /** Object removal events the mirror applies: a delete, or a delete marker on a versioned bucket. */
    public boolean removed() {
        return problem == null
                && (eventName.equals("ObjectRemoved:Delete") || eventName.equals("ObjectRemoved:DeleteMarkerCreated"));
    }

    /** For logs: never more than the event name, bucket and key, and no control characters (data from outside). */
    public String describe() {
        return eventName == null ? "a record" : Mirror.safe(eventName + " " + bucket + "/" + key);
    }
}
