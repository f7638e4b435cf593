package mastodon.s3sync.copy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import mastodon.s3sync.InProcessRunner;
import mastodon.s3sync.testing.Await;
import mastodon.s3sync.testing.ChildJvm;
import mastodon.s3sync.testing.MastodonFixture;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;

/** The tool as a separate process: killed midway and rerun; a large object under a small heap. */
@Timeout(600)
@CopyServers
class CopyProcessTest {

    static CopyEnvironment servers;

    @BeforeAll
    static void start(CopyEnvironment shared) throws Exception {
        servers = shared;
    }

    static Process launch(CopyEnvironment.World w, String heap, Path log, String... args) throws IOException {
        return ChildJvm.start(w.workDir, w.env, log, heap, args);
    }

    @Test
    void aRunKilledMidwayResumesFromItsCheckpointAndCompletes(@TempDir Path dir) throws Exception {
        CopyEnvironment.World w = servers.fresh(dir);
        List<MastodonFixture.SourceObject> objects;
        try (S3Client s3 = servers.source.client()) {
            objects = w.fixture.generate(60, s3, w.sourceBucket, "", 2048, 42);
        }
        // slow enough to be killed in the middle: 20 object copies a second, small pages
        w.env.put("COPY_REQUESTS_PER_SECOND", "20");
        w.env.put("COPY_PAGE_SIZE", "10");
        w.env.put("COPY_CHECKPOINT_INTERVAL", "200");
        Path log = dir.resolve("first.log");
        Process p = launch(w, "-Xmx256m", log, "copy", "--only", "media_attachments,accounts");
        Path checkpoint = w.workDir.resolve("state/copy-media_attachments.checkpoint");
        // killed once a checkpoint is saved and objects are in the target (on a quiet machine the checkpoint was
        // once seen moving 1 s before the first object could be listed there), then a second later: mid-run
        try (S3Client s3 = servers.target.client()) {
            Await.until(Duration.ofSeconds(60), () -> Files.exists(checkpoint)
                    && !Files.readAllLines(checkpoint).get(0).equals("0")
                    && !CopyEndToEndTest.keys(s3, w.targetBucket).isEmpty(), "a checkpoint and objects in the target");
        }
        Thread.sleep(1000);
        p.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        System.out.println(Files.readString(log));
        long firstCheckpoint = Long.parseLong(Files.readAllLines(checkpoint).get(0));
        assertThat(firstCheckpoint).as("a checkpoint was written before the kill").isGreaterThan(0);
        int copiedBeforeKill;
        try (S3Client s3 = servers.target.client()) {
            copiedBeforeKill = CopyEndToEndTest.keys(s3, w.targetBucket).size();
        }
        long expected = objects.stream().filter(o -> o.key().startsWith("media_attachments")
                || o.key().startsWith("cache/media_attachments") || o.key().contains("accounts/")).count();
        assertThat(copiedBeforeKill).as("killed midway").isGreaterThan(0).isLessThan((int) expected);

        // rerun: continues from the checkpoint and completes
        w.env.remove("COPY_REQUESTS_PER_SECOND");
        InProcessRunner.Result r = w.run("copy", "--only", "media_attachments,accounts");
        assertThat(r.code()).isZero();
        // it resumed: rows up to the checkpoint were not looked at again
        var report = new com.fasterxml.jackson.databind.ObjectMapper().readTree(w.report("copy").toFile());
        long lookedAt = 0;
        for (var t : report.get("tables")) {
            lookedAt += t.get("copied").asLong() + t.get("skipped").asLong() + t.get("missing_at_source").asLong();
        }
        assertThat(lookedAt).isLessThan(expected);
        try (S3Client s3 = servers.target.client()) {
            for (MastodonFixture.SourceObject o : objects) {
                if (o.key().contains("media_attachments/") || o.key().contains("accounts/")) {
                    assertThat(s3.getObjectAsBytes(b -> b.bucket(w.targetBucket).key(o.key())).asByteArray())
                            .as(o.key()).isEqualTo(o.bytes());
                }
            }
            assertThat(CopyEndToEndTest.keys(s3, w.targetBucket)).hasSize((int) expected);
        }
        assertThat(w.run("verify", "--only", "media_attachments,accounts").code()).isZero();
    }

    /**
     * One run with a 128 MB heap: a 144 MB object (larger than the heap: streamed, never held) among seven 20 MB ones
     * (above the 16 MiB part size: multipart, 2 parts each), all eight in flight at once, 284 MB in all.
     */
    @Test
    void largeObjectsInFlightAtOnceFitA128MegabyteHeap(@TempDir Path dir) throws Exception {
        CopyEnvironment.World w = servers.fresh(dir);
        long bigSize = 144L * 1024 * 1024;
        long size = 20L * 1024 * 1024;
        String bigKey = "media_attachments/files/109/348/763/475/345/678/original/3562dcb3b25b8dd0.mp4";
        w.fixture.sql("INSERT INTO media_attachments (id, account_id, file_file_name, file_content_type, remote_url) "
                + "VALUES (109348763475345678, 1, '3562dcb3b25b8dd0.mp4', 'video/mp4', '')");
        try (S3Client s3 = servers.source.client()) {
            s3.putObject(r -> r.bucket(w.sourceBucket).key(bigKey).contentType("binary/octet-stream"),
                    RequestBody.fromContentProvider(() -> new PatternStream(bigSize), bigSize, "binary/octet-stream"));
            for (int i = 1; i <= 7; i++) {
                String name = String.format("%016x", i);
                w.fixture.sql("INSERT INTO media_attachments (id, account_id, file_file_name, file_content_type, "
                        + "remote_url) VALUES (?, 1, ?, 'audio/mpeg', '')", (long) i, name + ".mp3");
                String key = "media_attachments/files/000/000/00" + i + "/original/" + name + ".mp3";
                s3.putObject(r -> r.bucket(w.sourceBucket).key(key), RequestBody.fromContentProvider(
                        () -> new PatternStream(size), size, "binary/octet-stream"));
            }
        }
        w.env.put("COPY_CONCURRENCY", "8");
        // the video's small .png is missing at the source: reported, so still exit 0
        copyMediaWithSmallHeap(w, dir.resolve("large.log"));
        try (S3Client s3 = servers.target.client()) {
            assertThat(CopyEndToEndTest.keys(s3, w.targetBucket)).hasSize(8);
            for (String k : CopyEndToEndTest.keys(s3, w.targetBucket)) {
                assertThat(s3.headObject(r -> r.bucket(w.targetBucket).key(k)).contentLength())
                        .isEqualTo(k.equals(bigKey) ? bigSize : size);
            }
            HeadObjectResponse h = s3.headObject(r -> r.bucket(w.targetBucket).key(bigKey));
            assertThat(h.contentType()).isEqualTo("video/mp4");
            try (InputStream got = s3.getObject(r -> r.bucket(w.targetBucket).key(bigKey));
                 InputStream want = new PatternStream(bigSize)) {
                byte[] a = new byte[1 << 16];
                byte[] b = new byte[1 << 16];
                long total = 0;
                int n;
                while ((n = got.readNBytes(a, 0, a.length)) > 0) {
                    assertThat(want.readNBytes(b, 0, n)).isEqualTo(n);
                    for (int i = 0; i < n; i++) {
                        if (a[i] != b[i]) {
                            throw new AssertionError("byte " + (total + i) + " differs");
                        }
                    }
                    total += n;
                }
                assertThat(total).isEqualTo(bigSize);
            }
        }
    }

    /** Copies media_attachments in a child JVM with a 128 MB heap: finishes in time, no OutOfMemoryError, exit 0. */
    static void copyMediaWithSmallHeap(CopyEnvironment.World w, Path log) throws Exception {
        Process p = launch(w, "-Xmx128m", log, "copy", "--only", "media_attachments");
        boolean done = p.waitFor(300, TimeUnit.SECONDS);
        String output = Files.readString(log);
        System.out.println(output);
        assertThat(done).as("finished in time").isTrue();
        assertThat(output).doesNotContain("OutOfMemoryError");
        assertThat(p.exitValue()).isZero();
    }

    /** A deterministic stream of any length that is never held in memory. */
    static final class PatternStream extends InputStream {
        private final long size;
        private long pos;

        PatternStream(long size) {
            this.size = size;
        }

        @Override
        public int read() {
            if (pos >= size) {
                return -1;
            }
            int v = (int) ((pos * 31 + (pos >>> 13)) & 0xff);
            pos++;
            return v;
        }

        @Override
        public int read(byte[] b, int off, int len) {
            if (pos >= size) {
                return -1;
            }
            int n = (int) Math.min(len, size - pos);
            for (int i = 0; i < n; i++) {
                b[off + i] = (byte) ((pos * 31 + (pos >>> 13)) & 0xff);
                pos++;
            }
            return n;
        }
    }
}
