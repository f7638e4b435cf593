package mastodon.s3sync.copy;

/**
 * One object to copy, with everything its transfer needs: a flat record of simple types, so it can travel as JSON (for
 * example through SQS) and name a directory as either side as well as a bucket (no S3 type in it). The page planner
 * fills it once ({@link #planned}, {@link #listed}); the per-object routes only read it.
 *
 * @param table        the database table of the row the object belongs to
 * @param rowId        the id of that row
 * @param key          the object key relative to any {@code S3_KEY_PREFIX} (no prefix, no leading '/')
 * @param contentType  the {@code Content-Type} Mastodon's rules give this style: written when the source object's own
 *                     type is missing or generic ({@link MastodonKeys#isGenericContentType})
 * @param privateAcl   true when Mastodon writes the object with ACL {@code private} (backups, media of suspended
 *                     accounts and of removed-but-kept statuses)
 * @param sourceKey    the key in the source store (its key prefix applied, {@link #fullKey})
 * @param targetKey    the key in the target store (its key prefix applied)
 * @param cannedAcl    the ACL to write, as the enum name the aws2-s3 header takes ({@code PUBLIC_READ},
 *                     {@code PRIVATE}), or null to send none (an empty permission: Cloudflare R2)
 * @param storageClass the storage class to write, or null for the store's default
 * @param sourceSize   the source object's size from the page's listing, {@link #ABSENT} when the listing shows it
 *                     absent, null when not listed (listing off, refused, or a range too wide)
 * @param targetSize   the same for the target store
 */
public record CopyTask(String table, long rowId, String key, String contentType, boolean privateAcl,
                       String sourceKey, String targetKey, String cannedAcl, String storageClass,
                       Long sourceSize, Long targetSize) {

    /** The {@code Cache-Control} Mastodon sets on every object it writes. */
    public static final String CACHE_CONTROL = "public, max-age=315576000, immutable";

    /** The size a listing records for a key it shows absent. */
    public static final long ABSENT = StoreListing.ABSENT;

    /** An object as Mastodon's rules name it, not planned yet: keys without prefixes, no ACL, nothing listed. */
    public CopyTask(String table, long rowId, String key, String contentType, boolean privateAcl) {
        this(table, rowId, key, contentType, privateAcl, key, key, null, null, null, null);
    }

    /**
     * This object as one pass moves it: each side's key under its prefix, the ACL and storage class to write.
     *
     * @param permissionAcl the ACL enum name of the store's permission (null: send none); private objects get
     *                      {@code PRIVATE} whenever an ACL is sent
     */
    public CopyTask planned(String sourcePrefix, String targetPrefix, String permissionAcl, String storageClass) {
        String acl = permissionAcl == null ? null : privateAcl ? "PRIVATE" : permissionAcl;
        return new CopyTask(table, rowId, key, contentType, privateAcl, fullKey(sourcePrefix), fullKey(targetPrefix),
                acl, storageClass == null || storageClass.isBlank() ? null : storageClass.strip(), sourceSize,
                targetSize);
    }

    /** This task with the sizes the page's listings found (null: not listed; {@link #ABSENT}: listed absent). */
    public CopyTask listed(Long sourceSize, Long targetSize) {
        return new CopyTask(table, rowId, key, contentType, privateAcl, sourceKey, targetKey, cannedAcl, storageClass,
                sourceSize, targetSize);
    }

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
