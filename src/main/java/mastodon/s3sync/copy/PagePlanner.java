package mastodon.s3sync.copy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Turns a page of a table's rows into copy tasks (bean {@code pagePlanner}): each task carries what its transfer
 * needs (both keys under their prefixes, the ACL, the storage class, the sizes each store's listing found), so the
 * per-object routes compute nothing. Any route that reads a page of rows can call {@link #plan} then {@link #list}.
 */
public final class PagePlanner {

    private final CopyPass pass;
    private final CopyOptions options;
    private final MastodonKeys keys;
    private final CopyOutcomes outcomes;
    private final ObjectSizes targetListing;
    private final ObjectSizes sourceListing;
    private final String cannedAcl;

    /**
     * @param targetListing how the target's sizes are found per page (null: a HEAD per object instead)
     * @param sourceListing the same for the source
     */
    PagePlanner(CopyPass pass, MastodonKeys keys, CopyOutcomes outcomes, ObjectSizes targetListing,
                ObjectSizes sourceListing) {
        this.pass = pass;
        this.options = pass.options();
        this.keys = keys;
        this.outcomes = outcomes;
        this.targetListing = targetListing;
        this.sourceListing = sourceListing;
        this.cannedAcl = CannedAcl.forPermission(options.targetPermission());
    }

    /**
     * Turns a page of rows into copy tasks, registering each row with its object count (a row the key rules refuse is
     * counted failed). A page shorter than asked means the table has no more rows for now.
     *
     * @param table the table the rows come from
     * @param asked the rows the page asked for
     * @param rows  the page, each row a map of column name to value (with {@code id})
     */
    public List<CopyTask> plan(String table, int asked, List<Map<String, Object>> rows) {
        pass.budget().success("database");
        TableProgress t = pass.table(table);
        List<CopyTask> tasks = new ArrayList<>();
        for (Map<String, Object> row : rows) {
            long id = ((Number) row.get("id")).longValue();
            List<CopyTask> rowTasks;
            try {
                rowTasks = keys.objectsFor(table, row);
            } catch (IllegalArgumentException e) {
                outcomes.rowRefused(table, id, e.getMessage());
                continue;
            }
            t.rowPlanned(id, rowTasks.size());
            for (CopyTask task : rowTasks) {
                tasks.add(task.planned(options.sourcePrefix(), options.targetPrefix(), cannedAcl,
                        options.storageClass()));
            }
        }
        t.pageDone(asked > 0 && rows.size() >= asked);
        return tasks;
    }

    /**
     * Lists the page's key ranges in both stores (one request per thousand keys each) and returns the tasks with the
     * sizes found: an object the target lacks needs no HEAD there, and one it has with the source's size needs none
     * at all. Nothing is listed in a dry run, with --force, or when {@code copy.list-target} is false (sizes stay null:
     * not listed).
     */
    public List<CopyTask> list(List<CopyTask> tasks) {
        if (options.dryRun() || options.force() || tasks.isEmpty()
                || targetListing == null && sourceListing == null) {
            return tasks;
        }
        // a store that is not listed (copy.list-target=false) may hold anything: each object gets a HEAD there
        Map<String, Long> target = targetListing == null ? Map.of() : targetListing.sizes(tasks);
        if (targetListing != null) {
            pass.budget().success("listing");
        }
        boolean targetHasSome = targetListing == null || target.size() < tasks.size()
                || target.values().stream().anyMatch(size -> size != StoreListing.ABSENT);
        // the source's sizes only matter for objects the target has (a fresh copy GETs the rest anyway)
        // (verify needs them for every object: one it finds absent in both is missing at the source, not a failure)
        Map<String, Long> source = (targetHasSome || options.verify()) && sourceListing != null
                ? sourceListing.sizes(tasks) : Map.of();
        List<CopyTask> listed = new ArrayList<>(tasks.size());
        for (CopyTask task : tasks) {
            listed.add(task.listed(source.get(task.sourceKey()), target.get(task.targetKey())));
        }
        return listed;
    }
}
