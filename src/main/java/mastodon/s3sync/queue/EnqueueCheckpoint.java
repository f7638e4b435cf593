package mastodon.s3sync.queue;

import mastodon.s3sync.copy.CopyOutcomes;
import mastodon.s3sync.copy.PageCursors;
import mastodon.s3sync.copy.CopyTask;

/**
 * The planner's record of what it has enqueued. The plan pass is a copy pass (mode {@code plan}, checkpoint files
 * {@code plan-TABLE.checkpoint}) whose objects are done once their batch is in the queue: a row's checkpoint moves past
 * it only when every task of it was sent, and the checkpoint is written right after each accepted batch. A planner
 * killed at any moment so enqueues again, when restarted, at most the batch whose send it did not live to record.
 */
public final class EnqueueCheckpoint {

    private final CopyOutcomes outcomes;
    private final PageCursors cursors;

    public EnqueueCheckpoint(CopyOutcomes outcomes, PageCursors cursors) {
        this.outcomes = outcomes;
        this.cursors = cursors;
    }

    /** SQS accepted the batch: its tasks are done (counted "enqueued"), the checkpoints are written now. */
    public void sent(TaskBatches.Batch batch) {
        outcomes.enqueued(batch.tasks());
        cursors.saveCheckpoints();
    }

    /** The batch could not be sent (after retries): its tasks failed, the checkpoint stays before their rows. */
    public void failed(TaskBatches.Batch batch, Throwable error) {
        for (CopyTask task : batch.tasks()) {
            outcomes.failed(task, error);
        }
    }
}
