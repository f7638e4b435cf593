package mastodon.s3sync.queue;

import java.util.Locale;
import java.util.SplittableRandom;

import mastodon.s3sync.copy.CopyTask;
import mastodon.s3sync.store.DirectorySide;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * The planner's view of the target while it waits: how many of the objects this run enqueued are there, from a
 * bounded sample rather than a listing (a listing of a hundred million keys per interval would cost more than the
 * copy). While planning, a uniform sample of at most {@code sampleSize} of the enqueued tasks' target keys is kept
 * (reservoir sampling: memory stays that of {@code sampleSize} keys whatever the number of objects). Each reading
 * HEADs at most {@code probesPerReading} sampled keys not yet seen present (an object once present stays so while the
 * planner waits), so a reading costs a bounded number of requests and none once the whole sample is present.
 *
 * <p>When every enqueued task is in the sample the count is a lower bound (keys not yet probed again count as absent);
 * otherwise it is an estimate: the enqueued count times the sample's share found present. Only this run's tasks are
 * known: a planner restarted from its checkpoint counts the tasks it enqueued itself (the final verify counts all).
 */
public final class TargetProgress {

    /** Does the target hold this key? Throws when the target cannot be asked. */
    @FunctionalInterface
    public interface Probe {
        boolean exists(String targetKey) throws Exception;
    }

    /** A HEAD in the target bucket: 404 is absent, any other error stops the reading. */
    public static Probe bucket(S3Client s3, String bucket) {
        return key -> {
            try {
                s3.headObject(b -> b.bucket(bucket).key(key));
                return true;
            } catch (S3Exception e) { // NoSuchKeyException, or a bare 404 (HEAD has no body)
                if (e.statusCode() == 404) {
                    return false;
                }
                throw e;
            }
        };
    }

    /** A stat of the key's file in the target directory (a regular file, links not followed, as the copy judges). */
    public static Probe directory(DirectorySide target) {
        return key -> target.store().targetSize(key) != null;
    }

    /**
     * One reading.
     *
     * @param enqueued tasks this run enqueued
     * @param sampled  keys in the sample
     * @param present  sampled keys found present so far
     * @param problem  why this reading's probes stopped early (the target did not answer), else null
     */
    public record Reading(long enqueued, int sampled, int present, String problem) {

        /** Every enqueued task is sampled: present is a lower bound of the objects there. */
        public boolean exact() {
            return sampled == enqueued;
        }

        /** The objects present: counted when exact, else estimated from the sample. */
        public long objectsPresent() {
            return exact() || sampled == 0 ? present : Math.round((double) enqueued * present / sampled);
        }

        public String line() {
            String s;
            if (enqueued == 0) {
                s = "target: not sampled (this run enqueued nothing; the verify counts)";
            } else if (exact()) {
                s = String.format(Locale.ROOT, "target: at least %,d of %,d objects enqueued by this run present",
                        present, enqueued);
            } else {
                s = String.format(Locale.ROOT, "target: about %,d of %,d objects enqueued by this run present "
                        + "(%,d of a sample of %,d)", objectsPresent(), enqueued, present, sampled);
            }
            return problem == null ? s : s + " (probe stopped: " + problem + ")";
        }
    }

    private final Probe probe;
    private final int probesPerReading;
    private final String[] keys;
    private final boolean[] seen;
    private final SplittableRandom random;
    private long enqueued;
    private int size;
    private int present;
    private int cursor;

    public TargetProgress(Probe probe, int sampleSize, int probesPerReading, long seed) {
        if (sampleSize < 1 || probesPerReading < 1) {
            throw new IllegalArgumentException("sample size and probes per reading must be at least 1");
        }
        this.probe = probe;
        this.probesPerReading = probesPerReading;
        this.keys = new String[sampleSize];
        this.seen = new boolean[sampleSize];
        this.random = new SplittableRandom(seed);
    }

    /** SQS accepted the batch: its tasks are enqueued (and may enter the sample). */
    public synchronized void enqueued(TaskBatches.Batch batch) {
        for (TaskBatches.Message m : batch.messages()) {
            for (CopyTask t : m.tasks()) {
                enqueued++;
                int slot = size < keys.length ? size++ : (int) Math.min(random.nextLong(enqueued), Integer.MAX_VALUE);
                if (slot < keys.length) {
                    if (seen[slot]) {
                        present--;
                    }
                    keys[slot] = t.targetKey();
                    seen[slot] = false;
                }
            }
        }
    }

    /** HEADs at most probesPerReading sampled keys not yet seen present, then reads the counts. */
    public synchronized Reading read() {
        String problem = null;
        int probes = 0;
        for (int step = 0; step < size && probes < probesPerReading && present < size; step++) {
            int i = cursor;
            cursor = (cursor + 1) % size;
            if (seen[i]) {
                continue;
            }
            probes++;
            try {
                if (probe.exists(keys[i])) {
                    seen[i] = true;
                    present++;
                }
            } catch (Exception e) {
                problem = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
                break;
            }
        }
        return new Reading(enqueued, size, present, problem);
    }
}
