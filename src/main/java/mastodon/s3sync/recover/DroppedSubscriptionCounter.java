package mastodon.s3sync.recover;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * For {@code run}: counts refused subscription callbacks as nginx logs them. The followed log is read from its start,
 * so requests logged before the follower started are skipped: only new lines count. The counts are plain getters;
 * the route also feeds a Micrometer counter. The first refused callback of each account is a warning, later ones are
 * debug lines, so a long maintenance window does not flood the log. {@link #rotated()} tells the route when the log was
 * rotated (another file under the name, or truncated), so it reopens it.
 */
public final class DroppedSubscriptionCounter {

    private static final Logger LOG = LoggerFactory.getLogger("mastodon.s3sync.recover");

    private final Path log;
    private final Instant since;
    private Object fileKey;
    private long size;
    private final AtomicLong dropped = new AtomicLong();
    private final AtomicLong malformed = new AtomicLong();
    private final Set<String> accounts = ConcurrentHashMap.newKeySet();

    public DroppedSubscriptionCounter(Path log, Clock clock) {
        this.log = log;
        this.since = clock.instant().truncatedTo(ChronoUnit.SECONDS);
        rotated();
    }

    /** @return whether the file under the log's name is another one, or shorter, than at the last call */
    public synchronized boolean rotated() {
        BasicFileAttributes a;
        try {
            a = Files.readAttributes(log, BasicFileAttributes.class);
        } catch (IOException e) {
            return false; // between the rename and the new file: look again next time
        }
        boolean rotated = (fileKey != null && a.fileKey() != null && !a.fileKey().equals(fileKey)) || a.size() < size;
        fileKey = a.fileKey();
        size = a.size();
        if (rotated) {
            LOG.info("{} was rotated: following the new file", log);
        }
        return rotated;
    }

    /** @return whether the request was logged since the follower started */
    public boolean isNew(AccessLogEntry e) {
        return e != null && !e.time().isBefore(since);
    }

    public void countMalformed() {
        malformed.incrementAndGet();
    }

    /**
     * Counts a refused callback logged since the follower started (older lines, read when the log is opened, are not).
     *
     * @return whether it was counted
     */
    public boolean dropped(RefusedCallback c) {
        if (!isNew(c.entry())) {
            return false;
        }
        dropped(c.accountId(), c.entry());
        return true;
    }

    private void dropped(String accountId, AccessLogEntry e) {
        long n = dropped.incrementAndGet();
        if (accounts.add(accountId)) {
            LOG.warn("refused subscription callback for account {} (status {} from {}); {} refused for {} accounts "
                    + "since {}. Recover with: recover-subscriptions --log <this log> --resubscribe", accountId,
                    e.status(), e.remoteAddr(), n, accounts.size(), since);
        } else {
            LOG.debug("refused subscription callback for account {} (status {} from {})", accountId, e.status(),
                    e.remoteAddr());
        }
    }

    public long getDropped() {
        return dropped.get();
    }

    public long getMalformed() {
        return malformed.get();
    }
}
