package mastodon.s3sync.queue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import mastodon.s3sync.copy.CopyTask;

/**
 * Cuts a page of tasks into SQS messages and the messages into SendMessageBatch requests, in the page's order: a
 * message holds at most {@code tasksPerMessage} tasks, a request at most 10 messages, and neither a message nor a
 * whole request exceeds {@link #MAX_BYTES} (SQS's 256 KiB limit on both).
 */
public final class TaskBatches {

    /** SQS's limit on one message, and on the sum of a SendMessageBatch request's messages. */
    public static final int MAX_BYTES = 256 * 1024;
    /** SQS's limit of messages per SendMessageBatch. */
    public static final int MAX_ENTRIES = 10;

    /** One message: its body and the tasks in it. */
    public record Message(String body, List<CopyTask> tasks) {
        public int bytes() {
            return body.getBytes(StandardCharsets.UTF_8).length;
        }
    }

    /** One SendMessageBatch request. */
    public record Batch(List<Message> messages) {
        public List<CopyTask> tasks() {
            return messages.stream().flatMap(m -> m.tasks().stream()).toList();
        }

        public int bytes() {
            return messages.stream().mapToInt(Message::bytes).sum();
        }
    }

    private final TaskCodec codec;
    private final int tasksPerMessage;
    private final int maxBytes;

    public TaskBatches(TaskCodec codec, int tasksPerMessage) {
        this(codec, tasksPerMessage, MAX_BYTES);
    }

    TaskBatches(TaskCodec codec, int tasksPerMessage, int maxBytes) {
        if (tasksPerMessage < 1) {
            throw new IllegalArgumentException("queue.tasks-per-message must be at least 1");
        }
        this.codec = codec;
        this.tasksPerMessage = tasksPerMessage;
        this.maxBytes = maxBytes;
    }

    /** The page's tasks as requests, in order (none for an empty page). */
    public List<Batch> of(List<CopyTask> tasks) {
        List<Batch> batches = new ArrayList<>();
        List<Message> current = new ArrayList<>();
        int currentBytes = 0;
        for (Message m : messages(tasks)) {
            if (current.size() == MAX_ENTRIES || currentBytes + m.bytes() > maxBytes) {
                batches.add(new Batch(List.copyOf(current)));
                current.clear();
                currentBytes = 0;
            }
            current.add(m);
            currentBytes += m.bytes();
        }
        if (!current.isEmpty()) {
            batches.add(new Batch(List.copyOf(current)));
        }
        return batches;
    }

    /** The tasks as messages of at most tasksPerMessage tasks and maxBytes bytes each. */
    List<Message> messages(List<CopyTask> tasks) {
        List<Message> out = new ArrayList<>();
        int i = 0;
        while (i < tasks.size()) {
            int n = Math.min(tasksPerMessage, tasks.size() - i);
            Message m = message(tasks.subList(i, i + n));
            while (m.bytes() > maxBytes) {
                if (n == 1) {
                    throw new IllegalArgumentException("one task does not fit an SQS message: "
                            + tasks.get(i).sourceKey());
                }
                n = n / 2;
                m = message(tasks.subList(i, i + n));
            }
            out.add(m);
            i += n;
        }
        return out;
    }

    private Message message(List<CopyTask> tasks) {
        return new Message(codec.encode(tasks), List.copyOf(tasks));
    }
}
