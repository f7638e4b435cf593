package mastodon.s3sync.mirror;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.core.config.Configurator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import mastodon.s3sync.Application;
import mastodon.s3sync.InProcessRunner;
import mastodon.s3sync.testing.Await;
import mastodon.s3sync.testing.LogCapture;

/**
 * The corpus {@code src/test/resources/mirror/hostile-messages.jsonl} (one hostile or valid queue message per line,
 * with the counters it must move) sent through the real mirror: ElasticMQ with a dead-letter queue, s3proxy holding
 * an object under every key a buggy mirror would write, symbolic links planted in the mapped directories (before
 * the start and while it runs) pointing outside them. Nothing outside the mapped directories may change, the queue
 * drains, only the documented failure reaches the dead-letter queue, and every message or record is counted and
 * logged exactly once.
 */
@Timeout(120)
@MirrorServers
class MirrorHostileInputTest {

    /** One corpus entry, placeholders expanded. */
    record Item(String id, String what, Map<String, Integer> expect, int phase, boolean dlq, String body,
                Map<String, String> objects) {
    }

    private static final List<String> COUNTERS = List.of("created", "removed", "stale", "gone", "ignored", "rejected",
            "unmapped", "failed", "malformed", "test-events");

    @TempDir
    Path tmp;

    static List<Item> corpus(Path outside) throws IOException {
        ObjectMapper json = new ObjectMapper();
        List<Item> items = new ArrayList<>();
        try (InputStream in = MirrorHostileInputTest.class.getResourceAsStream("/mirror/hostile-messages.jsonl")) {
            for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                if (line.isBlank()) {
                    continue;
                }
                JsonNode e = json.readTree(line);
                String fill = e.has("fill") ? e.get("fill").get("unit").asText().repeat(e.get("fill").get("count").asInt())
                        : "";
                String body = e.has("body") ? e.get("body").asText() : json.writeValueAsString(e.get("json"));
                Map<String, Integer> expect = new LinkedHashMap<>();
                e.get("expect").fields().forEachRemaining(f -> expect.put(f.getKey(), f.getValue().asInt()));
                Map<String, String> objects = new LinkedHashMap<>();
                if (e.has("objects")) {
                    e.get("objects").fields().forEachRemaining(f -> objects.put(
                            expand(f.getKey(), fill, outside), f.getValue().asText()));
                }
                items.add(new Item(e.get("id").asText(), e.get("what").asText(), expect, e.path("phase").asInt(1),
                        e.path("dlq").asBoolean(false), expand(body, fill, outside), objects));
            }
        }
        return items;
    }

    private static String expand(String s, String fill, Path outside) {
        return s.replace("@FILL@", fill).replace("@OUTSIDE@", outside.toString());
    }

    @Test
    void corpusLeavesEverythingOutsideTheMappedDirectoriesAloneAndCountsEachOnce(MirrorHarness h) throws Exception {
        Path srv = tmp.resolve("srv");
        Path a = Files.createDirectories(srv.resolve("a"));
        Path b = Files.createDirectories(srv.resolve("b"));
        Path outside = Files.createDirectories(tmp.resolve("outside"));
        List<Item> items = corpus(outside);
        assertThat(items).hasSizeGreaterThanOrEqualTo(50);
        assertThat(items.stream().map(Item::id).distinct()).hasSize(items.size());

        // what must not change: files outside the mapped directories, among them the targets of the planted links
        Files.createDirectories(outside.resolve("dir"));
        Files.writeString(outside.resolve("dir/victim.txt"), "victim");
        Files.writeString(outside.resolve("secret.txt"), "secret");
        Files.writeString(outside.resolve("secret2.txt"), "secret 2");
        Files.writeString(outside.resolve("temp-target.txt"), "temp target");
        Files.writeString(srv.resolve("victim-del.txt"), "next to the mapped directories");
        Files.createSymbolicLink(a.resolve("linkdir"), outside.resolve("dir"));
        Files.createSymbolicLink(a.resolve("loop"), a.resolve("loop"));
        Files.createSymbolicLink(a.resolve("linkfile"), outside.resolve("secret.txt"));
        Files.createSymbolicLink(a.resolve("linkfile2"), outside.resolve("secret2.txt"));
        Files.createSymbolicLink(b.resolve("up"), Path.of("../../outside"));
        Files.createDirectories(a.resolve("keep"));
        Files.writeString(a.resolve("keep/existing.txt"), "stays");
        Files.writeString(a.resolve("blocker"), "a file where the mirror needs a directory");
        Map<String, String> before = snapshot(tmp, List.of(a, b, tmp.resolve("state"), tmp.resolve("work"), tmp.resolve("mirror.json")));

        List<String> unstorable = new ArrayList<>();
        for (Item i : items) {
            i.objects().forEach((k, v) -> {
                try {
                    h.put(k, v);
                } catch (software.amazon.awssdk.services.s3.model.S3Exception e) {
                    unstorable.add(k); // s3proxy refuses some traversal keys (the mirror must refuse them anyway)
                }
            });
        }
        System.out.println("keys s3proxy does not store: " + unstorable);
        assertThat(unstorable).doesNotContain("test-folder/../escape1.txt", "test-folder/linkdir/new.txt");
        // long enough for Camel to extend the visibility of a message being applied (it does not below 2 s)
        String queue = h.queue("hostile", 4, 2);
        Path config = MirrorHarness.config(tmp, "{\"queue\": \"" + queue + "\", \"bucket\": \"media\", \"sync\": "
                + "{\"test-folder/\": \"" + a + "\", \"test-folder/folder-01/\": \"" + b + "\"}}");
        Path work = MirrorHarness.workDir(tmp);
        Map<String, String> sent = new HashMap<>(); // message id -> corpus id
        Map<String, String> env = h.env(Map.of("MIRROR_STATE_DIR", tmp.resolve("state").toString(),
                "MIRROR_VISIBILITY_TIMEOUT", "4", "MIRROR_CONCURRENT_CONSUMERS", "3"));
        InProcessRunner.Result result;
        String log;
        Configurator.setLevel("mastodon.s3sync.mirror", Level.DEBUG); // unmapped keys are DEBUG lines
        try (LogCapture capture = new LogCapture("mastodon.s3sync")) {
            InProcessRunner.Running app = new InProcessRunner(env, work).start("mirror", "--config",
                    config.toString());
            app.context(Duration.ofSeconds(60));
            try {
                String url = h.url(queue);
                for (Item i : items) {
                    if (i.phase() == 1) {
                        sent.put(h.q.sendMessage(r -> r.queueUrl(url).messageBody(i.body())).messageId(), i.id());
                    }
                }
                // drained: every message deleted, or moved to the dead-letter queue after its last receive
                Await.until(Duration.ofSeconds(60), () -> h.pending(queue) == 0, "the queue to drain");
                // planted while the mirror runs: a link under the temporary name of a coming write, a link to a
                // directory outside
                Files.createSymbolicLink(a.resolve(".planted.txt.mirror-part"), outside.resolve("temp-target.txt"));
                Files.createSymbolicLink(a.resolve("linkdir2"), outside.resolve("dir"));
                for (Item i : items) {
                    if (i.phase() == 2) {
                        sent.put(h.q.sendMessage(r -> r.queueUrl(url).messageBody(i.body())).messageId(), i.id());
                    }
                }
                Await.until(Duration.ofSeconds(30), () -> h.pending(queue) == 0, "the queue to drain again");
            } finally {
                app.stop(); // as SIGTERM: the in-flight exchanges finish, then the totals are logged
            }
            result = app.await(Duration.ofSeconds(30));
            log = capture.text();
        } finally {
            Configurator.setLevel("mastodon.s3sync.mirror", Level.INFO);
        }
        assertThat(result.code()).isEqualTo(Application.OK);

        // 1. nothing outside the mapped directories changed; the planted links were not followed
        assertThat(snapshot(tmp, List.of(a, b, tmp.resolve("state"), tmp.resolve("work"), tmp.resolve("mirror.json")))).isEqualTo(before);
        Map<String, String> inA = snapshot(a, List.of());
        assertThat(inA).containsExactlyInAnyOrderEntriesOf(expectedA(a, outside));
        assertThat(snapshot(b, List.of())).containsOnly(Map.entry("ok2.txt", "file ok2"),
                Map.entry("up", "link ../../outside"));

        // 2. the queue drained; the dead-letter queue holds only the documented failure
        assertThat(h.pending(queue)).isZero();
        String dlq = h.url(queue + "-dlq");
        List<String> dead = new ArrayList<>();
        h.q.receiveMessage(r -> r.queueUrl(dlq).maxNumberOfMessages(10).waitTimeSeconds(1)).messages()
                .forEach(m -> dead.add(m.body()));
        assertThat(dead).containsExactlyInAnyOrderElementsOf(items.stream().filter(Item::dlq).map(Item::body)
                .toList());

        // 3. each message or record counted once: the totals logged at the stop equal the corpus' expectations
        Map<String, Long> expected = new TreeMap<>();
        COUNTERS.forEach(c -> expected.put(c, 0L));
        for (Item i : items) {
            i.expect().forEach((k, v) -> expected.merge(k, (long) v, Long::sum));
        }
        assertThat(expected.keySet()).containsExactlyInAnyOrderElementsOf(COUNTERS);
        Matcher totals = Pattern.compile("mirror: stopped; since the start: (.*)").matcher(log);
        assertThat(totals.find()).as(log).isTrue();
        Map<String, Long> counted = new TreeMap<>();
        for (String kv : totals.group(1).split(", ")) {
            String[] p = kv.split("=");
            if (COUNTERS.contains(p[0])) {
                counted.put(p[0], Long.parseLong(p[1].strip()));
            }
        }
        assertThat(counted).isEqualTo(expected);

        // 4. ... and logged once: one outcome line per count; a message that is not a notification names its id
        long outcomeLines = log.lines().filter(l -> OUTCOME.matcher(l).find()).count();
        assertThat(outcomeLines).as(log).isEqualTo(expected.values().stream().mapToLong(Long::longValue).sum());
        for (Map.Entry<String, String> m : sent.entrySet()) {
            Item i = items.stream().filter(x -> x.id().equals(m.getValue())).findFirst().orElseThrow();
            if (i.expect().containsKey("malformed")) {
                assertThat(log.split(Pattern.quote(m.getKey()), -1)).as(i.id()).hasSize(2);
            }
        }
        // data from outside never writes control characters into the log
        assertThat(log.replace("\n", "")).doesNotContain("\u001b", "\u0000", "\r");
    }

    private static final Pattern OUTCOME = Pattern.compile("^(DEBUG|INFO|WARN) mirror: (wrote |deleted |skipped |REJECTED "
            + "|ignored |unmapped |FAILED |message .* ignored and deleted|s3:TestEvent received|.* no longer exists in "
            + "the bucket)");

    private static Map<String, String> expectedA(Path a, Path outside) {
        Map<String, String> m = new TreeMap<>();
        m.put("ok1.txt", "file ok1");
        m.put("ok3.txt", "file ok3");
        m.put("typed.txt", "file typed");
        m.put("%2e%2e%2fdouble.txt", "file double");
        m.put("c".repeat(242), "file longest");
        m.put("caf\u00e9.txt", "file nfc");
        m.put("file.txt", "file plain");
        m.put("\ufb01le.txt", "file ligature");
        m.put("linkfile", "file replaces the link");
        m.put("planted.txt", "file planted");
        m.put("keep", "dir");
        m.put("keep/existing.txt", "file stays");
        m.put("blocker", "file a file where the mirror needs a directory");
        m.put("linkdir", "link " + outside.resolve("dir"));
        m.put("linkdir2", "link " + outside.resolve("dir"));
        m.put("loop", "link " + a.resolve("loop"));
        return m;
    }

    /** Every entry under {@code root} (links not followed) except under {@code skip}: type, content or target. */
    static Map<String, String> snapshot(Path root, List<Path> skip) throws IOException {
        Map<String, String> m = new TreeMap<>();
        try (Stream<Path> s = Files.walk(root)) {
            for (Iterator<Path> it = s.iterator(); it.hasNext();) {
                Path p = it.next();
                if (p.equals(root) || skip.stream().anyMatch(p::startsWith)) {
                    continue;
                }
                BasicFileAttributes at = Files.readAttributes(p, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
                String what = at.isSymbolicLink() ? "link " + Files.readSymbolicLink(p)
                        : at.isDirectory() ? "dir"
                        : "file " + Files.readString(p, StandardCharsets.UTF_8);
                m.put(root.relativize(p).toString(), what);
            }
        }
        return m;
    }
}
