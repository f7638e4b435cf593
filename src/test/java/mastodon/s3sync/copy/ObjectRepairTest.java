package mastodon.s3sync.copy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import software.amazon.awssdk.services.s3.model.CopyObjectRequest;
import software.amazon.awssdk.services.s3.model.CreateMultipartUploadRequest;
import software.amazon.awssdk.services.s3.model.GetObjectAclResponse;
import software.amazon.awssdk.services.s3.model.Grant;
import software.amazon.awssdk.services.s3.model.Grantee;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.MetadataDirective;
import software.amazon.awssdk.services.s3.model.ObjectCannedACL;
import software.amazon.awssdk.services.s3.model.Owner;
import software.amazon.awssdk.services.s3.model.Permission;
import software.amazon.awssdk.services.s3.model.ServerSideEncryption;
import software.amazon.awssdk.services.s3.model.Type;

/** The repair's judgement of one object and the requests it builds, without a store. */
class ObjectRepairTest {

    static final long MIB = 1024 * 1024;
    static final String CACHE = CopyTask.CACHE_CONTROL;
    final CopyTask task = new CopyTask("accounts", 1, "accounts/avatars/000/000/001/original/a.png", "image/png", false);
    final CopyTask privateTask = new CopyTask("backups", 5, "backups/dumps/000/000/005/original/b.zip",
            "application/zip", true);

    static ObjectRepair repair(String permission) {
        String acl = CannedAcl.forPermission(permission);
        return new ObjectRepair(null, "bucket", t -> acl == null ? null : t.privateAcl() ? "PRIVATE" : acl,
                512 * MIB);
    }

    static GetObjectAclResponse acl(Grant... grants) {
        return GetObjectAclResponse.builder().owner(Owner.builder().id("owner").build()).grants(grants).build();
    }

    static Grant owner() {
        return Grant.builder().grantee(Grantee.builder().type(Type.CANONICAL_USER).id("owner").build())
                .permission(Permission.FULL_CONTROL).build();
    }

    static Grant group(String name, Permission p) {
        return Grant.builder().grantee(Grantee.builder().type(Type.GROUP)
                .uri("http://acs.amazonaws.com/groups/global/" + name).build()).permission(p).build();
    }

    @Test
    void partRangesCoverEveryByteOnceInParts() {
        List<long[]> r = ObjectRepair.partRanges(11 * MIB + 17, 5 * MIB);
        assertThat(r).hasSize(3);
        assertThat(r.get(0)).containsExactly(0, 5 * MIB - 1);
        assertThat(r.get(1)).containsExactly(5 * MIB, 10 * MIB - 1);
        assertThat(r.get(2)).containsExactly(10 * MIB, 11 * MIB + 16);
        // exactly one part size: no empty last part
        assertThat(ObjectRepair.partRanges(10 * MIB, 5 * MIB)).hasSize(2);
        // a part smaller than S3's 5 MiB is raised to it
        assertThat(ObjectRepair.partRanges(11 * MIB, MIB)).hasSize(3);
        assertThatThrownBy(() -> ObjectRepair.partRanges(0, 5 * MIB)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aHugeObjectNeedsNoMoreThanTenThousandParts() {
        long size = 5L * 1024 * 1024 * MIB; // 5 TiB, S3's largest object
        List<long[]> r = ObjectRepair.partRanges(size, 16 * MIB);
        assertThat(r.size()).isLessThanOrEqualTo(10_000);
        assertThat(r.get(r.size() - 1)[1]).isEqualTo(size - 1);
        long part = r.get(0)[1] + 1;
        assertThat(part % MIB).isZero();
        for (int i = 1; i < r.size(); i++) {
            assertThat(r.get(i)[0]).isEqualTo(r.get(i - 1)[1] + 1);
        }
        // 5 GiB + 1 byte with 512 MiB parts: 11 parts
        assertThat(ObjectRepair.partRanges(5L * 1024 * MIB + 1, 512 * MIB)).hasSize(11);
    }

    @Test
    void grantsReadAsCannedAcls() {
        assertThat(CannedAcl.of(acl(owner()))).isEqualTo("PRIVATE");
        assertThat(CannedAcl.of(acl(owner(), group("AllUsers", Permission.READ)))).isEqualTo("PUBLIC_READ");
        assertThat(CannedAcl.of(acl(owner(), group("AllUsers", Permission.READ),
                group("AllUsers", Permission.WRITE)))).isEqualTo("PUBLIC_READ_WRITE");
        assertThat(CannedAcl.of(acl(owner(), group("AuthenticatedUsers", Permission.READ))))
                .isEqualTo("AUTHENTICATED_READ");
        // a grant to another account is no canned ACL: it differs from any permission Mastodon writes
        Grant other = Grant.builder().grantee(Grantee.builder().type(Type.CANONICAL_USER).id("someone").build())
                .permission(Permission.READ).build();
        assertThat(CannedAcl.of(acl(owner(), other))).isNull();
    }

    @Test
    void aGenericTypeIsRepairedAndASpecificOneKept() {
        ObjectRepair r = repair("public-read");
        HeadObjectResponse generic = HeadObjectResponse.builder().contentType("binary/octet-stream").build();
        ObjectRepair.Fixes f = r.judge(task, generic, acl(owner()));
        assertThat(f.contentType()).isEqualTo("image/png");
        assertThat(f.cacheControl()).isTrue();
        assertThat(f.acl()).isEqualTo("PUBLIC_READ");
        assertThat(f.describe()).isEqualTo("Content-Type binary/octet-stream -> image/png, Cache-Control (none) -> "
                + CACHE + ", ACL private -> public-read");

        HeadObjectResponse specific = HeadObjectResponse.builder().contentType("image/webp").cacheControl(CACHE)
                .build();
        ObjectRepair.Fixes kept = r.judge(task, specific, acl(owner(), group("AllUsers", Permission.READ)));
        assertThat(kept.none()).isTrue();
        assertThat(kept.describe()).isEmpty();
    }

    @Test
    void privateObjectsMustBePrivateAndEmptyPermissionChecksNoAcl() {
        HeadObjectResponse right = HeadObjectResponse.builder().contentType("application/zip").cacheControl(CACHE)
                .build();
        ObjectRepair.Fixes f = repair("public-read").judge(privateTask, right,
                acl(owner(), group("AllUsers", Permission.READ)));
        assertThat(f.metadata()).isFalse();
        assertThat(f.acl()).isEqualTo("PRIVATE");
        assertThat(f.describe()).isEqualTo("ACL public-read -> private");

        ObjectRepair none = repair("");
        assertThat(none.judge(privateTask, right, null).none()).isTrue();
    }

    @Test
    void theCopyOntoItselfReplacesTypeAndCacheAndKeepsEverythingElse() {
        HeadObjectResponse head = HeadObjectResponse.builder().contentType("binary/octet-stream").eTag("\"abc\"")
                .metadata(Map.of("origin", "rclone")).contentDisposition("inline").storageClass("STANDARD_IA")
                .serverSideEncryption(ServerSideEncryption.AWS_KMS).ssekmsKeyId("key-1").contentLength(10L).build();
        ObjectRepair r = repair("public-read");
        ObjectRepair.Fixes f = r.judge(task, head, acl(owner(), group("AllUsers", Permission.READ)));
        assertThat(f.acl()).isNull(); // the ACL is right ...
        CopyObjectRequest c = r.copyRequest("k", head, f);
        assertThat(c.sourceBucket()).isEqualTo("bucket");
        assertThat(c.destinationBucket()).isEqualTo("bucket");
        assertThat(c.sourceKey()).isEqualTo("k");
        assertThat(c.destinationKey()).isEqualTo("k");
        assertThat(c.metadataDirective()).isEqualTo(MetadataDirective.REPLACE);
        assertThat(c.contentType()).isEqualTo("image/png");
        assertThat(c.cacheControl()).isEqualTo(CACHE);
        assertThat(c.acl()).isEqualTo(ObjectCannedACL.PUBLIC_READ); // ... and the copy carries it, not resets it
        assertThat(c.metadata()).containsEntry("origin", "rclone");
        assertThat(c.contentDisposition()).isEqualTo("inline");
        assertThat(c.storageClassAsString()).isEqualTo("STANDARD_IA");
        assertThat(c.serverSideEncryption()).isEqualTo(ServerSideEncryption.AWS_KMS);
        assertThat(c.ssekmsKeyId()).isEqualTo("key-1");
        assertThat(c.copySourceIfMatch()).isEqualTo("\"abc\"");

        CreateMultipartUploadRequest m = r.createRequest("k", head, f);
        assertThat(m.contentType()).isEqualTo("image/png");
        assertThat(m.cacheControl()).isEqualTo(CACHE);
        assertThat(m.acl()).isEqualTo(ObjectCannedACL.PUBLIC_READ);
        assertThat(m.metadata()).containsEntry("origin", "rclone");
        assertThat(m.storageClassAsString()).isEqualTo("STANDARD_IA");

        // no ACL in the copy when ACLs are not managed; a specific type is written back as it is
        HeadObjectResponse webp = head.toBuilder().contentType("image/webp").build();
        ObjectRepair plain = repair("");
        CopyObjectRequest noAcl = plain.copyRequest("k", webp, plain.judge(task, webp, null));
        assertThat(noAcl.acl()).isNull();
        assertThat(noAcl.contentType()).isEqualTo("image/webp");
    }
}
