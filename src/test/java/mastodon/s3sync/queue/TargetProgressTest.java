package mastodon.s3sync.queue;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import mastodon.s3sync.copy.CopyTask;

@Timeout(30)
class TargetProgressTest {

    private final TaskBatches batches = new TaskBatches(new TaskCodec(), 10);

    private static List<CopyTask> tasks(int from, int n) {
        List<CopyTask> tasks = new ArrayList<>();
        for (int i = from; i < from + n; i++) {
            tasks.add(TaskBatchesTest.task(i, String.format("media_attachments/files/%08d/original/x.png", i)));
        }
        return tasks;
    }

    private void enqueue(TargetProgress p, List<CopyTask> tasks) {
        batches.of(tasks).forEach(p::enqueued);
    }

    @Test
    void aSmallPlanIsCountedWholeAndAKeyFoundPresentIsNotAskedAgain() {
        Set<String> present = new HashSet<>();
        List<String> asked = new ArrayList<>();
        TargetProgress p = new TargetProgress(key -> {
            asked.add(key);
            return present.contains(key);
        }, 1000, 50, 1);
        List<CopyTask> tasks = tasks(0, 120);
        enqueue(p, tasks);
        for (int i = 0; i < 45; i++) {
            present.add(tasks.get(i).targetKey());
        }
        TargetProgress.Reading r = p.read();
        assertThat(asked).as("at most 50 probes a reading").hasSize(50);
        assertThat(r.exact()).isTrue();
        assertThat(r.present()).isEqualTo(45);
        assertThat(r.line()).isEqualTo("target: at least 45 of 120 objects enqueued by this run present");
        // the next readings go on from where the last stopped, never asking again for a key found present
        asked.clear();
        tasks.forEach(t -> present.add(t.targetKey()));
        p.read();
        p.read();
        assertThat(asked).hasSize(75).doesNotHaveDuplicates();
        assertThat(p.read().line()).isEqualTo("target: at least 120 of 120 objects enqueued by this run present");
        asked.clear();
        p.read();
        assertThat(asked).as("nothing more to ask once every sampled key is present").isEmpty();
    }

    @Test
    void aLargePlanKeepsABoundedSampleAndEstimates() {
        AtomicInteger probes = new AtomicInteger();
        // the objects of even rows are there: about half of the whole
        TargetProgress p = new TargetProgress(key -> {
            probes.incrementAndGet();
            return Integer.parseInt(key.substring("media_attachments/files/".length(), 32)) % 2 == 0;
        }, 200, 50, 7);
        enqueue(p, tasks(0, 20_000));
        TargetProgress.Reading r = null;
        for (int i = 0; i < 8; i++) {
            r = p.read();
        }
        assertThat(probes.get()).as("bounded: 50 a reading, none for a key found present").isLessThanOrEqualTo(400);
        assertThat(r.sampled()).isEqualTo(200);
        assertThat(r.enqueued()).isEqualTo(20_000);
        assertThat(r.exact()).isFalse();
        assertThat(r.objectsPresent()).isBetween(7_000L, 13_000L);
        assertThat(r.line()).matches("target: about [0-9,]+ of 20,000 objects enqueued by this run present "
                + "\\([0-9]+ of a sample of 200\\)");
    }

    @Test
    void aTargetThatDoesNotAnswerStopsTheReadingAndSaysWhy() {
        AtomicInteger probes = new AtomicInteger();
        TargetProgress p = new TargetProgress(key -> {
            probes.incrementAndGet();
            throw new java.io.IOException("Connection refused");
        }, 100, 50, 1);
        enqueue(p, tasks(0, 30));
        assertThat(p.read().line()).isEqualTo(
                "target: at least 0 of 30 objects enqueued by this run present (probe stopped: Connection refused)");
        assertThat(probes.get()).as("one failed probe ends the reading").isEqualTo(1);
    }

    @Test
    void nothingEnqueuedByThisRunSaysSo() {
        TargetProgress p = new TargetProgress(key -> true, 100, 50, 1);
        assertThat(p.read().line()).isEqualTo("target: not sampled (this run enqueued nothing; the verify counts)");
    }
}
