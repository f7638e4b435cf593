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
 * DeleteMessage each (Camel's SQS consumer sends one per message when it deletes them itself). The mirror route hands
 * over a message's receipt handle only once the message is done ({@code onCompletion}, complete only); the handles of
 * one poll are deleted together when its last message is done, a full ten at once, and what is left (the last
 * message of a poll failed, or the mirror stops) by {@link #flush} from the route's timer and at close.
 *
 * <p>A delete that does not happen (a request refused, the process killed before the flush) loses nothing: the message
 * comes back after its visibility timeout, and the sequencer store skips the events already applied.
 */
public final class QueueAcks implements AutoCloseable {

    /** SQS takes at most ten entries per batch request. */
    static final int BATCH = 10;
    private static final Logger LOG = LoggerFactory.getLogger("mastodon.s3sync.mirror");

    private final SqsClient sqs;
    private final Supplier<String> queueUrl;
    private final List<String> pending = new ArrayList<>();
    private final LongAdder deleted = new LongAdder();
    private final LongAdder requests = new LongAdder();

    /** @param queueUrl the queue's URL, asked for at the first delete (the consumer resolves it when it starts) */
    public QueueAcks(SqsClient sqs, Supplier<String> queueUrl) {
        this.sqs = sqs;
        this.queueUrl = queueUrl;
    }

    /**
     * A message is done (applied, or acknowledged without applying).
     *
     * @param receiptHandle its receipt handle (null: not from SQS, as in a route test: nothing to delete)
     * @param lastOfPoll    true for the last message of its poll: the poll's handles are deleted now
     */
    public void done(String receiptHandle, boolean lastOfPoll) {
        List<String> ready = null;
        synchronized (pending) {
            if (receiptHandle != null) {
                pending.add(receiptHandle);
            }
            if (lastOfPoll || pending.size() >= BATCH) {
                ready = drain();
            }
        }
        if (ready != null) {
            delete(ready);
        }
    }

    /** Deletes every message handed over and not deleted yet. */
    public void flush() {
        List<String> ready;
        synchronized (pending) {
            ready = drain();
        }
        delete(ready);
    }

    @Override
    public void close() {
        flush();
    }

    /** Messages deleted so far. */
    public long deleted() {
        return deleted.sum();
    }

    /** DeleteMessageBatch requests sent so far. */
    public long requests() {
        return requests.sum();
    }

    private List<String> drain() {
        List<String> ready = new ArrayList<>(pending);
        pending.clear();
        return ready;
    }

    private void delete(List<String> handles) {
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
