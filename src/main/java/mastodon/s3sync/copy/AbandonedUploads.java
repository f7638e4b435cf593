package mastodon.s3sync.copy;

import java.time.Duration;
import java.util.List;
import java.util.function.Supplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.ListMultipartUploadsResponse;
import software.amazon.awssdk.services.s3.model.MultipartUpload;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * Multipart uploads a copy left unfinished in the target. A process that is killed (SIGKILL, OOM killer, power loss)
 * never aborts the upload it was writing, and the abort after a failed part can itself fail while the store errs;
 * such uploads are invisible in listings but keep their parts (billed by most providers) until aborted.
 * <p>
 * The copy aborts them under the keys it writes, and only there: {@code <table>/} and {@code cache/<table>/} (under
 * the target's key prefix) of the tables in the pass. Once before a table's pass starts (what an earlier run left),
 * and once when the whole pass has ended with nothing in flight (aborts that failed during this run). It assumes that
 * nothing else writes multipart uploads under those keys of the target meanwhile: until the switch-over, the copy is
 * the target's only writer. Nothing is aborted in a dry run or in verify. A store error ends the sweep with one
 * warning: the next run tries again.
 * <p>
 * Nothing is swept in repair: it works in the bucket Mastodon writes to, where Mastodon's own multipart uploads of new
 * media are in progress under the same keys. A repair's multipart copy aborts its own upload when it fails.
 */
public final class AbandonedUploads {

    private static final Logger LOG = LoggerFactory.getLogger("mastodon.s3sync.copy");
    private static final Duration CALL_TIMEOUT = Duration.ofSeconds(30);
    private static final int CALL_ATTEMPTS = 8;
    private static final RetryPolicy RETRY = new RetryPolicy();

    private final S3Client s3;
    private final String bucket;
    private final CopyOptions options;

    /** @param s3 the target's client; null when the target is a directory (nothing to sweep) */
    public AbandonedUploads(S3Client s3, String bucket, CopyOptions options) {
        this.s3 = s3;
        this.bucket = bucket;
        this.options = options;
    }

    /** The key prefixes the copy writes for one table, with the target's key prefix. */
    List<String> prefixes(String table) {
        return List.of(new CopyTask(table, 0, table + "/", "", false).fullKey(options.targetPrefix()),
                new CopyTask(table, 0, "cache/" + table + "/", "", false).fullKey(options.targetPrefix()));
    }

    /** Before a table's pass: aborts the unfinished uploads under its keys. @return how many were aborted */
    public int abortFor(String table) {
        // (copy --plan-to: workers may be writing under these keys; the planner sweeps once the queue is drained)
        if (s3 == null || options.dryRun() || options.verify() || options.repair() || options.mode().equals("plan")) {
            return 0;
        }
        return sweep(List.of(table), table + ": ");
    }

    /** When the pass has ended (nothing in flight): aborts what is left under every table's keys. */
    public int abortAll() {
        if (s3 == null || options.dryRun() || options.verify() || options.repair()) {
            return 0;
        }
        return sweep(options.tables(), "");
    }

    /** Lists and aborts under each table's prefixes; a store error that persists ends it with one warning. */
    private int sweep(Iterable<String> tables, String what) {
        int n = 0;
        try {
            for (String table : tables) {
                for (String prefix : prefixes(table)) {
                    n += abortUnder(prefix);
                }
            }
        } catch (RuntimeException e) {
            LOG.warn("{}cannot clean up unfinished multipart uploads in bucket '{}' ({}); the next run tries again",
                    what, bucket, RetryPolicy.describe(e));
        }
        return n;
    }

    /**
     * One request of the sweep, tried again a few times on an error worth retrying: the sweep runs right after a
     * store may have been failing, and the target's client makes no retries of its own.
     */
    private static <T> T retrying(Supplier<T> call) {
        for (int attempt = 1; ; attempt++) {
            try {
                return call.get();
            } catch (RuntimeException e) {
                if (attempt >= CALL_ATTEMPTS || !RETRY.isRetryable(e)) {
                    throw e;
                }
                try {
                    Thread.sleep(100L * attempt);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    throw e;
                }
            }
        }
    }

    private int abortUnder(String prefix) {
        int n = 0;
        String keyMarker = null;
        String uploadIdMarker = null;
        while (true) {
            String km = keyMarker;
            String um = uploadIdMarker;
            ListMultipartUploadsResponse r = retrying(() -> s3.listMultipartUploads(b -> {
                b.bucket(bucket).prefix(prefix).overrideConfiguration(o -> o.apiCallTimeout(CALL_TIMEOUT));
                if (km != null) {
                    b.keyMarker(km).uploadIdMarker(um);
                }
            }));
            for (MultipartUpload u : r.uploads()) {
                if (!u.key().startsWith(prefix)) {
                    continue; // a store that ignores the prefix
                }
                try {
                    retrying(() -> s3.abortMultipartUpload(b -> b.bucket(bucket).key(u.key()).uploadId(u.uploadId())
                            .overrideConfiguration(o -> o.apiCallTimeout(CALL_TIMEOUT))));
                } catch (S3Exception e) {
                    if (e.statusCode() != 404) {
                        throw e;
                    }
                    // NoSuchUpload: an earlier attempt aborted it, its answer was lost
                }
                LOG.info("aborted the unfinished multipart upload of {} (started {})", u.key(), u.initiated());
                n++;
            }
            if (!Boolean.TRUE.equals(r.isTruncated()) || r.nextKeyMarker() == null
                    || r.nextKeyMarker().equals(keyMarker) && java.util.Objects.equals(r.nextUploadIdMarker(), um)) {
                return n;
            }
            keyMarker = r.nextKeyMarker();
            uploadIdMarker = r.nextUploadIdMarker();
        }
    }
}
