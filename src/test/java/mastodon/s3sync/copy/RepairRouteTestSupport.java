package mastodon.s3sync.copy;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.apache.camel.builder.NotifyBuilder;

import mastodon.s3sync.testing.FaultProxy;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectAclResponse;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.ObjectCannedACL;
import software.amazon.awssdk.services.s3.model.Permission;
import software.amazon.awssdk.services.s3.model.Type;

/**
 * routes/repair.camel.yaml (repair-workers, repair-object, repair-one) with copy-errors.camel.yaml and the head routes
 * of copy.camel.yaml, on their own in Camel Main against a real s3proxy behind a {@link FaultProxy}, in repair mode
 * with source.permission=public-read; the tasks go through the repair queue as the page routes send them.
 */
abstract class RepairRouteTestSupport extends CopyRouteTestSupport {

    @Override
    boolean checkHeaders() {
        return false;
    }

    @Override
    String routeFiles() {
        return super.routeFiles() + ",file:routes/repair.camel.yaml";
    }

    @Override
    String routesUnderTest() {
        return "repair-workers,repair-object,repair-one,head-*";
    }

    @Override
    void jobOptions(Map<String, String> options) {
        options.put("copy.mode", "repair");
        options.put("source.permission", "public-read");
    }

    /** Sends the tasks through the repair queue as the page routes do (copy.sink); returns when all are done. */
    void repair(CopyTask... tasks) {
        assertThat(context.getRoute("repair-one")).as("the repair routes are loaded").isNotNull();
        NotifyBuilder done = new NotifyBuilder(context).fromRoute("repair-workers").whenDone(tasks.length).create();
        for (CopyTask t : tasks) {
            template.sendBody("seda:repair-queue", t);
        }
        assertThat(done.matches(60, TimeUnit.SECONDS)).as("all tasks done").isTrue();
    }

    /** The object at the source, as Mastodon or a sync tool left it. */
    byte[] put(CopyTask t, int size, String contentType, String cacheControl, ObjectCannedACL acl) {
        byte[] bytes = mastodon.s3sync.testing.MastodonFixture.bytes(t.key(), size);
        try (S3Client s3 = sourceStore.client()) {
            s3.putObject(b -> b.bucket(sourceBucket).key(t.sourceKey()).contentType(contentType)
                    .cacheControl(cacheControl).acl(acl), RequestBody.fromBytes(bytes));
        }
        return bytes;
    }

    HeadObjectResponse sourceHead(CopyTask t) {
        try (S3Client s3 = sourceStore.client()) {
            return s3.headObject(b -> b.bucket(sourceBucket).key(t.sourceKey()));
        }
    }

    byte[] sourceBytes(CopyTask t) {
        try (S3Client s3 = sourceStore.client()) {
            return s3.getObjectAsBytes(b -> b.bucket(sourceBucket).key(t.sourceKey())).asByteArray();
        }
    }

    boolean publicRead(CopyTask t) {
        try (S3Client s3 = sourceStore.client()) {
            GetObjectAclResponse acl = s3.getObjectAcl(b -> b.bucket(sourceBucket).key(t.sourceKey()));
            return acl.grants().stream().anyMatch(g -> g.grantee().type() == Type.GROUP
                    && g.grantee().uri().endsWith("/AllUsers") && g.permission() == Permission.READ);
        }
    }

    /** Writes at the source: PUTs (CopyObject, PutObjectAcl, part copies) and multipart POSTs. */
    long writes() {
        return sourceProxy.seen().stream().filter(s -> s.method().equals("PUT") || s.method().equals("POST")).count();
    }
}
