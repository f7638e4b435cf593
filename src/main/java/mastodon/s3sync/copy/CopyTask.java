package mastodon.s3sync.copy;

/**
 * One object to copy: a flat record of simple types, so it can travel as JSON (for example through SQS).
 *
 * @param table       the database table of the row the object belongs to
 * @param rowId       the id of that row
 * @param key         the object key relative to any {@code S3_KEY_PREFIX} (no prefix, no leading '/')
 * @param contentType the {@code Content-Type} Mastodon writes for this style
 * @param privateAcl  true when Mastodon writes the object with ACL {@code private} (backups, media of suspended
 *                    accounts)
 */
public record CopyTask(String table, long rowId, String key, String contentType, boolean privateAcl) {

    /** The {@code Cache-Control} Mastodon sets on every object it writes. */
    public static final String CACHE_CONTROL = "public, max-age=315576000, immutable";

    /**
     * The object key under a key prefix, as Mastodon's {@code S3_KEY_PREFIX} places it.
     *
     * @param keyPrefix the prefix; trailing '/' are ignored; null or empty means no prefix
     * @return {@code prefix + "/" + key}, or {@code key} when there is no prefix
     */
    public String fullKey(String keyPrefix) {
        String prefix = keyPrefix == null ? "" : keyPrefix.replaceAll("/+$", "");
        return prefix.isEmpty() ? key : prefix + "/" + key;
    }
}
