package mastodon.s3sync.mirror;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import software.amazon.awssdk.services.s3.model.S3Object;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry;

/**
 * 2,000 create, overwrite and delete events over 100 keys (in 10 directories), with real sequencers, delivered
 * shuffled, a quarter of them twice, packed 1 to 4 records a message, to 4 consumers: the local tree ends equal to the
 * bucket, key for key and byte for byte.
 */
@Timeout(150)
@MirrorServers
class MirrorConvergenceTest {

    @TempDir
    Path tmp;

    @Test
    void shuffledDuplicatedEventsConvergeOnTheBucket(MirrorHarness h) throws Exception {
        Random rnd = new Random(20261129);
        int keys = 100;
        int events = 2000;
        // the history: per event a key and an operation; sequencers increase with time, as S3's do per key
        List<String> records = new ArrayList<>();
        Map<String, String> finalState = new TreeMap<>(); // key -> content, for keys that exist at the end
        Map<String, Integer> version = new TreeMap<>();
        for (int i = 0; i < events; i++) {
            String key = "conv/d" + (i % 7 == 0 ? 0 : rnd.nextInt(10)) + "/k" + rnd.nextInt(keys) + ".txt";
            String sequencer = String.format("0062A8%010X", 1000 + i);
            boolean delete = rnd.nextInt(4) == 0;
            if (delete) {
                finalState.remove(key);
                records.add(MirrorHarness.removed(key, sequencer));
            } else {
                int v = version.merge(key, 1, Integer::sum);
                String content = key + " version " + v + " " + "x".repeat(rnd.nextInt(200));
                finalState.put(key, content);
                records.add(MirrorHarness.created(key, content.length(), sequencer));
            }
        }
        // duplicates, then a shuffle
        List<String> deliveries = new ArrayList<>(records);
        for (int i = 0; i < events / 4; i++) {
            deliveries.add(records.get(rnd.nextInt(records.size())));
        }
        Collections.shuffle(deliveries, rnd);

        // the bucket holds the final state: a GET of an overwritten key returns its latest version, as on S3
        finalState.forEach(h::put);
        String queue = h.queue("converge", 5, null);
        String url = h.url(queue);
        List<SendMessageBatchRequestEntry> batch = new ArrayList<>();
        int messages = 0;
        for (int i = 0; i < deliveries.size();) {
            int n = Math.min(1 + rnd.nextInt(4), deliveries.size() - i);
            String body = MirrorHarness.message(deliveries.subList(i, i + n).toArray(String[]::new));
            i += n;
            batch.add(SendMessageBatchRequestEntry.builder().id("m" + messages++).messageBody(body).build());
            if (batch.size() == 10 || i == deliveries.size()) {
                List<SendMessageBatchRequestEntry> b = List.copyOf(batch);
                assertThat(h.q.sendMessageBatch(r -> r.queueUrl(url).entries(b)).failed()).isEmpty();
                batch.clear();
            }
        }
        Path dir = tmp.resolve("srv");
        Files.createDirectories(dir.resolve("d3"));
        Files.writeString(dir.resolve("d3/k1000.txt"), "a local file no event touches"); // left alone
        Path config = MirrorHarness.config(tmp, "{\"queue\": \"" + queue + "\", \"sync\": {\"conv/\": \"" + dir
                + "\"}}");
        Path work = MirrorHarness.workDir(tmp);
        long start = System.nanoTime();
        MirrorHarness.Run run = h.runUntilDone(work, Map.of("MIRROR_CONCURRENT_CONSUMERS", "4",
                "MIRROR_VISIBILITY_TIMEOUT", "5", "MIRROR_STATE_DIR", tmp.resolve("state").toString()),
                Duration.ofSeconds(120), queue, messages, "mirror", "--config", config.toString());
        System.out.printf("%d events, %d deliveries in %d messages applied in %d ms%n", events, deliveries.size(),
                messages, (System.nanoTime() - start) / 1_000_000);
        assertThat(run.code()).isZero();
        assertThat(h.pending(queue)).isZero();

        Map<String, String> bucket = new TreeMap<>();
        for (S3Object o : h.s3c.listObjectsV2Paginator(r -> r.bucket(MirrorHarness.BUCKET).prefix("conv/"))
                .contents()) {
            bucket.put(o.key().substring("conv/".length()),
                    h.s3c.getObjectAsBytes(r -> r.bucket(MirrorHarness.BUCKET).key(o.key())).asUtf8String());
        }
        assertThat(bucket).hasSize(finalState.size());
        Map<String, String> local = MirrorHarness.tree(dir);
        assertThat(local.remove("d3/k1000.txt")).isEqualTo("a local file no event touches");
        assertThat(local).isEqualTo(bucket);
        try (Stream<Path> s = Files.walk(dir)) {
            assertThat(s.map(p -> p.getFileName().toString())).noneMatch(n -> n.endsWith(".mirror-part"));
        }
        java.util.regex.Matcher totals = java.util.regex.Pattern.compile("mirror: stopped; since the start: (.*)").matcher(run.log());
        assertThat(totals.find()).isTrue();
        System.out.println("counters: " + totals.group(1));
        // every delivery counted once: applied, skipped as stale, or gone (deleted since); none failed
        Map<String, Long> counted = new TreeMap<>();
        for (String kv : totals.group(1).split(", ")) {
            counted.put(kv.substring(0, kv.indexOf('=')), Long.parseLong(kv.substring(kv.indexOf('=') + 1)));
        }
        assertThat(counted.get("created") + counted.get("removed") + counted.get("stale") + counted.get("gone"))
                .isEqualTo(deliveries.size());
        assertThat(counted.get("failed")).isZero();
    }
}
