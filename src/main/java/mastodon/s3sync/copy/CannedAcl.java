package mastodon.s3sync.copy;

import java.util.Locale;

import software.amazon.awssdk.services.s3.model.GetObjectAclResponse;
import software.amazon.awssdk.services.s3.model.Grant;
import software.amazon.awssdk.services.s3.model.ObjectCannedACL;
import software.amazon.awssdk.services.s3.model.Permission;
import software.amazon.awssdk.services.s3.model.Type;

/**
 * S3's canned ACLs as this job names them: the enum name the aws2-s3 component takes ({@code PUBLIC_READ}), from the
 * permission Mastodon is configured with ({@code public-read}) or from an object's grants.
 */
public final class CannedAcl {

    private CannedAcl() {
    }

    /** "public-read" -> PUBLIC_READ; empty -> null (send no ACL). */
    public static String forPermission(String permission) {
        if (permission == null || permission.isBlank()) {
            return null;
        }
        ObjectCannedACL acl = ObjectCannedACL.fromValue(permission.strip());
        if (acl == ObjectCannedACL.UNKNOWN_TO_SDK_VERSION) {
            throw new IllegalArgumentException("permission '" + permission + "' is not an S3 canned ACL. Fix: set "
                    + "TARGET_S3_PERMISSION (or S3_PERMISSION) to public-read, private, authenticated-read, or empty "
                    + "to send no ACL (Cloudflare R2).");
        }
        return acl.name();
    }

    /**
     * The canned ACL an object's grants amount to (enum name: PRIVATE, PUBLIC_READ, PUBLIC_READ_WRITE,
     * AUTHENTICATED_READ), or null when they are none of those (grants to other accounts). The owner's FULL_CONTROL
     * is part of every canned ACL.
     */
    static String of(GetObjectAclResponse acl) {
        String owner = acl.owner() == null ? null : acl.owner().id();
        boolean allRead = false;
        boolean allWrite = false;
        boolean authRead = false;
        for (Grant g : acl.grants()) {
            var who = g.grantee();
            Permission p = g.permission();
            if (who == null) {
                return null;
            }
            if (who.type() == Type.GROUP && who.uri() != null && who.uri().endsWith("/AllUsers")) {
                if (p == Permission.READ) {
                    allRead = true;
                } else if (p == Permission.WRITE) {
                    allWrite = true;
                } else {
                    return null;
                }
            } else if (who.type() == Type.GROUP && who.uri() != null && who.uri().endsWith("/AuthenticatedUsers")
                    && p == Permission.READ) {
                authRead = true;
            } else if (who.type() == Type.CANONICAL_USER && p == Permission.FULL_CONTROL
                    && (owner == null || owner.equals(who.id()))) {
                continue;
            } else {
                return null;
            }
        }
        if (authRead) {
            return allRead || allWrite ? null : ObjectCannedACL.AUTHENTICATED_READ.name();
        }
        if (allWrite) {
            return allRead ? ObjectCannedACL.PUBLIC_READ_WRITE.name() : null;
        }
        return allRead ? ObjectCannedACL.PUBLIC_READ.name() : ObjectCannedACL.PRIVATE.name();
    }

    /** PUBLIC_READ -> public-read. */
    static String shown(String enumName) {
        return enumName.toLowerCase(Locale.ROOT).replace('_', '-');
    }
}
