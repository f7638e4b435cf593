package mastodon.s3sync.queue;

import java.util.function.BiFunction;
import java.util.function.Consumer;

import org.apache.camel.Endpoint;
import org.apache.camel.spi.PollingConsumerPollStrategy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How a worker's polls of the work queue count: each poll SQS answers ends the queue's outage, each failed poll
 * counts against it (the failure budget, copy.give-up-after), so a queue that stays down ends the worker (route
 * copy-watchdog) instead of polling it forever. Without this, Camel's default strategy logs each failed poll and
 * tries again at the next one, for as long as the worker runs.
 */
public final class QueuePollStrategy implements PollingConsumerPollStrategy {

    private static final Logger LOG = LoggerFactory.getLogger("mastodon.s3sync.queue");

    private final BiFunction<String, String, Boolean> failure;
    private final Consumer<String> success;
    private final String where;

    /**
     * @param failure the budget's failure(party, error): true when it starts an outage
     * @param success the budget's success(party)
     * @param where   the queue and its endpoint, for the warning
     */
    public QueuePollStrategy(BiFunction<String, String, Boolean> failure, Consumer<String> success, String where) {
        this.failure = failure;
        this.success = success;
        this.where = where;
    }

    @Override
    public boolean begin(org.apache.camel.Consumer consumer, Endpoint endpoint) {
        return true;
    }

    @Override
    public void commit(org.apache.camel.Consumer consumer, Endpoint endpoint, int polledMessages) {
        success.accept("queue");
    }

    @Override
    public boolean rollback(org.apache.camel.Consumer consumer, Endpoint endpoint, int retryCounter, Exception cause) {
        String error = cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
        if (failure.apply("queue", error)) {
            LOG.warn("The work queue {} does not answer: {} (polling again; copy.give-up-after ends the worker if it "
                    + "stays down)", where, error);
        } else {
            LOG.debug("The work queue {} still does not answer: {}", where, error);
        }
        return false;
    }
}
