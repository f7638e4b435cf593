package mastodon.s3sync.queue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.json.JsonWriteFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;

import mastodon.s3sync.copy.CopyTask;

/**
 * The body of one work-queue message: a JSON object {@code {"v":1,"tasks":[CopyTask, ...]}}, each task with every field
 * its transfer needs (keys, Content-Type, ACL, storage class, listed sizes). Characters outside ASCII are escaped, so
 * any key fits the characters SQS accepts in a message.
 */
public final class TaskCodec {

    /** The format version: a worker refuses a message of another one (it ends in the dead-letter queue). */
    public static final int VERSION = 1;

    private static final JsonMapper JSON = JsonMapper.builder()
            .enable(JsonWriteFeature.ESCAPE_NON_ASCII)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();

    /** The message body. */
    public record Message(int v, List<CopyTask> tasks) {
    }

    public String encode(List<CopyTask> tasks) {
        try {
            return JSON.writeValueAsString(new Message(VERSION, tasks));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The tasks of a message as a worker copies them: on a message received more than once (SQS attribute
     * ApproximateReceiveCount), without the target sizes the planner's listing found, which may be stale (a worker
     * that died copied some of them): each object is then HEADed in the target, and skipped when already there.
     *
     * @param attributes the message's system attributes (any key type; null: none)
     */
    public List<CopyTask> decode(String body, Map<?, ?> attributes) {
        List<CopyTask> tasks = decode(body);
        Object count = attributes == null ? null : attributes.entrySet().stream()
                .filter(e -> String.valueOf(e.getKey()).equals("ApproximateReceiveCount")).map(Map.Entry::getValue)
                .findFirst().orElse(null);
        if (count == null || Long.parseLong(count.toString().strip()) <= 1) {
            return tasks;
        }
        return tasks.stream().map(t -> t.listed(t.sourceSize(), null)).toList();
    }

    /** The tasks of a message body; a body that is not a message of this version is refused. */
    public List<CopyTask> decode(String body) {
        Message m;
        try {
            m = JSON.readValue(body, Message.class);
        } catch (IOException e) {
            throw new IllegalArgumentException("not a work-queue message (" + e.getMessage() + ")", e);
        }
        if (m.v() != VERSION || m.tasks() == null) {
            throw new IllegalArgumentException("a work-queue message of format " + m.v() + ", this worker reads "
                    + VERSION + ": run planner and workers of the same version");
        }
        return m.tasks();
    }
}
