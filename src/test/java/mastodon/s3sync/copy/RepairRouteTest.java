package mastodon.s3sync.copy;

import static org.assertj.core.api.Assertions.assertThat;


import org.junit.jupiter.api.Test;

import mastodon.s3sync.testing.FaultProxy;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.ObjectCannedACL;

/**
 * One branch of repair-one per test (missing, nothing to fix, metadata rewritten by CopyObject, in parts above the
 * threshold, only the ACL put), and the copy-errors retries of repair-object for a source that keeps failing.
 */
class RepairRouteTest extends RepairRouteTestSupport {

    @Test
    void aRowWhoseObjectIsNotInTheStoreIsCountedMissingAndNothingIsWritten() {
        CopyTask t = task(30, null, null);

        repair(t);

        assertThat(accounts().missing.sum()).isEqualTo(1);
        assertThat(accounts().copied.sum()).isZero();
        assertThat(writes()).isZero();
    }

    @Test
    void anObjectAsMastodonWroteItIsCountedRightWithoutAWrite() {
        CopyTask t = task(31, 1000L, null);
        put(t, 1000, "image/png", CopyTask.CACHE_CONTROL, ObjectCannedACL.PUBLIC_READ);

        repair(t);

        assertThat(accounts().skipped.sum()).isEqualTo(1);
        assertThat(accounts().copied.sum()).isZero();
        assertThat(writes()).isZero();
        assertThat(requests(sourceProxy, "HEAD")).isEqualTo(1);
    }

    @Test
    void aGenericContentTypeAndNoCacheControlAreRewrittenInPlaceWithTheAcl() {
        CopyTask t = task(32, 1100L, null);
        byte[] bytes = put(t, 1100, "binary/octet-stream", null, ObjectCannedACL.PRIVATE);

        repair(t);

        assertThat(accounts().copied.sum()).isEqualTo(1);
        assertThat(accounts().contentTypeRepaired.sum()).isEqualTo(1);
        assertThat(accounts().cacheControlRepaired.sum()).isEqualTo(1);
        HeadObjectResponse head = sourceHead(t);
        assertThat(head.contentType()).isEqualTo("image/png");
        assertThat(head.cacheControl()).isEqualTo(CopyTask.CACHE_CONTROL);
        assertThat(sourceBytes(t)).isEqualTo(bytes);
        // one CopyObject onto itself carried the ACL too: no PutObjectAcl after it
        assertThat(publicRead(t)).isTrue();
        assertThat(writes()).isEqualTo(1);
        assertThat(sourceProxy.seen().stream().filter(s -> s.method().equals("PUT") && s.query().contains("acl")))
                .isEmpty();
    }

    @Test
    void anObjectAboveTheMultipartThresholdIsRewrittenInParts() {
        CopyTask t = task(33, null, null);
        int size = (int) REPAIR_MULTIPART_THRESHOLD + 1024;
        byte[] bytes = put(t, size, "binary/octet-stream", CopyTask.CACHE_CONTROL, ObjectCannedACL.PUBLIC_READ);

        repair(t);

        assertThat(accounts().contentTypeRepaired.sum()).isEqualTo(1);
        assertThat(sourceHead(t).contentType()).isEqualTo("image/png");
        assertThat(sourceBytes(t)).isEqualTo(bytes);
        assertThat(sourceProxy.seen().stream().filter(s -> s.method().equals("PUT")
                && s.query().contains("partNumber="))).as("UploadPartCopy requests").hasSize(2);
    }

    @Test
    void onlyAWrongAclIsPutAlone() {
        CopyTask t = task(34, 1200L, null);
        byte[] bytes = put(t, 1200, "image/png", CopyTask.CACHE_CONTROL, ObjectCannedACL.PRIVATE);

        repair(t);

        assertThat(accounts().aclRepaired.sum()).isEqualTo(1);
        assertThat(accounts().contentTypeRepaired.sum()).isZero();
        assertThat(publicRead(t)).isTrue();
        assertThat(sourceBytes(t)).isEqualTo(bytes);
        assertThat(writes()).isEqualTo(1);
        assertThat(sourceProxy.seen().stream().filter(s -> s.method().equals("PUT") && s.query().contains("acl")))
                .hasSize(1);
    }

    @Test
    void aSourceThatKeepsFailingIsRetriedByCopyErrorsThenCountedFailed() {
        CopyTask t = task(35, 1300L, null);
        put(t, 1300, "binary/octet-stream", null, ObjectCannedACL.PRIVATE);
        sourceProxy.only(r -> r.method().equals("HEAD")).rate(FaultProxy.Fault.SLOW_DOWN, 1.0);

        repair(t);

        assertThat(accounts().failed.sum()).isEqualTo(1);
        assertThat(accounts().copied.sum()).isZero();
        // the first attempt and copy.retries=1 redelivery from repair-object, each HEADing again
        assertThat(requests(sourceProxy, "HEAD")).isGreaterThanOrEqualTo(2);
        assertThat(writes()).isZero();
        sourceProxy.clearFaults();
        assertThat(sourceHead(t).contentType()).as("left as it was").isEqualTo("binary/octet-stream");
    }
}
