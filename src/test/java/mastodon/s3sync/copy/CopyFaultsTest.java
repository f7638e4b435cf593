package mastodon.s3sync.copy;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import mastodon.s3sync.InProcessRunner;
import mastodon.s3sync.testing.FaultProxy.Fault;
import mastodon.s3sync.testing.FaultProxy.Seen;
import mastodon.s3sync.testing.FaultProxy;
import mastodon.s3sync.testing.MastodonFixture;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The copy through an HTTP proxy that injects faults between the tool and one store (the other store's proxy only
 * counts): 503 SlowDown, 500, connection resets in the middle of a body, bodies cut short under their full
 * Content-Length, latency. Every object ends byte-identical (SHA-256 of every object, one larger than a part), and
 * every retry is paid for by an injected fault.
 */
@Timeout(600)
@CopyServers
class CopyFaultsTest {

    private static final int PART = 5 * 1024 * 1024;
    private static final int RETRIES = 10;
    private static CopyEnvironment env;

    @BeforeAll
    static void servers(CopyEnvironment shared) throws Exception {
        env = shared;
    }

    static List<Arguments> faults() {
        List<Arguments> a = new ArrayList<>();
        for (String side : List.of("source", "target")) {
            for (Fault f : Fault.values()) {
                a.add(Arguments.of(side, f));
            }
        }
        return a;
    }

    /** A world with a proxy in front of each store, a few hundred objects of 40 KB and one of 6 MiB (2 parts). */
    private record Setup(CopyEnvironment.World w, FaultProxy source, FaultProxy target,
                         Map<String, byte[]> objects) {
    }

    private static Setup setup(Path dir, long seed) throws Exception {
        CopyEnvironment.World w = env.fresh(dir);
        Map<String, byte[]> objects = new java.util.LinkedHashMap<>();
        try (S3Client s3 = env.source.client()) {
            for (MastodonFixture.SourceObject o : w.fixture.generate(12, s3, w.sourceBucket, "", 40_000, seed)) {
                objects.put(o.key(), o.bytes());
            }
            // one object larger than a part: a multipart upload of two parts
            String bigKey = objects.keySet().stream().filter(k -> k.startsWith("media_attachments/files/"))
                    .findFirst().orElseThrow();
            byte[] big = new byte[PART + 1024 * 1024];
            new Random(seed).nextBytes(big);
            s3.putObject(b -> b.bucket(w.sourceBucket).key(bigKey), RequestBody.fromBytes(big));
            objects.put(bigKey, big);
        }
        FaultProxy source = new FaultProxy(env.source.port(), seed);
        FaultProxy target = new FaultProxy(env.target.port(), seed + 1);
        w.env.put("S3_ENDPOINT", source.endpoint());
        w.env.put("TARGET_S3_ENDPOINT", target.endpoint());
        w.env.put("COPY_PART_SIZE", Integer.toString(PART));
        w.env.put("COPY_RETRIES", Integer.toString(RETRIES));
        w.env.put("COPY_RETRY_DELAY", "10");
        w.env.put("COPY_PAGE_SIZE", "4"); // several listings per table, so listings meet faults too
        return new Setup(w, source, target, objects);
    }

    @ParameterizedTest(name = "{1} at the {0}")
    @MethodSource("faults")
    void everyObjectEndsByteIdenticalAndEveryRetryIsPaidForByAFault(String side, Fault fault, @TempDir Path dir)
            throws Exception {
        Setup s = setup(dir, 11);
        try (FaultProxy sp = s.source(); FaultProxy tp = s.target()) {
            FaultProxy faulty = side.equals("source") ? sp : tp;
            faulty.latencyMillis = 100;
            // one in ten requests: the 2-part object takes five requests at the target (HEAD, create, two parts,
            // complete) and a failed one repeats the whole transfer, so at 1 in 4 it failed all 11 attempts in
            // about 1 run of 20 (0.76^11); at 1 in 10, 1 in 18,000, with a few dozen faults injected per run
            faulty.rate(fault, 0.10);
            InProcessRunner.Result r = s.w().run("copy");
            assertThat(r.code()).as(r.out() + r.err()).isZero();

            assertThat(faulty.injected(fault)).as("faults injected").isPositive();
            assertTargetHoldsExactly(s);

            int objects = s.objects().size();
            int injected = sp.injectedTotal() + tp.injectedTotal() - sp.injected(Fault.LATENCY)
                    - tp.injected(Fault.LATENCY);
            // each transfer attempt is one GET of the object at the source (an SDK retry is one more GET too)
            Map<String, Long> gets = count(sp.seen(), x -> x.method().equals("GET") && x.onObject());
            long extraGets = gets.values().stream().mapToLong(Long::longValue).sum() - objects;
            System.out.printf("%s at the %s: %d objects, %d faults injected (%s), %d extra GETs, %d requests%n",
                    fault, side, objects, faulty.injected(fault), fault, extraGets, sp.seen().size()
                            + tp.seen().size());
            assertThat(gets.keySet()).containsExactlyInAnyOrderElementsOf(s.objects().keySet());
            assertThat(extraGets).as("retries beyond the injected faults").isBetween(0L, (long) injected);
            assertThat(gets.values()).allSatisfy(n -> assertThat(n).isLessThanOrEqualTo(3L * (RETRIES + 1)));
            // each object was written once, plus at most once per fault that hid a write's success
            Map<String, Long> writes = count(tp.seen(), Seen::completedWrite);
            assertThat(writes.keySet()).containsExactlyInAnyOrderElementsOf(s.objects().keySet());
            long extraWrites = writes.values().stream().mapToLong(Long::longValue).sum() - objects;
            assertThat(extraWrites).isBetween(0L, (long) injected);
            if (fault == Fault.LATENCY) {
                assertThat(extraGets).as("latency alone causes no retry").isZero();
            }
            assertNoUploadsLeft(s.w());
        }
    }

    /**
     * A GET whose body ends early (a clean close short of its Content-Length) never becomes a short object: not for a
     * single PUT, not for a multipart upload whose first part already went through; those keys end failed (exit 1),
     * absent from the target, with no multipart upload left, and everything else is copied.
     */
    @Test
    void aTruncatedGetBodyNeverBecomesAShortObject(@TempDir Path dir) throws Exception {
        Setup s = setup(dir, 12);
        String bigKey = s.objects().entrySet().stream().filter(e -> e.getValue().length > PART)
                .map(Map.Entry::getKey).findFirst().orElseThrow();
        String smallKey = s.objects().keySet().stream().filter(k -> k.startsWith("accounts/avatars/"))
                .findFirst().orElseThrow();
        try (FaultProxy sp = s.source(); FaultProxy tp = s.target()) {
            sp.cutAt = 0.9; // the big object's first part (5 of 6 MiB) is read whole, the second part is cut
            sp.only(q -> q.method().equals("GET") && (q.key().equals(bigKey) || q.key().equals(smallKey)));
            sp.rate(Fault.TRUNCATED_BODY, 1.0);
            InProcessRunner.Result r = s.w().run("copy");
            assertThat(r.code()).as(r.out()).isEqualTo(1);
            assertThat(sp.injected(Fault.TRUNCATED_BODY)).isGreaterThanOrEqualTo(2 * (RETRIES + 1));
            // the first part of the big object did reach the target before the cut
            assertThat(tp.seen()).anyMatch(x -> x.key().equals(bigKey) && x.query().contains("partNumber=1")
                    && x.status() == 200);

            JsonNode report = new ObjectMapper().readTree(s.w().report("copy").toFile());
            List<String> failed = new ArrayList<>();
            report.get("failed").forEach(f -> failed.add(f.get("key").asText()));
            assertThat(failed).containsExactlyInAnyOrder(bigKey, smallKey);
            assertThat(tp.seen()).noneMatch(x -> (x.key().equals(bigKey) || x.key().equals(smallKey))
                    && x.completedWrite());
            try (S3Client t = env.target.client()) {
                for (String k : List.of(bigKey, smallKey)) {
                    assertThat(t.listObjectsV2(b -> b.bucket(s.w().targetBucket).prefix(k)).contents())
                            .as(k + " must not exist in the target").isEmpty();
                }
                for (Map.Entry<String, byte[]> e : s.objects().entrySet()) {
                    if (!e.getKey().equals(bigKey) && !e.getKey().equals(smallKey)) {
                        assertSameBytes(e.getKey(), t.getObjectAsBytes(b -> b.bucket(s.w().targetBucket)
                                .key(e.getKey())).asByteArray(), e.getValue());
                    }
                }
            }
            assertNoUploadsLeft(s.w());
        }
    }

    /**
     * The abort of an upload whose part gave up can fail too (the store errs): the upload would stay, invisible and
     * billed. When the pass ends, nothing is in flight, and the uploads left under the copied tables' keys are aborted.
     */
    @Test
    void uploadsWhoseAbortFailedAreAbortedWhenThePassEnds(@TempDir Path dir) throws Exception {
        Setup s = setup(dir, 13);
        String bigKey = bigKey(s);
        s.w().env.put("COPY_RETRIES", "1");
        AtomicInteger abortFailures = new AtomicInteger();
        try (FaultProxy sp = s.source(); FaultProxy tp = s.target()) {
            // the big object's second part fails on both its attempts, and so does the first abort of its upload
            tp.only(q -> q.key().equals(bigKey) && (q.query().contains("partNumber=2") || q.method().equals("DELETE")
                    && q.query().contains("uploadId=") && abortFailures.getAndIncrement() < 1));
            tp.rate(Fault.SLOW_DOWN, 1.0);
            InProcessRunner.Result r = s.w().run("copy");
            assertThat(r.code()).as(r.out()).isEqualTo(1);
            // one upload: the part was retried in it, the object not started over
            assertThat(tp.seen()).filteredOn(x -> x.key().equals(bigKey) && x.method().equals("POST")
                    && x.query().contains("uploads")).hasSize(1);
            assertThat(tp.seen()).filteredOn(x -> x.method().equals("DELETE") && x.status() == 503).hasSize(1);
            assertThat(tp.seen()).filteredOn(x -> x.method().equals("DELETE") && x.status() == 204).hasSize(1);
            JsonNode report = new ObjectMapper().readTree(s.w().report("copy").toFile());
            List<String> failed = new ArrayList<>();
            report.get("failed").forEach(f -> failed.add(f.get("key").asText()));
            assertThat(failed).containsExactly(bigKey);
            assertNoUploadsLeft(s.w());
        }
    }

    /**
     * A run that ends with uploads it could not abort (here: the store refuses every abort) leaves them; the next run
     * aborts them before it copies the table again.
     */
    @Test
    void uploadsAnEarlierRunLeftAreAbortedBeforeTheNextPass(@TempDir Path dir) throws Exception {
        Setup s = setup(dir, 14);
        String bigKey = bigKey(s);
        s.w().env.put("COPY_RETRIES", "2");
        try (FaultProxy sp = s.source(); FaultProxy tp = s.target()) {
            tp.only(q -> q.key().equals(bigKey) && (q.query().contains("partNumber=2")
                    || q.method().equals("DELETE") && q.query().contains("uploadId=")));
            tp.rate(Fault.SLOW_DOWN, 1.0);
            InProcessRunner.Result first = s.w().run("copy");
            assertThat(first.code()).as(first.out()).isEqualTo(1);
            try (S3Client t = env.target.client()) {
                // one upload: its part was retried there (3 attempts), then it gave up; the object is not started over
                assertThat(t.listMultipartUploads(b -> b.bucket(s.w().targetBucket)).uploads())
                        .as("uploads the first run could not abort").hasSize(1)
                        .allSatisfy(u -> assertThat(u.key()).isEqualTo(bigKey));
            }

            tp.clearFaults();
            InProcessRunner.Result second = s.w().run("copy");
            assertThat(second.code()).as(second.out()).isZero();
            assertTargetHoldsExactly(s);
            assertNoUploadsLeft(s.w());
        }
    }

    private static String bigKey(Setup s) {
        return s.objects().entrySet().stream().filter(e -> e.getValue().length > PART).map(Map.Entry::getKey)
                .findFirst().orElseThrow();
    }

    private static void assertTargetHoldsExactly(Setup s) throws Exception {
        try (S3Client t = env.target.client()) {
            List<String> keys = new ArrayList<>();
            t.listObjectsV2Paginator(b -> b.bucket(s.w().targetBucket)).contents().forEach(o -> keys.add(o.key()));
            assertThat(keys).containsExactlyInAnyOrderElementsOf(s.objects().keySet());
            for (Map.Entry<String, byte[]> e : s.objects().entrySet()) {
                byte[] got = t.getObjectAsBytes(b -> b.bucket(s.w().targetBucket).key(e.getKey())).asByteArray();
                assertSameBytes(e.getKey(), got, e.getValue());
            }
        }
    }

    static void assertNoUploadsLeft(CopyEnvironment.World w) {
        try (S3Client t = env.target.client()) {
            assertThat(t.listMultipartUploads(b -> b.bucket(w.targetBucket)).uploads()).isEmpty();
        }
    }

    private static Map<String, Long> count(List<Seen> seen, java.util.function.Predicate<Seen> which) {
        return seen.stream().filter(which).collect(Collectors.groupingBy(Seen::key, Collectors.counting()));
    }

    /**
     * The object's bytes are the expected ones; a failure names the key, both lengths and the first differing offset.
     * (A byte comparison, not a digest of each side: SHA-256 under the test JVM's quick compiler was 2% of the suite.)
     */
    static void assertSameBytes(String key, byte[] got, byte[] expected) {
        assertThat(Arrays.mismatch(got, expected)).as("%s: first differing byte (%d bytes, %d expected; -1 when identical)",
                key, got.length, expected.length).isEqualTo(-1);
    }
}
