package mastodon.s3sync.copy;

import java.time.Instant;
import java.util.Map;

/**
 * What the parts of one pass share: its options, the selected tables' progress (in Mastodon's table order), the
 * problems so far, when it started, and the failure budget each success is told to.
 */
record CopyPass(CopyOptions options, Map<String, TableProgress> tables, Problems problems, Instant started,
                FailureBudget budget) {

    /** The progress of a table of this pass. */
    TableProgress table(String table) {
        TableProgress t = tables.get(table);
        if (t == null) {
            throw new IllegalArgumentException("table " + table + " is not part of this pass");
        }
        return t;
    }
}
