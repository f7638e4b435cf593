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

    private TaskHeaders() {
    }

    /**
     * Puts the task's fields into the headers taskTable, taskRowId, taskKey, taskSourceKey, taskTargetKey,
     * taskContentType, taskCannedAcl, taskSourceSize, taskTargetSize; a field without a value (no ACL, a size not
     * listed) removes its header.
     *
     * @param task    the object's task
     * @param headers the message's headers ({@code ${headers}}), changed in place
     */
    public static void put(CopyTask task, Map<String, Object> headers) {
        set(headers, "taskTable", task.table());
        set(headers, "taskRowId", task.rowId());
        set(headers, "taskKey", task.key());
        set(headers, "taskSourceKey", task.sourceKey());
        set(headers, "taskTargetKey", task.targetKey());
        set(headers, "taskContentType", task.contentType());
        set(headers, "taskCannedAcl", task.cannedAcl());
        set(headers, "taskSourceSize", task.sourceSize());
        set(headers, "taskTargetSize", task.targetSize());
    }

    private static void set(Map<String, Object> headers, String name, Object value) {
        if (value == null) {
            headers.remove(name);
        } else {
            headers.put(name, value);
        }
    }
}
