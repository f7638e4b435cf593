package mastodon.s3sync.copy;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import mastodon.s3sync.testing.ChildJvm;
import mastodon.s3sync.testing.FaultProxy.Fault;
import mastodon.s3sync.testing.FaultProxy.Seen;
import mastodon.s3sync.testing.FaultProxy;
import mastodon.s3sync.testing.MastodonFixture;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * {@code copy} in a child JVM, killed with SIGKILL at three random moments of a run over about a thousand objects
 * (four of them larger than a part, so multipart uploads are cut too) and rerun each time: the target ends complete
 * and byte-identical, no multipart upload is left, and the objects written twice stay within the in-flight window
 * of each kill.
 */
@Timeout(900) // about 40 s on an idle machine, several minutes on a crowded one
@CopyServers
class CopyCrashTest {

    private static final int PART = 5 * 1024 * 1024;
    private static final int CONCURRENCY = 4;
    /** rows per table: about 6.5 objects per row over the four tables (160: about 1,050 objects) */
    private static final int ROWS = Integer.getInteger("crash.rows", 160);

    private final List<Process> children = new ArrayList<>();

    @AfterEach
    void killChildren() throws InterruptedException {
        for (Process p : children) {
            p.destroyForcibly();
            p.waitFor(20, TimeUnit.SECONDS);
        }
    }

    private Process start(CopyEnvironment.World w, Map<String, String> env, Path log) throws Exception {
        Process p = ChildJvm.start(w.workDir, env, log, "-Xmx256m", "copy");
        children.add(p);
        return p;
    }

    @Test
    void killedThreeTimesAndRerunTheTargetEndsCompleteAndByteIdentical(@TempDir Path dir, CopyEnvironment env) throws Exception {
        long seed = Long.getLong("crash.seed", System.nanoTime());
        System.out.println("CopyCrashTest seed " + seed + " (rerun with -Dcrash.seed=" + seed + ")");
        Random rnd = new Random(seed);
        CopyEnvironment.World w = env.fresh(dir);
        Map<String, byte[]> objects = new HashMap<>();
        try (S3Client s3 = env.source.client()) {
            List<MastodonFixture.SourceObject> generated = w.fixture.generate(ROWS, s3, w.sourceBucket, "", 1500,
                    seed);
            for (MastodonFixture.SourceObject o : generated) {
                objects.put(o.key(), o.bytes());
            }
            // four objects larger than a part, one in each table, among its first rows
            for (String table : List.of("media_attachments/", "accounts/", "custom_emojis/", "preview_cards/")) {
                List<String> ofTable = generated.stream().map(MastodonFixture.SourceObject::key)
                        .filter(k -> k.startsWith(table)).toList();
                String k = ofTable.get(10 + rnd.nextInt(20));
                byte[] big = new byte[PART + 512 * 1024];
                rnd.nextBytes(big);
                s3.putObject(b -> b.bucket(w.sourceBucket).key(k), RequestBody.fromBytes(big));
                objects.put(k, big);
            }
        }
        System.out.println("CopyCrashTest: " + objects.size() + " objects");

        try (FaultProxy target = new FaultProxy(env.target.port(), seed)) {
            Map<String, String> childEnv = new HashMap<>(w.env);
            childEnv.put("TARGET_S3_ENDPOINT", target.endpoint());
            childEnv.put("COPY_PART_SIZE", Integer.toString(PART));
            childEnv.put("COPY_CONCURRENCY", Integer.toString(CONCURRENCY));
            childEnv.put("COPY_RETRY_DELAY", "50");
            // parts go slowly, so that a kill can land in the middle of a multipart upload
            target.latencyMillis = 1500;
            target.only(q -> q.query().contains("partNumber="));
            target.rate(Fault.LATENCY, 1.0);

            List<Integer> writtenAtKill = new ArrayList<>();
            for (int kill = 1; kill <= 3; kill++) {
                Path log = dir.resolve("child" + kill + ".log");
                Process p = start(w, childEnv, log);
                int before = writes(target);
                BooleanSupplier moment;
                if (kill == 1) {
                    // the first kill: at a random moment while a part is being uploaded
                    moment = () -> partsInFlight(target) > 0;
                } else {
                    int after = 30 + rnd.nextInt(Math.max(1, (objects.size() - writes(target)) / 4));
                    moment = () -> writes(target) - before >= after;
                }
                await(p, log, moment);
                if (kill == 1) {
                    Thread.sleep(rnd.nextInt(1000)); // a part takes at least 1.5 s
                }
                p.destroyForcibly(); // SIGKILL
                assertThat(p.waitFor(20, TimeUnit.SECONDS)).isTrue();
                writtenAtKill.add(writes(target) - before);
                System.out.println("CopyCrashTest: kill " + kill + " after " + writtenAtKill.get(kill - 1)
                        + " objects written in that run, " + partsInFlight(target) + " part(s) in flight");
                if (kill == 1) {
                    try (S3Client t = env.target.client()) {
                        assertThat(t.listMultipartUploads(b -> b.bucket(w.targetBucket)).uploads())
                                .as("the kill left an unfinished multipart upload").isNotEmpty();
                    }
                }
            }

            target.clearFaults();
            Path log = dir.resolve("child-final.log");
            Process last = start(w, childEnv, log);
            assertThat(last.waitFor(300, TimeUnit.SECONDS)).as("the last run ends").isTrue();
            String out = Files.readString(log);
            assertThat(last.exitValue()).as(out).isZero();

            // an object written twice is one whose write the killed run had in flight (its success unseen)
            Map<String, Long> perKey = target.seen().stream().filter(Seen::completedWrite)
                    .collect(Collectors.groupingBy(Seen::key, Collectors.counting()));
            long duplicates = perKey.values().stream().mapToLong(n -> n - 1).sum();
            System.out.println("CopyCrashTest: " + duplicates + " object(s) written twice over 3 kills");
            assertThat(perKey.keySet()).containsExactlyInAnyOrderElementsOf(objects.keySet());
            assertThat(duplicates).as("objects written twice").isLessThanOrEqualTo(3L * CONCURRENCY);
        }

        // complete and byte-identical, no unfinished upload
        try (S3Client t = env.target.client()) {
            List<String> keys = new ArrayList<>();
            t.listObjectsV2Paginator(b -> b.bucket(w.targetBucket)).contents().forEach(o -> keys.add(o.key()));
            assertThat(keys).containsExactlyInAnyOrderElementsOf(objects.keySet());
            for (Map.Entry<String, byte[]> e : objects.entrySet()) {
                byte[] got = t.getObjectAsBytes(b -> b.bucket(w.targetBucket).key(e.getKey())).asByteArray();
                CopyFaultsTest.assertSameBytes(e.getKey(), got, e.getValue());
            }
            assertThat(t.listMultipartUploads(b -> b.bucket(w.targetBucket)).uploads()).isEmpty();
        }
    }

    /** Objects written in the target so far (successful PUTs and multipart completions), duplicates included. */
    private static int writes(FaultProxy target) {
        return (int) target.seen().stream().filter(Seen::completedWrite).count();
    }

    private static long partsInFlight(FaultProxy target) {
        long started = target.started().stream().filter(q -> q.query().contains("partNumber=")).count();
        long ended = target.seen().stream().filter(s -> s.query().contains("partNumber=")).count();
        return started - ended;
    }

    private static void await(Process p, Path log, BooleanSupplier moment) throws Exception {
        Instant end = Instant.now().plus(Duration.ofSeconds(240));
        while (!moment.getAsBoolean()) {
            if (!p.isAlive() || Instant.now().isAfter(end)) {
                throw new AssertionError("the child " + (p.isAlive() ? "took too long" : "ended (exit "
                        + p.exitValue() + ")") + " before the kill moment; its log:\n" + Files.readString(log));
            }
            Thread.sleep(5);
        }
    }
}
