package mastodon.s3sync.queue;

/**
 * A task of a work-queue message failed (after the copy's retries): the message is not deleted, so it comes back
 * after its visibility timeout, and after the queue's maxReceiveCount receives it moves to the dead-letter queue.
 */
public final class TaskFailedException extends RuntimeException {

    public TaskFailedException(String message) {
        super(message, null, false, false);
    }
}
