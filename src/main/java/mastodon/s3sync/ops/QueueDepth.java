package mastodon.s3sync.ops;

import java.util.Map;
import java.util.function.Supplier;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;

import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * How far the mirror is behind its queue: {@code mastodon_queue_messages{queue, state}} with state visible (waiting),
 * in_flight (received, not yet deleted) and delayed, from SQS GetQueueAttributes. Read at most every 10 seconds,
 * so a scrape costs one request per queue at most.
 */
public final class QueueDepth implements MeterBinder {

    private static final long MAX_AGE_MILLIS = 10_000;

    private final SqsClient sqs;
    private final String queue;
    private final Supplier<String> queueUrl;
    private volatile Map<QueueAttributeName, String> last = Map.of();
    private volatile long readAt;

    public QueueDepth(SqsClient sqs, String queue, Supplier<String> queueUrl) {
        this.sqs = sqs;
        this.queue = queue;
        this.queueUrl = queueUrl;
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        gauge(registry, "visible", QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES);
        gauge(registry, "in_flight", QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE);
        gauge(registry, "delayed", QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_DELAYED);
    }

    private void gauge(MeterRegistry registry, String state, QueueAttributeName attribute) {
        Gauge.builder("mastodon.queue.messages", this, q -> q.read(attribute))
                .description("messages in the SQS queue (approximate)").tag("queue", queue).tag("state", state)
                .strongReference(true).register(registry);
    }

    private synchronized double read(QueueAttributeName attribute) {
        long now = System.currentTimeMillis();
        if (now - readAt > MAX_AGE_MILLIS) {
            readAt = now;
            try {
                last = sqs.getQueueAttributes(r -> r.queueUrl(queueUrl.get()).attributeNames(
                        QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES,
                        QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE,
                        QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_DELAYED)).attributes();
            } catch (RuntimeException e) {
                last = Map.of(); // unknown while the queue cannot be read; the health check says why
            }
        }
        String v = last.get(attribute);
        return v == null ? Double.NaN : Double.parseDouble(v);
    }
}
