package mastodon.s3sync.queue;

import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;

import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * The planner's view of the work queue once everything is enqueued: how many messages wait, how many workers hold,
 * how many the dead-letter queue has. The queue is drained when nothing waits, is held or is delayed in two readings
 * in a row (SQS's counts are approximate, and a message a killed worker held counts as held until its visibility
 * timeout ends).
 */
public final class QueueWatch {

    /** One reading; deadLetter is -1 when the dead-letter queue is not known. */
    public record Depth(long visible, long inFlight, long delayed, long deadLetter, boolean drained) {

        public String line() {
            return String.format(Locale.ROOT, "work queue: %d message(s) waiting, %d held by workers%s%s", visible,
                    inFlight, delayed > 0 ? ", " + delayed + " delayed" : "",
                    deadLetter > 0 ? " | dead-letter queue: " + deadLetter : "");
        }
    }

    private final SqsClient sqs;
    private final Supplier<String> queueUrl;
    private final Supplier<String> deadLetterUrl;
    private int emptyReadings;

    public QueueWatch(SqsClient sqs, Supplier<String> queueUrl, Supplier<String> deadLetterUrl) {
        this.sqs = sqs;
        this.queueUrl = queueUrl;
        this.deadLetterUrl = deadLetterUrl;
    }

    public synchronized Depth read() {
        Map<QueueAttributeName, String> a = sqs.getQueueAttributes(r -> r.queueUrl(queueUrl.get()).attributeNames(
                QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES,
                QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE,
                QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_DELAYED)).attributes();
        long visible = count(a, QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES);
        long inFlight = count(a, QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE);
        long delayed = count(a, QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_DELAYED);
        long dead = -1;
        String dlq = deadLetterUrl.get();
        if (dlq != null && !dlq.isBlank()) {
            dead = count(sqs.getQueueAttributes(r -> r.queueUrl(dlq).attributeNames(
                    QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES)).attributes(),
                    QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES);
        }
        emptyReadings = visible + inFlight + delayed == 0 ? emptyReadings + 1 : 0;
        return new Depth(visible, inFlight, delayed, dead, emptyReadings >= 2);
    }

    private static long count(Map<QueueAttributeName, String> a, QueueAttributeName name) {
        String v = a.get(name);
        return v == null ? 0 : Long.parseLong(v.strip());
    }
}
