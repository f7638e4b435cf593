package mastodon.s3sync.copy;

import java.util.Map;

/**
 * Puts a task's fields into an exchange's variables, once per object, so that the per-object routes read them as
 * plain values ({@code ${variable.taskTargetKey}}).
 * <ul>
 * <li>Reading them through the task instead ({@code ${exchangeProperty.task.targetKey}}) is Camel's OGNL: at every
 * evaluation it builds a bean expression and looks up a BeanInfo cached by bean instance, so it introspects the task's
 * class anew for each object, five to eight times per object (bench/RESULTS.md, "OGNL reads").</li>
 * <li>Variables, not headers: {@code removeHeaders} with a pattern compiles a regular expression for every header the
 * pattern does not match as a plain name or wildcard, and transfer-object removes the S3 producer's headers
 * ({@code CamelAwsS3*}) twice per object; with no task field among the headers, each header there matches the
 * wildcard and nothing is compiled (bench/RESULTS.md, "Fewer regular expressions, exchange copies and events per
 * object").</li>
 * </ul>
 */
public final class TaskVariables {

    private TaskVariables() {
    }

    /**
     * Puts the task's fields into the variables taskTable, taskRowId, taskKey, taskSourceKey, taskTargetKey,
     * taskContentType, taskCannedAcl, taskSourceSize, taskTargetSize; a field without a value (no ACL, a size not
     * listed) removes its variable.
     *
     * @param task      the object's task
     * @param variables the exchange's variables ({@code ${variables}}, Camel's live map), changed in place
     */
    public static void put(CopyTask task, Map<String, Object> variables) {
        set(variables, "taskTable", task.table());
        set(variables, "taskRowId", task.rowId());
        set(variables, "taskKey", task.key());
        set(variables, "taskSourceKey", task.sourceKey());
        set(variables, "taskTargetKey", task.targetKey());
        set(variables, "taskContentType", task.contentType());
        set(variables, "taskCannedAcl", task.cannedAcl());
        set(variables, "taskSourceSize", task.sourceSize());
        set(variables, "taskTargetSize", task.targetSize());
    }

    private static void set(Map<String, Object> variables, String name, Object value) {
        if (value == null) {
            variables.remove(name);
        } else {
            variables.put(name, value);
        }
    }
}
