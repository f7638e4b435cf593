package mastodon.s3sync.queue;

import org.apache.camel.AggregationStrategy;
import org.apache.camel.Exchange;

import mastodon.s3sync.copy.CopyTask;

/**
 * Gathers the outcome of a message's tasks (the worker's split): each task whose copy failed after its retries (the
 * copy's error handling marks it with the exchange property {@code taskFailed}) is counted on the message's exchange,
 * as property {@code tasksFailed}, with the first such key as {@code firstFailedKey}. The route then decides whether
 * the message may be deleted. (A handled failure ends the task's own routing, so the task cannot say it itself.)
 */
public final class TaskOutcomes implements AggregationStrategy {

    @Override
    public Exchange aggregate(Exchange oldExchange, Exchange newExchange) {
        return aggregate(oldExchange, newExchange, newExchange);
    }

    @Override
    public Exchange aggregate(Exchange oldExchange, Exchange newExchange, Exchange inputExchange) {
        if (newExchange != null && Boolean.TRUE.equals(newExchange.getProperty("taskFailed", Boolean.class))) {
            inputExchange.setProperty("tasksFailed", inputExchange.getProperty("tasksFailed", 0, Integer.class) + 1);
            if (inputExchange.getProperty("firstFailedKey") == null) {
                CopyTask task = newExchange.getProperty("task", CopyTask.class);
                inputExchange.setProperty("firstFailedKey", task == null ? "?" : task.targetKey());
            }
        }
        return inputExchange;
    }
}
