package mastodon.s3sync.copy;

/**
 * One object to copy: a flat record of simple types, so it can travel as JSON (for example through SQS).
 *
 * @param table       the database table of the row the object belongs to
 * @param rowId       the id of that row
 * @param key         the object key relative to any {@code S3_KEY_PREFIX} (no prefix, no leading '/')
 * @param contentType the {@code Content-Type} Mastodon's rules give this style: written when the source object's own
 *                    type is missing or generic ({@link MastodonKeys#isGenericContentType})
 * @param privateAcl  true when Mastodon writes the object with ACL {@code private} (backups, media of suspended
 *                    accounts and of removed-but-kept statuses)
 */
public record CopyTask(String table, long rowId, String key, String contentType, boolean privateAcl) {

    /** The {@code Cache-Control} Mastodon sets on every object it writes. */
    public static final String CACHE_CONTROL = "public, max-age=315576000, immutable";

    /**
     * The object key under a key prefix, as Mastodon's {@code S3_KEY_PREFIX} places it: verbatim, then a '/', then the
     * key, with one leading '/' of the result dropped (kt-paperclip's {@code s3.rb}). So {@code masto} and
     * {@code /masto} give {@code masto/…}, and {@code masto/} gives {@code masto//…}, the keys such a bucket holds.
     *
     * @param keyPrefix the prefix exactly as configured; null or empty means no prefix
     * @return the key in the bucket
     */
    public String fullKey(String keyPrefix) {
        if (keyPrefix == null || keyPrefix.isEmpty()) {
            return key;
        }
        String path = keyPrefix + "/" + key;
        return path.startsWith("/") ? path.substring(1) : path;
    }
}
