package mastodon.s3sync.queue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import mastodon.s3sync.copy.CopyTask;

class TaskBatchesTest {

    private final TaskCodec codec = new TaskCodec();

    static CopyTask task(int i, String key) {
        return new CopyTask("media_attachments", 1000 + i, key, "image/png", i % 2 == 0)
                .planned("masto", "", "PUBLIC_READ", i % 3 == 0 ? "STANDARD_IA" : null)
                .listed(i % 4 == 0 ? null : 100L + i, i % 5 == 0 ? CopyTask.ABSENT : null);
    }

    static List<CopyTask> tasks(int n, int keyLength) {
        List<CopyTask> tasks = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            String name = String.format("%0" + Math.max(8, keyLength) + "d", i);
            tasks.add(task(i, "media_attachments/files/000/000/" + name + "/original/x.png"));
        }
        return tasks;
    }

    @Test
    void aTaskTravelsWhole() {
        List<CopyTask> tasks = List.of(task(0, "accounts/avatars/109/348/original/é ü 日本 \u0001 \"q\".png"),
                task(1, "cache/media_attachments/files/a b/c+d%20.webp"), task(4, "x"));
        String body = codec.encode(tasks);
        assertThat(codec.decode(body)).isEqualTo(tasks);
        // ASCII only: any key fits the characters SQS accepts in a message
        assertThat(body.chars().allMatch(c -> c >= 0x20 && c < 0x7f)).isTrue();
        assertThat(body).startsWith("{\"v\":1,");
    }

    @Test
    void aMessageOfAnotherFormatOrNotJsonIsRefused() {
        assertThatThrownBy(() -> codec.decode("{\"v\":2,\"tasks\":[]}")).hasMessageContaining("format 2");
        assertThatThrownBy(() -> codec.decode("hello")).hasMessageContaining("not a work-queue message");
    }

    @Test
    void aMessageReceivedAgainDropsTheListedTargetSizes() {
        List<CopyTask> tasks = List.of(task(5, "a"), task(6, "b"));
        String body = codec.encode(tasks);
        assertThat(codec.decode(body, Map.of("ApproximateReceiveCount", "1"))).isEqualTo(tasks);
        assertThat(codec.decode(body, null)).isEqualTo(tasks);
        List<CopyTask> again = codec.decode(body, Map.of("ApproximateReceiveCount", "2"));
        assertThat(again).extracting(CopyTask::targetSize).containsOnlyNulls();
        assertThat(again).extracting(CopyTask::sourceSize).containsExactly(105L, 106L);
        assertThat(again).extracting(CopyTask::targetKey).containsExactly("a", "b");
    }

    @Test
    void pagesAreCutIntoMessagesAndRequestsWithinSqsLimitsInOrder() {
        List<CopyTask> page = tasks(1234, 8);
        List<TaskBatches.Batch> batches = new TaskBatches(codec, 7).of(page);
        List<CopyTask> back = new ArrayList<>();
        for (TaskBatches.Batch b : batches) {
            assertThat(b.messages()).hasSizeBetween(1, TaskBatches.MAX_ENTRIES);
            assertThat(b.bytes()).isLessThanOrEqualTo(TaskBatches.MAX_BYTES);
            for (TaskBatches.Message m : b.messages()) {
                assertThat(m.tasks()).hasSizeBetween(1, 7);
                assertThat(codec.decode(m.body())).isEqualTo(m.tasks());
                back.addAll(m.tasks());
            }
        }
        assertThat(back).isEqualTo(page);
        assertThat(batches).hasSize((1234 + 69) / 70); // 10 messages of 7 tasks per request
        assertThat(new TaskBatches(codec, 7).of(List.of())).isEmpty();
    }

    @Test
    void largeTasksMakeSmallerMessagesAndRequestsUnder256KiB() {
        // keys of about 1000 bytes: 500 tasks would be ~600 KB in one message
        List<CopyTask> page = tasks(500, 900);
        List<TaskBatches.Batch> batches = new TaskBatches(codec, 500).of(page);
        List<CopyTask> back = new ArrayList<>();
        for (TaskBatches.Batch b : batches) {
            assertThat(b.bytes()).isLessThanOrEqualTo(TaskBatches.MAX_BYTES);
            b.messages().forEach(m -> {
                assertThat(m.body().getBytes(StandardCharsets.UTF_8).length).isLessThanOrEqualTo(TaskBatches.MAX_BYTES);
                back.addAll(m.tasks());
            });
        }
        assertThat(back).isEqualTo(page);
        assertThat(batches.size()).isGreaterThan(1);
    }

    @Test
    void aTaskLargerThanAMessageIsAnError() {
        assertThatThrownBy(() -> new TaskBatches(codec, 10, 200).of(tasks(1, 300)))
                .hasMessageContaining("does not fit");
    }
}
