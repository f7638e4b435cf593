package mastodon.s3sync.copy;

import java.util.Map;

/**
 * Puts a task's fields into a message's headers, once per object, so that the per-object routes read them as plain
 * values ({@code ${header.taskTargetKey}}). Reading them through the task instead ({@code ${exchangeProperty.task
 * .targetKey}}, {@code ${body.targetSize}}) is Camel's OGNL: at every evaluation it builds a bean expression and looks
 * up a BeanInfo cached by bean instance, so it introspects the task's class anew for each object, five to eight times
 * per object (bench/RESULTS.md, "OGNL reads").
 */
public final class TaskHeaders {

    /** The headers this puts, by name. */
    public static final String TABLE = "taskTable";
    public static final String ROW_ID = "taskRowId";
    public static final String KEY = "taskKey";
    public static final String SOURCE_KEY = "taskSourceKey";
    public static final String TARGET_KEY = "taskTargetKey";
    public static final String CONTENT_TYPE = "taskContentType";
    public static final String CANNED_ACL = "taskCannedAcl";
    public static final String SOURCE_SIZE = "taskSourceSize";
    public static final String TARGET_SIZE = "taskTargetSize";

    private TaskHeaders() {
    }

    /**
     * Puts the task's fields into the headers; a field without a value (no ACL, a size not listed) removes its header.
     *
     * @param task    the object's task
     * @param headers the message's headers ({@code ${headers}}), changed in place
     */
    public static void put(CopyTask task, Map<String, Object> headers) {
        set(headers, TABLE, task.table());
        set(headers, ROW_ID, task.rowId());
        set(headers, KEY, task.key());
        set(headers, SOURCE_KEY, task.sourceKey());
        set(headers, TARGET_KEY, task.targetKey());
        set(headers, CONTENT_TYPE, task.contentType());
        set(headers, CANNED_ACL, task.cannedAcl());
        set(headers, SOURCE_SIZE, task.sourceSize());
        set(headers, TARGET_SIZE, task.targetSize());
    }

    private static void set(Map<String, Object> headers, String name, Object value) {
        if (value == null) {
            headers.remove(name);
        } else {
            headers.put(name, value);
        }
    }
}
