package mastodon.s3sync.copy;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * What one store holds of a page's keys, and their sizes, found by listing the key ranges the page covers (one
 * request per thousand keys) instead of one HEAD per object. Rows of a keyset page have neighbouring ids, so their
 * keys are neighbours in each {@code <table>/<attachment>/<id partition>} tree. A range that turns out much wider
 * than the page (ids far apart), or a store that refuses listing, gives no answer: those objects get a HEAD.
 */
public final class StoreListing implements ObjectSizes {

    /** The size recorded for a key the listing shows absent. */
    public static final long ABSENT = -1;

    private static final Logger LOG = LoggerFactory.getLogger("mastodon.s3sync.copy");

    private final S3Client s3;
    private final String bucket;
    private final String keyPrefix;
    private final AtomicBoolean warned = new AtomicBoolean();

    public StoreListing(S3Client s3, String bucket, String keyPrefix) {
        this.s3 = s3;
        this.bucket = bucket;
        this.keyPrefix = keyPrefix;
    }

    /**
     * Size per key (with this store's prefix) of the tasks: the object's size, {@link #ABSENT} when the listing shows
     * it absent, no entry when the listing cannot tell.
     */
    @Override
    public Map<String, Long> sizes(List<CopyTask> tasks) {
        Map<String, List<String>> groups = new LinkedHashMap<>();
        for (CopyTask t : tasks) {
            String key = t.fullKey(keyPrefix);
            String partition = "/" + MastodonKeys.idPartition(t.rowId()) + "/";
            int at = key.indexOf(partition);
            String group = at < 0 ? key : key.substring(0, at + 1) + partition.length();
            groups.computeIfAbsent(group, g -> new ArrayList<>()).add(key);
        }
        Map<String, Long> sizes = new HashMap<>();
        for (List<String> keys : groups.values()) {
            Map<String, Long> present = present(keys);
            if (present != null) {
                for (String k : keys) {
                    sizes.put(k, present.getOrDefault(k, ABSENT));
                }
            }
        }
        return sizes;
    }

    /** The keys (with prefix) of these tasks that the store certainly lacks. */
    public Set<String> absentKeys(List<CopyTask> tasks) {
        Set<String> absent = new HashSet<>();
        sizes(tasks).forEach((k, size) -> {
            if (size == ABSENT) {
                absent.add(k);
            }
        });
        return absent;
    }

    /** The keys between the group's first and last that exist, with sizes, or null when the listing cannot tell. */
    private Map<String, Long> present(List<String> keys) {
        String min = keys.stream().min(String::compareTo).orElseThrow();
        String max = keys.stream().max(String::compareTo).orElseThrow();
        String prefix = commonPrefix(min, max);
        String startAfter = min.substring(0, min.length() - 1);
        long budget = keys.size() * 4L + 1000; // listing more than this means the range is not the page's
        Map<String, Long> present = new HashMap<>();
        String token = null;
        try {
            do {
                String t = token;
                ListObjectsV2Response r = s3.listObjectsV2(b -> {
                    b.bucket(bucket).prefix(prefix).maxKeys(1000);
                    if (t == null) {
                        b.startAfter(startAfter);
                    } else {
                        b.continuationToken(t);
                    }
                });
                for (S3Object o : r.contents()) {
                    if (o.key().compareTo(max) > 0) {
                        return present;
                    }
                    present.put(o.key(), o.size());
                    if (--budget < 0) {
                        return null;
                    }
                }
                token = Boolean.TRUE.equals(r.isTruncated()) ? r.nextContinuationToken() : null;
            } while (token != null);
            return present;
        } catch (RuntimeException e) {
            if (warned.compareAndSet(false, true)) {
                LOG.warn("listing bucket '{}' failed ({}); its objects are checked with a HEAD each instead",
                        bucket, RetryPolicy.describe(e));
            }
            return null;
        }
    }

    static String commonPrefix(String a, String b) {
        int n = Math.min(a.length(), b.length());
        int i = 0;
        while (i < n && a.charAt(i) == b.charAt(i)) {
            i++;
        }
        return a.substring(0, i);
    }
}
