package mastodon.s3sync.copy;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** A copy job's parts on their own, for the plain unit tests of the bookkeeping (no Camel, no server). */
final class CopyBookkeepingFixture {

    private CopyBookkeepingFixture() {
    }

    /** The options of a pass over accounts (and any {@code more} copy.* settings) with its state in {@code state}. */
    static CopyOptions options(Path state, String... more) {
        Map<String, String> p = new HashMap<>();
        p.put("copy.mode", "copy");
        p.put("copy.only", "accounts");
        p.put("copy.state-dir", state.toString());
        p.put("target.permission", "public-read");
        // which copy this is: the checkpoints belong to it
        p.put("db.host", "db.example");
        p.put("db.name", "mastodon");
        p.put("source.bucket", "old-bucket");
        p.put("target.bucket", "new-bucket");
        for (int i = 0; i < more.length; i += 2) {
            p.put(more[i], more[i + 1]);
        }
        return CopyOptions.from(p::get);
    }

    /** An accounts row with a png avatar (one object). */
    static Map<String, Object> account(long id) {
        Map<String, Object> row = new HashMap<>();
        row.put("id", id);
        row.put("avatar_file_name", "a" + id + ".png");
        row.put("avatar_content_type", "image/png");
        return row;
    }

    /** Plans a page of accounts rows of one avatar each; the page is full (more rows may follow). */
    static List<CopyTask> plan(CopyJob job, long... ids) {
        List<Map<String, Object>> rows = java.util.Arrays.stream(ids).mapToObj(CopyBookkeepingFixture::account)
                .toList();
        return job.parts().planner().plan("accounts", rows.size(), rows);
    }
}
