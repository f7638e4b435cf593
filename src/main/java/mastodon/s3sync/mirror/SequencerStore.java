package mastodon.s3sync.mirror;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The last S3 {@code sequencer} applied to each key, so that an event older than the state already applied (an
 * out-of-order or late duplicate delivery) is skipped, across restarts.
 *
 * <p>Kept in memory and in one append-only file ({@code sequencers.log}: one line per applied event,
 * {@code SEQUENCER EPOCH-SECONDS URL-ENCODED-KEY}); reading it back keeps the largest sequencer per key. The file is
 * rewritten (to a temporary name, then renamed) when it holds many more lines than keys, dropping entries older than
 * the retention: keep that at least as long as the queue's MessageRetentionPeriod, so no event still in the queue can
 * be older than a forgotten entry.
 *
 * <p>It also serialises work on one key: {@link #claim(String, long)} waits while another consumer applies an event
 * to the same key, so a check and the write or delete that follows it cannot interleave with another's.
 */
public final class SequencerStore {

    private record Entry(String sequencer, long epochSecond) {
    }

    /** The key is being applied by another consumer for longer than the wait allows. */
    public static final class KeyBusyException extends RuntimeException {
        public KeyBusyException(String key, long waitMillis) {
            super("key '" + key + "' is still being applied by another consumer after " + waitMillis
                    + " ms; the message is left for redelivery");
        }
    }

    private final Path file;
    private final Duration retention;
    private final Clock clock;
    private final Map<String, Entry> last = new HashMap<>();
    private final Set<String> busy = new HashSet<>();
    private BufferedWriter log;
    private long lines;

    public SequencerStore(Path dir, Duration retention, Clock clock) {
        this.file = dir.resolve("sequencers.log");
        this.retention = retention;
        this.clock = clock;
        try {
            Files.createDirectories(dir);
            if (Files.exists(file)) {
                for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                    lines++;
                    String[] p = line.split(" ", 3);
                    if (p.length != 3 || !p[0].matches("[0-9A-F]+")) {
                        continue; // a line cut short by a kill: the event it recorded is simply applied again
                    }
                    String key = URLDecoder.decode(p[2], StandardCharsets.UTF_8);
                    Entry e = new Entry(p[0], Long.parseLong(p[1]));
                    last.merge(key, e, (a, b) -> compare(a.sequencer(), b.sequencer()) >= 0 ? a : b);
                }
            }
            log = open();
        } catch (IOException | NumberFormatException e) {
            throw new IllegalStateException("the mirror state file " + file + " cannot be read (" + e.getMessage()
                    + "). Fix: check the permissions of mirror.state-dir, or delete the file (events already applied "
                    + "may then be applied again, older ones included).", e);
        }
    }

    /**
     * Orders two sequencers of the same key: the shorter is right-padded with zeros, then they compare as text
     * (case-insensitively: both are hexadecimal).
     *
     * @return negative when {@code a} is older than {@code b}, 0 when equal, positive when newer
     */
    public static int compare(String a, String b) {
        String x = a.toUpperCase(Locale.ROOT);
        String y = b.toUpperCase(Locale.ROOT);
        int n = Math.max(x.length(), y.length());
        return pad(x, n).compareTo(pad(y, n));
    }

    private static String pad(String s, int n) {
        return s.length() >= n ? s : s + "0".repeat(n - s.length());
    }

    /**
     * Waits up to {@code waitMillis} while another consumer holds the key, then tells whether an event with this
     * sequencer is newer than the last one applied. When it is, the key is taken: pair with {@link #release(String)}.
     *
     * @param sequencer null when the sender gave none: always applied
     * @return true (key taken) when the event must be applied, false (key not taken) when it is not newer than what
     *         was applied already
     * @throws KeyBusyException when the key stays taken longer than the wait
     */
    public synchronized boolean claim(String key, String sequencer, long waitMillis) throws InterruptedException {
        long deadline = System.currentTimeMillis() + waitMillis;
        while (busy.contains(key)) {
            long left = deadline - System.currentTimeMillis();
            if (left <= 0) {
                throw new KeyBusyException(key, waitMillis);
            }
            wait(left);
        }
        if (sequencer != null) {
            Entry e = last.get(key);
            if (e != null && compare(sequencer, e.sequencer()) <= 0) {
                return false; // not newer: nothing to do, the key is not taken
            }
        }
        busy.add(key);
        return true;
    }

    /** Takes the key without a sequencer check (the resync, which works from a listing). */
    public boolean claim(String key, long waitMillis) throws InterruptedException {
        return claim(key, null, waitMillis);
    }

    public synchronized void release(String key) {
        if (busy.remove(key)) {
            notifyAll();
        }
    }

    /** The last applied sequencer of a key, or null. */
    public synchronized String last(String key) {
        Entry e = last.get(key);
        return e == null ? null : e.sequencer();
    }

    /** Records that the event with this sequencer was applied to the key (kept when newer than the last one). */
    public synchronized void applied(String key, String sequencer) {
        if (sequencer == null) {
            return;
        }
        String seq = sequencer.toUpperCase(Locale.ROOT);
        Entry old = last.get(key);
        if (old != null && compare(seq, old.sequencer()) <= 0) {
            return;
        }
        Entry e = new Entry(seq, clock.instant().getEpochSecond());
        last.put(key, e);
        try {
            log.write(seq + " " + e.epochSecond() + " " + URLEncoder.encode(key, StandardCharsets.UTF_8) + "\n");
            log.flush();
            lines++;
            if (lines > 10_000 && lines > 4L * last.size()) {
                compact();
            }
        } catch (IOException ex) {
            throw new UncheckedIOException("cannot write the mirror state file " + file + ": " + ex.getMessage(), ex);
        }
    }

    /** How many keys are remembered. */
    public synchronized int size() {
        return last.size();
    }

    /** Rewrites the file with one line per key, dropping entries older than the retention. */
    public synchronized void compact() throws IOException {
        long oldest = clock.instant().minus(retention).getEpochSecond();
        last.values().removeIf(e -> e.epochSecond() < oldest);
        log.close();
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        try (BufferedWriter w = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
            for (Map.Entry<String, Entry> e : last.entrySet()) {
                w.write(e.getValue().sequencer() + " " + e.getValue().epochSecond() + " "
                        + URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "\n");
            }
        }
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        lines = last.size();
        log = open();
    }

    private BufferedWriter open() throws IOException {
        return Files.newBufferedWriter(file, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                StandardOpenOption.APPEND, StandardOpenOption.WRITE);
    }

    public synchronized void close() throws IOException {
        log.close();
    }

    /** For tests and logs. */
    public synchronized List<String> keys() {
        return List.copyOf(last.keySet());
    }
}
