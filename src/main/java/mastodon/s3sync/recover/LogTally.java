package mastodon.s3sync.recover;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the access logs showed: lines read and malformed (per file and in all), the refused subscription callbacks per
 * account id (count, first and last time, HTTP statuses), and the files that could not be read to the end. Touched by
 * the route's one thread, step after step.
 */
final class LogTally {

    private static final Logger LOG = LoggerFactory.getLogger("mastodon.s3sync.recover");

    static final int MALFORMED_WARNINGS = 10;

    /** The refused callbacks of one account id. */
    static final class Hits {
        long count;
        Instant first;
        Instant last;
        final TreeSet<Integer> statuses = new TreeSet<>();
    }

    final Map<String, Hits> hits = new HashMap<>();
    final List<String> unreadable = new ArrayList<>();
    long lines;
    long malformed;
    long matched;
    private String file;
    private long fileLines;
    private long fileMalformed;
    private long fileHits;

    void startFile(String path) {
        file = path;
        fileLines = 0;
        fileMalformed = 0;
        fileHits = 0;
    }

    /**
     * Counts a line; a null entry is a line that is not in the combined format (skipped, never fatal), logged once
     * with its line number ({@code index} + 1): the first {@value #MALFORMED_WARNINGS} of each file as warnings, the
     * others at debug level.
     */
    void read(AccessLogEntry entry, String line, int index) {
        lines++;
        fileLines++;
        if (entry == null) {
            malformed++;
            fileMalformed++;
            String shown = excerpt(line);
            if (fileMalformed <= MALFORMED_WARNINGS) {
                LOG.warn("{} line {}: not in the combined format, skipped: {}{}", file, index + 1, shown,
                        fileMalformed == MALFORMED_WARNINGS ? " (further malformed lines of this file at debug level)"
                                : "");
            } else {
                LOG.debug("{} line {}: not in the combined format, skipped: {}", file, index + 1, shown);
            }
        }
    }

    /** A line from outside, for a log: at most 120 characters, control characters as '?'. */
    static String excerpt(String line) {
        String s = line == null ? "" : line;
        String cut = s.length() > 120 ? s.substring(0, 120) + "... (" + s.length() + " characters)" : s;
        return cut.replaceAll("[\\p{Cntrl}\\u2028\\u2029]", "?");
    }

    void hit(RefusedCallback c) {
        AccessLogEntry e = c.entry();
        matched++;
        fileHits++;
        Hits h = hits.computeIfAbsent(c.accountId(), k -> new Hits());
        h.count++;
        h.first = h.first == null || e.time().isBefore(h.first) ? e.time() : h.first;
        h.last = h.last == null || e.time().isAfter(h.last) ? e.time() : h.last;
        h.statuses.add(e.status());
    }

    void endFile() {
        LOG.info("read {}: {} lines, {} malformed (skipped), {} refused subscription callbacks", file, fileLines,
                fileMalformed, fileHits);
    }

    /** The file vanished before it could be opened, or broke off (a damaged .gz): the lines read so far count. */
    void unreadable(String path, Throwable e) {
        String why = e == null ? "it disappeared or lost its read permission after the start"
                : SubscriptionRecovery.rootMessage(e);
        unreadable.add(Path.of(path).getFileName() + ": " + why);
        LOG.error("cannot read {} to the end: {}; {} lines read from it are counted", path, why, fileLines);
    }
}
