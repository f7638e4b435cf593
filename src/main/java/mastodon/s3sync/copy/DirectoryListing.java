package mastodon.s3sync.copy;

import java.io.IOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import mastodon.s3sync.store.DirectorySide;

/**
 * The sizes of a page's files in a directory (local storage): one stat per key, which answers for every key, so a
 * directory side never needs a HEAD. A source follows symbolic links (cache/ on another disk); a target does not (a
 * link is not a copy). A key that cannot be examined (unsafe, unreadable) counts as absent: the transfer then meets
 * the problem and reports it.
 *
 * @param side   the directory
 * @param source true for the source side (its keys, links followed), false for the target
 */
public record DirectoryListing(DirectorySide side, boolean source) implements ObjectSizes {

    @Override
    public Map<String, Long> sizes(List<CopyTask> tasks) {
        Map<String, Long> sizes = new HashMap<>();
        for (CopyTask t : tasks) {
            String key = source ? t.sourceKey() : t.targetKey();
            Long size;
            try {
                size = source ? side.store().sourceSize(key) : side.store().targetSize(key);
            } catch (IOException e) {
                size = null;
            }
            sizes.put(key, size == null ? CopyTask.ABSENT : size);
        }
        return sizes;
    }
}
