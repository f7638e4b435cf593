package mastodon.s3sync.mirror;

import static mastodon.s3sync.mirror.MirrorHarness.BUCKET;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.apache.camel.CamelExecutionException;
import org.apache.camel.builder.AdviceWith;
import org.apache.camel.builder.NotifyBuilder;
import org.apache.camel.support.ScheduledPollConsumer;
import org.junit.jupiter.api.Test;

import mastodon.s3sync.testing.Await;
import mastodon.s3sync.testing.LogCapture;

/**
 * Each branch of the choices of routes/mirror.camel.yaml (mirror.unmapped=ack), seen through the files, the counters
 * and NotifyBuilder.
 */
class MirrorRoutesTest extends MirrorRouteTestSupport {

    @Override
    String unmapped() {
        return "ack";
    }

    @Test
    void theQueueIsReadRightAfterTheStart() throws Exception {
        context.start();
        // not after the poll consumer's default second (initialDelay)
        assertThat(((ScheduledPollConsumer) context.getRoute("mirror-queue").getConsumer()).getInitialDelay()).isZero();
    }

    @Test
    void messageKinds() throws Exception {
        context.start();
        h.put("test-folder/q.txt", "from the queue");
        NotifyBuilder done = new NotifyBuilder(context).fromRoute("mirror-queue").filter(NOT_SPLIT).whenDone(4).create();
        h.send(queue, MirrorHarness.message(MirrorHarness.created("test-folder/q.txt", 14, "0010")));
        h.send(queue, "{\"Service\":\"Amazon S3\",\"Event\":\"s3:TestEvent\",\"Bucket\":\"media\"}");
        h.send(queue, "not json at all");
        h.send(queue, "{\"detail-type\":\"Object Created\",\"source\":\"aws.s3\"}");
        assertThat(done.matches(60, TimeUnit.SECONDS)).isTrue();
        assertThat(Files.readString(a.resolve("q.txt"))).isEqualTo("from the queue");
        assertThat(count("created")).isEqualTo(1);
        assertThat(count("test-events")).isEqualTo(1);
        assertThat(count("malformed")).isEqualTo(2);
        // every outcome exists from the start (mirror-metrics-init)
        assertThat(count("failed")).isZero();
        assertThat(meters.find("mastodon.mirror.events").tag("outcome", "failed").counter()).isNotNull();
        Await.until(Duration.ofSeconds(20), () -> h.pending(queue) == 0, "the queue to drain");
    }

    @Test
    void eventNameDecides() throws Exception {
        context.start();
        h.put("test-folder/post.txt", "posted");
        apply(event("ObjectCreated:Post", BUCKET, "test-folder/post.txt", "0010"));
        assertThat(Files.readString(a.resolve("post.txt"))).isEqualTo("posted");
        apply(event("ObjectRemoved:DeleteMarkerCreated", BUCKET, "test-folder/post.txt", "0020"));
        assertThat(a.resolve("post.txt")).doesNotExist();
        h.put("test-folder/kept.txt", "kept");
        apply(event("ObjectCreated:Copy", BUCKET, "test-folder/kept.txt", "0010"));
        apply(event("ObjectRestore:Completed", BUCKET, "test-folder/kept.txt", "0030"));
        apply(new S3Event(null, BUCKET, "test-folder/kept.txt", -1, null, null, null, "record without eventName"));
        assertThat(Files.readString(a.resolve("kept.txt"))).isEqualTo("kept");
        assertThat(count("created")).isEqualTo(2);
        assertThat(count("removed")).isEqualTo(1);
        assertThat(count("ignored")).isEqualTo(2);
    }

    /** At the default mirror.file-log-level (INFO): a line per file written or deleted (MirrorRoutesFileLogLevelTest). */
    @Test
    void aLinePerFileAtInfo() throws Exception {
        context.start();
        h.put("test-folder/loud.txt", "loud");
        try (LogCapture log = new LogCapture("mastodon.s3sync.mirror")) {
            apply(event("ObjectCreated:Put", BUCKET, "test-folder/loud.txt", "0010"));
            apply(event("ObjectRemoved:Delete", BUCKET, "test-folder/loud.txt", "0020"));
            apply(event("ObjectRemoved:Delete", BUCKET, "test-folder/loud.txt", "0030"));
            assertThat(log.text())
                    .contains("INFO mirror: wrote ObjectCreated:Put media/test-folder/loud.txt -> " + a.resolve("loud.txt"))
                    .contains("INFO mirror: deleted ObjectRemoved:Delete media/test-folder/loud.txt -> " + a.resolve("loud.txt") + "\n")
                    .contains("INFO mirror: deleted ObjectRemoved:Delete media/test-folder/loud.txt -> " + a.resolve("loud.txt")
                            + " (was absent)");
        }
    }

    @Test
    void theMetricsStepAfterADownloadSeesNoHeader() throws Exception {
        // camel-micrometer's producer removes its own headers with a pattern after each use, which compiles a regular
        // expression for every other header: the GET's and the file's (bench/RESULTS.md, "Fewer regular
        // expressions, exchange copies and events per object")
        Set<String> seen = ConcurrentHashMap.newKeySet();
        AdviceWith.adviceWith(context, "mirror-apply-created", r -> r.weaveByToUri("micrometer:*").before()
                .process(e -> seen.addAll(e.getIn().getHeaders().keySet())));
        context.start();
        h.put("test-folder/counted.txt", "counted");

        apply(event("ObjectCreated:Put", BUCKET, "test-folder/counted.txt", "0010"));

        assertThat(Files.readString(a.resolve("counted.txt"))).isEqualTo("counted");
        assertThat(count("created")).isEqualTo(1);
        assertThat(seen).as("headers at the metrics step").isEmpty();
    }

    @Test
    void placementDecides() throws Exception {
        context.start();
        apply(event("ObjectCreated:Put", "another-bucket", "test-folder/x.txt", "0010"));
        apply(event("ObjectCreated:Put", BUCKET, "test-folder/../escape.txt", "0010"));
        apply(event("ObjectCreated:Put", BUCKET, "elsewhere/x.txt", "0010"));
        apply(event("ObjectCreated:Put", BUCKET, "test-folder/empty/", "0010"));
        Files.createDirectories(b);
        h.put("test-folder/folder-01/deep/n.txt", "nested");
        apply(event("ObjectCreated:Put", BUCKET, "test-folder/folder-01/deep/n.txt", "0010"));
        assertThat(count("rejected")).isEqualTo(2);
        assertThat(count("unmapped")).isEqualTo(1);
        assertThat(count("ignored")).isEqualTo(1);
        assertThat(count("created")).isEqualTo(1);
        assertThat(Files.readString(b.resolve("deep/n.txt"))).isEqualTo("nested");
        assertThat(tmp.resolve("escape.txt")).doesNotExist();
    }

    @Test
    void olderEventsAreStaleAndVanishedObjectsGone() throws Exception {
        context.start();
        h.put("test-folder/s.txt", "newest");
        apply(event("ObjectCreated:Put", BUCKET, "test-folder/s.txt", "0020"));
        apply(event("ObjectCreated:Put", BUCKET, "test-folder/s.txt", "0010"));
        apply(event("ObjectRemoved:Delete", BUCKET, "test-folder/s.txt", "0015"));
        assertThat(Files.readString(a.resolve("s.txt"))).isEqualTo("newest");
        assertThat(count("stale")).isEqualTo(2);
        apply(event("ObjectCreated:Put", BUCKET, "test-folder/never-uploaded.txt", "0010"));
        assertThat(count("gone")).isEqualTo(1);
        apply(event("ObjectRemoved:Delete", BUCKET, "test-folder/absent.txt", "0010"));
        assertThat(count("removed")).isEqualTo(1);
        assertThat(a.resolve("never-uploaded.txt")).doesNotExist();
    }

    @Test
    void aPollsDoneMessagesAreDeletedTogetherAndAFailedOneComesBack() throws Exception {
        AtomicBoolean diskFull = new AtomicBoolean(true);
        AdviceWith.adviceWith(context, "mirror-download", r -> r.weaveByToUri("aws2-s3:*").before().process(e -> {
            if (diskFull.get()) {
                throw new IOException("No space left on device");
            }
        }));
        // waiting before the consumers start, so that a poll takes up to ten: twelve test events and one record
        // whose write fails
        h.put("test-folder/acked.txt", "written on redelivery");
        for (int i = 0; i < 12; i++) {
            h.send(queue, "{\"Service\":\"Amazon S3\",\"Event\":\"s3:TestEvent\",\"Bucket\":\"media\"}");
        }
        h.send(queue, MirrorHarness.message(MirrorHarness.created("test-folder/acked.txt", 21, "0010")));
        QueueAcks acks = context.getRegistry().lookupByNameAndType("mirrorAcks", QueueAcks.class);
        context.start();

        // the twelve are deleted, in fewer requests than messages (whichever poll the failed one was in); the
        // failed one stays in the queue
        Await.until(Duration.ofSeconds(30), () -> acks.deleted() == 12, "the twelve done messages to be deleted");
        assertThat(acks.requests()).isLessThanOrEqualTo(6);
        assertThat(count("failed")).isPositive();
        assertThat(h.pending(queue)).isEqualTo(1);

        // once writes work again, the message comes back after its visibility timeout and is applied and deleted
        diskFull.set(false);
        Await.until(Duration.ofSeconds(30), () -> h.pending(queue) == 0, "the failed message to be applied");
        assertThat(Files.readString(a.resolve("acked.txt"))).isEqualTo("written on redelivery");
        // QueueAcks counts a deletion when DeleteMessageBatch's answer is back, a moment after the queue lost the
        // message: read at once, the count was 12 in one CI run
        Await.until(Duration.ofSeconds(10), () -> acks.deleted() == 13, "the thirteenth deletion to be counted");
        assertThat(acks.deleted()).isEqualTo(13);
    }

    @Test
    void aFailedWriteIsCountedAndFailsTheExchange() throws Exception {
        AdviceWith.adviceWith(context, "mirror-download", r -> r.weaveByToUri("aws2-s3:*").replace()
                .throwException(new IOException("No space left on device")));
        context.start();
        h.put("test-folder/f.txt", "never written");
        assertThatThrownBy(() -> apply(event("ObjectCreated:Put", BUCKET, "test-folder/f.txt", "0010")))
                .isInstanceOf(CamelExecutionException.class).hasRootCauseMessage("No space left on device");
        assertThat(count("failed")).isEqualTo(1);
        assertThat(count("created")).isZero();
        assertThat(a.resolve("f.txt")).doesNotExist();
        // the key was released: the same event applies once the disk has room
        AdviceWith.adviceWith(context, "mirror-download", r -> r.weaveByType(
                org.apache.camel.model.ThrowExceptionDefinition.class).remove());
    }

    @Test
    void resyncDownloadsRejectsAndCountsDeletions() throws Exception {
        Files.createDirectories(a);
        Files.writeString(a.resolve("orphan.txt"), "not in the bucket");
        h.put("test-folder/r1.txt", "resync one");
        AdviceWith.adviceWith(context, "mirror-resync", r -> r.weaveByToUri("controlbus:*").remove());
        context.start();
        NotifyBuilder done = new NotifyBuilder(context).fromRoute("mirror-resync").filter(NOT_SPLIT).whenDone(1)
                .create();
        context.getRouteController().startRoute("mirror-resync");
        assertThat(done.matches(60, TimeUnit.SECONDS)).isTrue();
        assertThat(Files.readString(a.resolve("r1.txt"))).isEqualTo("resync one");
        assertThat(a.resolve("orphan.txt")).doesNotExist();
        assertThat(meters.find("mastodon.mirror.resync.objects").tag("outcome", "downloaded").counter().count())
                .isGreaterThanOrEqualTo(1);
        assertThat(meters.find("mastodon.mirror.resync.objects").tag("outcome", "deleted").counter().count())
                .isEqualTo(1);
    }
}
