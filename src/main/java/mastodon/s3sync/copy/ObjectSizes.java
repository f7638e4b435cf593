package mastodon.s3sync.copy;

import java.util.List;
import java.util.Map;

/** What one store holds of a page's objects: size per key (with that store's prefix), {@code -1} for an absent key. */
public interface ObjectSizes {

    /** Size per key; {@link CopyTask#ABSENT} when absent; no entry when this store cannot tell (one HEAD then). */
    Map<String, Long> sizes(List<CopyTask> tasks);
}
