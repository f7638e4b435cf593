package mastodon.s3sync.copy;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The keys of one pass that did not make it, by kind, for the summary and the report. Each list keeps at most
 * {@link #MAX_REPORTED} entries (the counters keep counting).
 */
public final class Problems {

    static final int MAX_REPORTED = 100_000;

    /** A key that did not make it. */
    public record Problem(String table, long id, String key, String reason) {

        /** "accounts id 3 a/b.png: missing in target", as the summary lists it. */
        public String line() {
            return table + " id " + id + " " + key + ": " + reason;
        }
    }

    /** The kinds, as the report names them. */
    public enum Kind {
        MISSING_AT_SOURCE, FAILED, MISSING_IN_TARGET, DIFFERENT;

        public String reportName() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    private final List<List<Problem>> lists = List.of(list(), list(), list(), list());

    private static List<Problem> list() {
        return Collections.synchronizedList(new ArrayList<>());
    }

    public void add(Kind kind, Problem p) {
        List<Problem> list = lists.get(kind.ordinal());
        if (list.size() < MAX_REPORTED) {
            list.add(p);
        }
    }

    /** A copy of the problems of one kind, in the order they happened. */
    public List<Problem> of(Kind kind) {
        List<Problem> list = lists.get(kind.ordinal());
        synchronized (list) {
            return new ArrayList<>(list);
        }
    }

    /** The first {@code n} problems of each kind given, kind after kind. */
    public List<Problem> first(int n, Kind... kinds) {
        List<Problem> first = new ArrayList<>();
        for (Kind k : kinds) {
            List<Problem> list = lists.get(k.ordinal());
            synchronized (list) {
                first.addAll(list.stream().limit(n).toList());
            }
        }
        return first;
    }
}
