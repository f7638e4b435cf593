package mastodon.s3sync.copy;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

import org.apache.camel.Exchange;
import org.apache.camel.builder.AdviceWith;
import org.apache.camel.component.seda.SedaEndpoint;
import org.junit.jupiter.api.Test;

import mastodon.s3sync.testing.FaultProxy;
import mastodon.s3sync.testing.MastodonFixture;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.Permission;

/**
 * The per-object routes with the default settings: each branch of skip? -> GET -> PUT -> record, and the requests
 * each one costs.
 */
class CopyObjectRouteTest extends CopyRouteTestSupport {

    @Override
    boolean checkHeaders() {
        return false;
    }

    @Test
    void theWorkersLookAtTheirQueueEveryTenthOfASecond() {
        // a seda consumer started while Camel is still starting sleeps one poll timeout before its first look: with
        // Camel's default of a second, every worker idled that long after the first page was planned (application
        // .properties; docs/speed.md, start-up)
        assertThat(context.getEndpoint("seda:copy-queue", SedaEndpoint.class).getPollTimeout()).isEqualTo(100);
    }

    @Test
    void anObjectListedAbsentInTheTargetIsCopiedWithAGetAndAPutOnly() {
        CopyTask t = task(1, 2000L, CopyTask.ABSENT);
        byte[] bytes = putSource(t, 2000, "image/png");

        copy(t);

        assertThat(targetBytes(t)).isEqualTo(bytes);
        HeadObjectResponse h = targetHead(t);
        assertThat(h.contentType()).isEqualTo("image/png");
        assertThat(h.cacheControl()).isEqualTo(CopyTask.CACHE_CONTROL);
        assertThat(accounts().copied.sum()).isEqualTo(1);
        assertThat(requests(sourceProxy, "HEAD") + requests(targetProxy, "HEAD")).as("HEADs").isZero();
        assertThat(requests(sourceProxy, "GET")).isEqualTo(1);
        assertThat(requests(targetProxy, "PUT")).isEqualTo(1);
    }

    @Test
    void anObjectListedWithTheSameSizeOnBothSidesIsSkippedWithoutAnyRequest() {
        CopyTask t = task(2, 1500L, 1500L);
        byte[] bytes = putSource(t, 1500, "image/png");
        // even with headers that are not Mastodon's: the listings decide (copy.check-headers or repair look closer)
        putTarget(t, bytes, "binary/octet-stream", null);

        copy(t);

        assertThat(accounts().skipped.sum()).isEqualTo(1);
        assertThat(accounts().copied.sum()).isZero();
        // (the endpoints' start HEADs each bucket once: requests on objects are what counts)
        assertThat(sourceProxy.seen()).filteredOn(FaultProxy.Seen::onObject).as("requests at the source").isEmpty();
        assertThat(targetProxy.seen()).filteredOn(FaultProxy.Seen::onObject).as("requests at the target").isEmpty();
        assertThat(targetHead(t).contentType()).isEqualTo("binary/octet-stream");
    }

    @Test
    void anObjectListedWithAnotherSizeIsCopiedAgain() {
        CopyTask t = task(3, 1800L, 900L);
        byte[] bytes = putSource(t, 1800, "image/png");
        putTarget(t, MastodonFixture.bytes(t.key(), 900), "image/png", CopyTask.CACHE_CONTROL);

        copy(t);

        assertThat(targetBytes(t)).isEqualTo(bytes);
        assertThat(accounts().copied.sum()).isEqualTo(1);
        assertThat(requests(targetProxy, "HEAD")).isZero();
    }

    @Test
    void anObjectTheSourceLacksIsMissingAtSource() {
        CopyTask t = task(4, CopyTask.ABSENT, CopyTask.ABSENT);

        copy(t);

        assertThat(accounts().missing.sum()).isEqualTo(1);
        assertThat(accounts().failed.sum()).isZero();
        assertThat(requests(targetProxy, "PUT")).isZero();
    }

    @Test
    void aGenericSourceContentTypeIsWrittenAsMastodonsAndCounted() {
        CopyTask t = task(5, 1200L, CopyTask.ABSENT);
        putSource(t, 1200, "binary/octet-stream");
        CopyTask specific = task(6, 1300L, CopyTask.ABSENT);
        putSource(specific, 1300, "image/webp");

        copy(t, specific);

        assertThat(targetHead(t).contentType()).isEqualTo("image/png");
        assertThat(targetHead(specific).contentType()).as("a specific source type is kept").isEqualTo("image/webp");
        assertThat(accounts().contentTypeRepaired.sum()).isEqualTo(1);
        assertThat(accounts().copied.sum()).isEqualTo(2);
    }

    @Test
    void anObjectAbovePartSizeIsWrittenInPartsWithTheHeadersOfASinglePut() {
        // a multipart upload (PartedCopy) writes what a single PUT would: Mastodon's type for a generic source type,
        // its Cache-Control, and the ACL of the permission (public-read here)
        int size = (int) COPY_PART_SIZE + 1024 * 1024;
        CopyTask t = task(12, (long) size, CopyTask.ABSENT);
        byte[] bytes = putSource(t, size, "binary/octet-stream");

        copy(t);

        assertThat(targetBytes(t)).isEqualTo(bytes);
        HeadObjectResponse head = targetHead(t);
        assertThat(head.contentType()).isEqualTo("image/png");
        assertThat(head.cacheControl()).isEqualTo(CopyTask.CACHE_CONTROL);
        try (S3Client s3 = targetStore.client()) {
            assertThat(s3.getObjectAcl(b -> b.bucket(targetBucket).key(t.targetKey())).grants())
                    .anyMatch(g -> g.grantee().uri() != null && g.grantee().uri().endsWith("/global/AllUsers")
                            && g.permission() == Permission.READ);
        }
        assertThat(accounts().contentTypeRepaired.sum()).isEqualTo(1);
        assertThat(accounts().copied.sum()).isEqualTo(1);
    }

    @Test
    void theRequestsSeeOnlyTheS3ProducersHeadersNotThePagesNorTheTasks() throws Exception {
        // The page's headers (a seda copy carries them to each object) and the task's fields (variables) stay out of
        // the S3 steps' messages: each removeHeaders there with a pattern other than "*" compiles a regular
        // expression for every header it does not match by name or wildcard, and so does the metrics step after the
        // PUT with its own pattern (bench/RESULTS.md, "Fewer regular expressions, exchange copies and events per
        // object")
        CopyTask t = task(9, 1400L, CopyTask.ABSENT);
        byte[] bytes = putSource(t, 1400, "image/png");
        Map<String, Set<String>> seen = new ConcurrentHashMap<>();
        AdviceWith.adviceWith(context, "get-source-bucket",
                a -> a.weaveById("s3-get-source").before().process(e -> seen.put("GET", headers(e))));
        AdviceWith.adviceWith(context, "put-target-bucket",
                a -> a.weaveById("s3-put-target").before().process(e -> seen.put("PUT", headers(e))));
        AdviceWith.adviceWith(context, "copy-attempts", a -> a.weaveByToUri("micrometer:*").before()
                .process(e -> seen.merge("metrics", headers(e), (x, y) -> { x.addAll(y); return x; })));

        Exchange done = template.send("direct:copy-object", e -> {
            e.getIn().setBody(t);
            e.getIn().setHeader("table", "accounts");
            e.getIn().setHeader("lastId", 8L);
        });

        assertThat(done.getException()).isNull();
        assertThat(done.getVariable("taskTargetKey")).isEqualTo(t.targetKey());
        assertThat(targetBytes(t)).isEqualTo(bytes);
        assertThat(seen.get("GET")).as("headers at the GET").containsExactly("CamelAwsS3Key");
        assertThat(seen.get("PUT")).as("headers at the PUT").isNotEmpty()
                .allSatisfy(name -> assertThat(name).startsWith("CamelAwsS3"));
        assertThat(seen.get("metrics")).as("headers at the metrics steps").isEmpty();
    }

    private static Set<String> headers(Exchange e) {
        return new TreeSet<>(e.getIn().getHeaders().keySet());
    }

    @Test
    void aFailureInCopyObjectsOwnStepsEndsTheObjectFailedAtOnce() throws Exception {
        // copy-object's steps make no request and have no retries (object-errors); what fails there still ends the
        // object, counted, so the pass ends (copy-attempts holds the retries)
        AdviceWith.adviceWith(context, "copy-object",
                a -> a.weaveById("copy-throttle").before().throwException(new IllegalStateException("a bug")));
        CopyTask t = task(10, 1000L, CopyTask.ABSENT);
        putSource(t, 1000, "image/png");

        copy(t);

        assertThat(accounts().failed.sum()).isEqualTo(1);
        assertThat(accounts().copied.sum()).isZero();
        assertThat(requests(sourceProxy, "GET")).isZero();
    }

    @Test
    void aSideThatWasNotListedGetsOneHeadAndTheSizesDecide() {
        CopyTask same = task(7, null, null);
        byte[] bytes = putSource(same, 1000, "image/png");
        putTarget(same, bytes, "image/png", CopyTask.CACHE_CONTROL);
        CopyTask absent = task(8, null, null);
        byte[] absentBytes = putSource(absent, 1100, "image/png");

        copy(same, absent);

        assertThat(accounts().skipped.sum()).isEqualTo(1);
        assertThat(accounts().copied.sum()).isEqualTo(1);
        assertThat(targetBytes(absent)).isEqualTo(absentBytes);
        assertThat(requests(targetProxy, "HEAD")).as("one HEAD per object at the target").isEqualTo(2);
        assertThat(requests(sourceProxy, "HEAD")).as("at the source only for the object the target has")
                .isEqualTo(1);
    }
}
