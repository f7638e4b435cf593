package mastodon.s3sync.store;

import java.util.function.Function;

/**
 * One object store as Mastodon describes it: bucket, endpoint (empty for AWS itself), region, addressing, credentials
 * (empty: the AWS SDK's default chain), key prefix, and the permission written on new objects.
 */
public record StoreConfig(String side, String bucket, String endpoint, String region, boolean pathStyle,
                          String accessKey, String secretKey, String keyPrefix, String permission, String storageClass,
                          int maxConnections) {

    /** Reads {@code <side>.bucket}, {@code <side>.endpoint}, ... through a property lookup (null when unset). */
    public static StoreConfig from(String side, Function<String, String> props) {
        Function<String, String> p = k -> {
            String v = props.apply(side + "." + k);
            return v == null ? "" : v.strip();
        };
        String conns = props.apply("copy.max-connections");
        return new StoreConfig(side, p.apply("bucket"), p.apply("endpoint"), p.apply("region").isEmpty() ? "us-east-1"
                : p.apply("region"), Boolean.parseBoolean(p.apply("path-style")), p.apply("access-key"),
                p.apply("secret-key"), p.apply("key-prefix"), props.apply(side + ".permission") == null
                        ? "public-read" : props.apply(side + ".permission").strip(), p.apply("storage-class"),
                connections(conns, props.apply("copy.concurrency")));
    }

    /**
     * HTTP connections per store: copy.max-connections (default 64), raised to the copy's concurrency plus one per
     * table's page listing when that is more, since each worker holds a connection to each store while it streams an
     * object (a worker waiting for a connection would fail after the client's acquisition timeout).
     */
    static int connections(String maxConnections, String concurrency) {
        int max = maxConnections == null || maxConnections.isBlank() ? 64 : Integer.parseInt(maxConnections.strip());
        if (concurrency == null || concurrency.isBlank()) {
            return max;
        }
        try {
            return Math.max(max, Integer.parseInt(concurrency.strip()) + mastodon.s3sync.copy.MastodonKeys.tables().size());
        } catch (NumberFormatException e) {
            return max; // SettingRules names the bad value before anything connects
        }
    }

    /** Where this store is, for messages: never includes credentials. */
    public String describe() {
        return "bucket '" + bucket + "' at " + (endpoint.isEmpty() ? "AWS S3 (" + region + ")" : endpoint);
    }

    @Override
    public String toString() {
        return side + " " + describe(); // never the keys
    }
}
