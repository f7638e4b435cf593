package mastodon.s3sync.queue;

import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.concurrent.atomic.LongAdder;

import mastodon.s3sync.copy.CopyJob;
import mastodon.s3sync.copy.CopyOutcomes;
import mastodon.s3sync.copy.TableProgress;

/**
 * What one worker did: messages done (deleted) and given back (a task failed: the message returns after its
 * visibility timeout), and the copy job's outcomes of its objects, for its progress line and its last line.
 */
public final class WorkerStats {

    private final String worker;
    private final CopyJob job;
    private final Instant started = Instant.now();
    private final LongAdder messagesDone = new LongAdder();
    private final LongAdder messagesReturned = new LongAdder();
    private long lastObjects;
    private Instant lastAt = started;

    public WorkerStats(String worker, CopyJob job) {
        this.worker = worker;
        this.job = job;
    }

    public String worker() {
        return worker;
    }

    public void messageDone() {
        messagesDone.increment();
    }

    public void messageReturned() {
        messagesReturned.increment();
    }

    public long messagesDone() {
        return messagesDone.sum();
    }

    public long messagesReturned() {
        return messagesReturned.sum();
    }

    /** Objects this worker has finished, whatever their outcome. */
    public long objects() {
        long n = 0;
        for (TableProgress t : job.tables().values()) {
            n += t.copied.sum() + t.skipped.sum() + t.missing.sum() + t.failed.sum();
        }
        return n;
    }

    /** "worker W: copied 12, skipped 3, missing at source 0, failed 0 | messages done 2, given back 0 | 4.1 objects/s" */
    public synchronized String line() {
        Instant now = Instant.now();
        long objects = objects();
        double secs = Math.max(0.001, Duration.between(lastAt, now).toMillis() / 1000.0);
        double rate = (objects - lastObjects) / secs;
        lastObjects = objects;
        lastAt = now;
        return String.format(Locale.ROOT, "worker %s: %s | messages done %d, given back %d | %.1f objects/s", worker,
                outcomes(), messagesDone.sum(), messagesReturned.sum(), rate);
    }

    /** Logs the worker's last line (Camel stops: SIGTERM, or the failure budget ran out). */
    public void stop() {
        if (job == null || messagesDone.sum() + messagesReturned.sum() == 0 && objects() == 0) {
            return; // (Camel destroys lazy beans it never made, the planner's too: nothing to say)
        }
        org.slf4j.LoggerFactory.getLogger("mastodon.s3sync.progress").info(summary());
    }

    /** The worker's last line, when it stops. */
    public String summary() {
        double secs = Math.max(0.001, Duration.between(started, Instant.now()).toMillis() / 1000.0);
        return String.format(Locale.ROOT, "worker %s stopped after %.1f s: %s | messages done %d, given back %d | "
                + "%.1f objects/s", worker, secs, outcomes(), messagesDone.sum(), messagesReturned.sum(),
                objects() / secs);
    }

    private String outcomes() {
        StringBuilder s = new StringBuilder();
        for (String o : job.parts().outcomes().names()) {
            long n = job.tables().values().stream().mapToLong(t -> CopyOutcomes.count(t, o)).sum();
            s.append(s.isEmpty() ? "" : ", ").append(o.replace('_', ' ')).append(' ').append(n);
        }
        return s.toString();
    }
}
