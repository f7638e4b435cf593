package mastodon.s3sync.copy;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;

class TaskVariablesTest {

    @Test
    void everyFieldTheRoutesReadBecomesAVariable() {
        CopyTask task = new CopyTask("accounts", 7, "accounts/avatars/000/000/007/original/a.png", "image/png", false)
                .planned("src", "dst", "PUBLIC_READ", null).listed(100L, CopyTask.ABSENT);
        Map<String, Object> variables = new HashMap<>();

        TaskVariables.put(task, variables);

        assertThat(variables).containsExactlyInAnyOrderEntriesOf(Map.of(
                "taskTable", "accounts",
                "taskRowId", 7L,
                "taskKey", "accounts/avatars/000/000/007/original/a.png",
                "taskSourceKey", "src/accounts/avatars/000/000/007/original/a.png",
                "taskTargetKey", "dst/accounts/avatars/000/000/007/original/a.png",
                "taskContentType", "image/png",
                "taskCannedAcl", "PUBLIC_READ",
                "taskSourceSize", 100L,
                "taskTargetSize", CopyTask.ABSENT));
    }

    @Test
    void aFieldWithoutAValueLeavesNoVariableBehind() {
        // (a message may carry the variables of an earlier task: a worker of copy --work-from sends several through
        // one exchange's split)
        Map<String, Object> variables = new HashMap<>();
        TaskVariables.put(new CopyTask("backups", 1, "backups/dumps/000/000/001/original/d.zip", "application/zip", true)
                .planned("", "", "PUBLIC_READ", null).listed(5L, 5L), variables);

        TaskVariables.put(new CopyTask("accounts", 2, "accounts/avatars/000/000/002/original/b.png", "image/png", false)
                .planned("", "", null, null), variables);

        assertThat(variables).doesNotContainKeys("taskCannedAcl", "taskSourceSize", "taskTargetSize");
        assertThat(variables).containsEntry("taskTargetKey", "accounts/avatars/000/000/002/original/b.png");
    }
}
