package mastodon.s3sync.mirror;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.DeleteMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.DeleteMessageBatchResponse;

/**
 * Deletes the queue's messages that the mirror has applied, ten per DeleteMessageBatch request instead of one
 * DeleteMessage each (Camel's SQS consumer sends one per message when it deletes them itself). Route mirror-acks
 * collects the receipt handles of done messages (an aggregate: ten, the end of a poll, a second, or a stop) and hands
 * each group here.
 *
 * <p>A delete that does not happen (a request refused, the process killed first) loses nothing: the message comes back
 * after its visibility timeout, and the sequencer store skips the events already applied.
 */
public final class QueueAcks {

    /** SQS takes at most ten entries per batch request. */
    static final int BATCH = 10;
    private static final Logger LOG = LoggerFactory.getLogger("mastodon.s3sync.mirror");

    private final SqsClient sqs;
    private final Supplier<String> queueUrl;
    private final LongAdder deleted = new LongAdder();
    private final LongAdder requests = new LongAdder();

    /** @param queueUrl the queue's URL, asked for at the first delete (the consumer resolves it when it starts) */
    public QueueAcks(SqsClient sqs, Supplier<String> queueUrl) {
        this.sqs = sqs;
        this.queueUrl = queueUrl;
    }

    /** Messages deleted so far. */
    public long deleted() {
        return deleted.sum();
    }

    /** DeleteMessageBatch requests sent so far. */
    public long requests() {
        return requests.sum();
    }

    /** Deletes these messages, ten per request; what SQS refuses is logged at WARN, nothing is thrown. */
    public void delete(List<String> handles) {
        for (int from = 0; from < handles.size(); from += BATCH) {
            List<String> chunk = handles.subList(from, Math.min(handles.size(), from + BATCH));
            List<DeleteMessageBatchRequestEntry> entries = new ArrayList<>(chunk.size());
            for (int i = 0; i < chunk.size(); i++) {
                entries.add(DeleteMessageBatchRequestEntry.builder().id("m" + i).receiptHandle(chunk.get(i)).build());
            }
            try {
                requests.increment();
                DeleteMessageBatchResponse r = sqs.deleteMessageBatch(b -> b.queueUrl(queueUrl.get())
                        .entries(entries));
                deleted.add(r.successful().size());
                if (!r.failed().isEmpty()) {
                    LOG.warn("mirror: SQS did not delete {} of {} applied messages ({}: {}); they come back after "
                            + "the visibility timeout and are skipped as already applied", r.failed().size(),
                            entries.size(), r.failed().get(0).code(), r.failed().get(0).message());
                }
            } catch (SdkException e) {
                LOG.warn("mirror: deleting {} applied messages failed ({}); they come back after the visibility "
                        + "timeout and are skipped as already applied", entries.size(), e.getMessage());
            }
        }
    }
}
