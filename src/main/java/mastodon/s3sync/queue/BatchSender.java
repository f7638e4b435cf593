package mastodon.s3sync.queue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.BatchResultErrorEntry;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchResponse;

/**
 * Sends one request of messages with SendMessageBatch. SQS may accept some entries of a request and refuse others: the
 * refused ones are sent again (only they, so nothing is enqueued twice), up to three times for a server-side refusal;
 * a refusal that is the sender's fault, or one that persists, fails the send (the route's error handling retries it).
 * The entries SQS accepted are remembered until the batch is done or given up ({@link #forget}), so the route's
 * retries of a batch send again only what was refused, never a message already in the queue.
 */
public final class BatchSender {

    private static final int ATTEMPTS = 3;

    private final SqsClient sqs;
    private final Supplier<String> queueUrl;
    /** Per batch being sent (by identity): the indexes of its messages SQS accepted in earlier attempts. */
    private final Map<TaskBatches.Batch, Set<Integer>> accepted = Collections.synchronizedMap(new IdentityHashMap<>());

    public BatchSender(SqsClient sqs, Supplier<String> queueUrl) {
        this.sqs = sqs;
        this.queueUrl = queueUrl;
    }

    /** Sends every message of the batch; returns only when SQS has accepted all of them. */
    public void send(TaskBatches.Batch batch) {
        Set<Integer> done = accepted.computeIfAbsent(batch, b -> Collections.synchronizedSet(new HashSet<>()));
        List<SendMessageBatchRequestEntry> pending = new ArrayList<>();
        for (int i = 0; i < batch.messages().size(); i++) {
            if (!done.contains(i)) {
                pending.add(SendMessageBatchRequestEntry.builder().id("m" + i)
                        .messageBody(batch.messages().get(i).body()).build());
            }
        }
        for (int attempt = 1; !pending.isEmpty(); attempt++) {
            List<SendMessageBatchRequestEntry> entries = List.copyOf(pending);
            SendMessageBatchResponse r = sqs.sendMessageBatch(b -> b.queueUrl(queueUrl.get()).entries(entries));
            r.successful().forEach(ok -> done.add(Integer.parseInt(ok.id().substring(1))));
            pending.clear();
            for (BatchResultErrorEntry failed : r.failed()) {
                if (Boolean.TRUE.equals(failed.senderFault()) || attempt >= ATTEMPTS) {
                    throw new IllegalStateException("SQS refused " + r.failed().size() + " of " + entries.size()
                            + " messages (" + failed.code() + ": " + failed.message() + ")");
                }
                entries.stream().filter(e -> e.id().equals(failed.id())).forEach(pending::add);
            }
        }
        accepted.remove(batch);
    }

    /** The batch is given up (its tasks failed): nothing more to remember of it. */
    public void forget(TaskBatches.Batch batch) {
        accepted.remove(batch);
    }
}
