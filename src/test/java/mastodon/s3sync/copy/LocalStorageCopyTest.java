package mastodon.s3sync.copy;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import mastodon.s3sync.InProcessRunner;
import mastodon.s3sync.testing.MastodonFixture.SourceObject;
import mastodon.s3sync.testing.MastodonFixture;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectAclResponse;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.Permission;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * Mastodon's local storage on either side: a generated public/system (every table, cache/, missing files, an
 * unreadable one) copied to s3proxy with exact keys, bytes, headers and ACL; a bucket copied back to a directory
 * (modes 0644/0755, nothing outside the root through a symbolic link); directory to directory; verify on both.
 */
@Timeout(300)
@CopyServers
class LocalStorageCopyTest {

    static CopyEnvironment servers;

    @BeforeAll
    static void start(CopyEnvironment shared) throws Exception {
        servers = shared;
    }

    /** The world's environment with the source as Mastodon's local storage under {@code root}. */
    private static void sourceIsDirectory(CopyEnvironment.World w, Path root) {
        for (String k : List.of("S3_BUCKET", "S3_ENDPOINT", "S3_REGION", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY")) {
            w.env.remove(k);
        }
        w.env.put("S3_ENABLED", "false");
        w.env.put("PAPERCLIP_ROOT_PATH", root.toString());
    }

    private static void targetIsDirectory(CopyEnvironment.World w, Path root) {
        for (String k : List.of("TARGET_S3_BUCKET", "TARGET_S3_ENDPOINT", "TARGET_S3_REGION", "TARGET_AWS_ACCESS_KEY_ID",
                "TARGET_AWS_SECRET_ACCESS_KEY")) {
            w.env.remove(k);
        }
        w.env.put("TARGET_S3_ENABLED", "false");
        w.env.put("TARGET_PAPERCLIP_ROOT_PATH", root.toString());
    }

    private static JsonNode report(CopyEnvironment.World w, String mode) throws Exception {
        return new ObjectMapper().readTree(w.report(mode).toFile());
    }

    private static Set<String> keys(JsonNode list) {
        Set<String> out = new HashSet<>();
        list.forEach(n -> out.add(n.get("key").asText()));
        return out;
    }

    private static boolean isRoot() {
        return "root".equals(System.getProperty("user.name"));
    }

    @Test
    void publicSystemToABucketWithMastodonsHeadersAndAcl(@TempDir Path dir) throws Exception {
        CopyEnvironment.World w = servers.fresh(dir.resolve("world"));
        Path root = Files.createDirectories(dir.resolve("live/public/system"));
        List<SourceObject> objects = w.fixture.generate(8, MastodonFixture.directory(root), 3000, 21);
        assertThat(objects).anyMatch(o -> o.key().startsWith("cache/"));
        // two files gone (Mastodon lost them), one a directory where a file should be, one unreadable (not as root)
        List<SourceObject> kept = new ArrayList<>(objects);
        SourceObject gone1 = kept.remove(1);
        SourceObject gone2 = kept.remove(kept.size() - 1);
        Files.delete(root.resolve(gone1.key()));
        Files.delete(root.resolve(gone2.key()));
        SourceObject notAFile = kept.remove(3);
        Files.delete(root.resolve(notAFile.key()));
        Files.createDirectories(root.resolve(notAFile.key()));
        Set<String> failedExpected = new HashSet<>(Set.of(notAFile.key()));
        SourceObject unreadable = null;
        if (!isRoot()) {
            unreadable = kept.remove(4);
            Files.setPosixFilePermissions(root.resolve(unreadable.key()), PosixFilePermissions.fromString("---------"));
            failedExpected.add(unreadable.key());
        }
        // one file above the part size: written in parts, read from the file (a failed part from its offset)
        SourceObject small = kept.get(2);
        byte[] large = new byte[6 * 1024 * 1024 + 77];
        new java.util.Random(3).nextBytes(large);
        Files.write(root.resolve(small.key()), large);
        kept.set(2, new SourceObject(small.key(), large, small.contentType(), small.privateAcl()));
        w.env.put("COPY_PART_SIZE", Integer.toString(5 * 1024 * 1024));
        sourceIsDirectory(w, root);
        InProcessRunner.Result config = w.run("config");
        assertThat(config.out()).startsWith("# source store (copy reads from it): a directory (Mastodon's local "
                + "storage), " + root).contains("source.kind ", "S3_ENABLED is not 'true'");

        InProcessRunner.Result dry = w.run("copy", "--dry-run");
        assertThat(dry.code()).as(dry.err()).isZero();
        assertThat(dry.out()).contains(kept.get(0).key() + " -> " + kept.get(0).key());

        InProcessRunner.Result r = w.run("copy");
        assertThat(r.code()).as(r.out() + r.err()).isEqualTo(1);
        JsonNode rep = report(w, "copy");
        assertThat(keys(rep.get("missing_at_source"))).containsExactlyInAnyOrder(gone1.key(), gone2.key());
        assertThat(keys(rep.get("failed"))).containsExactlyInAnyOrderElementsOf(failedExpected);
        // failed at once: a local file that cannot be read stays so (no retries with backoff)
        assertThat(r.out() + r.err()).doesNotContain("unused-directory");

        try (S3Client t = servers.target.client()) {
            List<String> inTarget = t.listObjectsV2Paginator(b -> b.bucket(w.targetBucket)).contents().stream()
                    .map(S3Object::key).toList();
            assertThat(inTarget).containsExactlyInAnyOrderElementsOf(kept.stream().map(SourceObject::key).toList());
            for (SourceObject o : kept) {
                assertThat(t.getObjectAsBytes(b -> b.bucket(w.targetBucket).key(o.key())).asByteArray())
                        .as(o.key()).isEqualTo(o.bytes());
                HeadObjectResponse h = t.headObject(b -> b.bucket(w.targetBucket).key(o.key()));
                assertThat(h.contentType()).as(o.key()).isEqualTo(o.contentType());
                assertThat(h.cacheControl()).isEqualTo(CopyTask.CACHE_CONTROL);
                GetObjectAclResponse acl = t.getObjectAcl(b -> b.bucket(w.targetBucket).key(o.key()));
                boolean publicRead = acl.grants().stream().anyMatch(g -> g.grantee().uri() != null
                        && g.grantee().uri().endsWith("AllUsers") && g.permission() == Permission.READ);
                assertThat(publicRead).as(o.key() + " public-read").isEqualTo(!o.privateAcl());
            }
        }

        // a second pass: every file the bucket has at the same size is skipped
        InProcessRunner.Result again = w.run("copy", "--restart");
        assertThat(again.code()).isEqualTo(1); // the unreadable ones still fail
        JsonNode second = report(w, "copy");
        long copied = 0;
        for (JsonNode t : second.get("tables")) {
            copied += t.get("copied").asLong();
        }
        assertThat(copied).isZero();

        // verify: the unreadable file is there at the source (a stat can see it), not in the target
        InProcessRunner.Result v = w.run("verify");
        if (unreadable == null) {
            assertThat(v.code()).as(v.out() + v.err()).isZero();
        } else {
            assertThat(v.code()).as(v.out() + v.err()).isEqualTo(1);
            assertThat(keys(report(w, "verify").get("missing_in_target"))).containsExactly(unreadable.key());
        }
    }

    @Test
    void aBucketBackToADirectoryAndOnToAnotherDisk(@TempDir Path dir) throws Exception {
        CopyEnvironment.World w = servers.fresh(dir.resolve("world"));
        List<SourceObject> objects;
        try (S3Client s3 = servers.source.client()) {
            objects = w.fixture.generate(6, s3, w.sourceBucket, "", 2500, 22);
        }
        Path back = Files.createDirectories(dir.resolve("back/system"));
        // a symbolic link inside the new root that leads out of it: nothing is written through it
        Path outside = Files.createDirectories(dir.resolve("outside"));
        Files.createSymbolicLink(back.resolve("cache"), outside);
        targetIsDirectory(w, back);

        InProcessRunner.Result r = w.run("copy");
        assertThat(r.code()).as(r.out() + r.err()).isEqualTo(1);
        Set<String> cacheKeys = new HashSet<>();
        objects.stream().filter(o -> o.key().startsWith("cache/")).forEach(o -> cacheKeys.add(o.key()));
        assertThat(cacheKeys).isNotEmpty();
        JsonNode rep = report(w, "copy");
        assertThat(keys(rep.get("failed"))).containsExactlyInAnyOrderElementsOf(cacheKeys);
        assertThat(rep.get("failed").get(0).get("reason").asText()).contains("symbolic link");
        try (Stream<Path> out = Files.walk(outside)) {
            assertThat(out).containsExactly(outside);
        }
        for (SourceObject o : objects) {
            if (cacheKeys.contains(o.key())) {
                continue;
            }
            Path f = back.resolve(o.key());
            assertThat(Files.readAllBytes(f)).as(o.key()).isEqualTo(o.bytes());
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(f))).isEqualTo("rw-r--r--");
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(f.getParent())))
                    .isEqualTo("rwxr-xr-x");
        }
        try (Stream<Path> all = Files.walk(back)) {
            assertThat(all.filter(p -> p.getFileName().toString().endsWith(".part"))).isEmpty();
        }

        // the link removed, the rest is copied and the whole target verifies
        Files.delete(back.resolve("cache"));
        assertThat(w.run("copy").code()).isZero();
        InProcessRunner.Result v = w.run("verify");
        assertThat(v.code()).as(v.out() + v.err()).isZero();
        // a file cut short on disk is found by verify
        SourceObject victim = objects.get(0);
        Files.write(back.resolve(victim.key()), new byte[10]);
        InProcessRunner.Result bad = w.run("verify");
        assertThat(bad.code()).isEqualTo(1);
        assertThat(keys(report(w, "verify").get("different"))).containsExactly(victim.key());

        // directory to directory: the new disk gets the same tree
        CopyEnvironment.World w2 = servers.fresh(dir.resolve("world2"));
        w2.env.clear();
        w2.env.putAll(w.env);
        w2.env.put("COPY_STATE_DIR", dir.resolve("state2").toString());
        Path disk = Files.createDirectories(dir.resolve("newdisk/system"));
        Files.write(back.resolve(victim.key()), victim.bytes());
        sourceIsDirectory(w2, back);
        targetIsDirectory(w2, disk);
        InProcessRunner.Result d = w2.run("copy");
        assertThat(d.code()).as(d.out() + d.err()).isZero();
        for (SourceObject o : objects) {
            assertThat(Files.readAllBytes(disk.resolve(o.key()))).as(o.key()).isEqualTo(o.bytes());
        }
        assertThat(w2.run("verify").code()).isZero();
    }

    @Test
    void badDirectorySettingsStopBeforeAnythingStarts(@TempDir Path dir) throws Exception {
        CopyEnvironment.World w = servers.fresh(dir.resolve("world"));
        Map<String, String> saved = Map.copyOf(w.env);
        w.env.put("TARGET_S3_ENABLED", "false");
        InProcessRunner.Result noRoot = w.run("copy");
        assertThat(noRoot.code()).isEqualTo(2);
        assertThat(noRoot.err()).contains("TARGET_PAPERCLIP_ROOT_PATH is not set");

        w.env.put("TARGET_PAPERCLIP_ROOT_PATH", dir.resolve("nope").toString());
        InProcessRunner.Result missing = w.run("copy");
        assertThat(missing.code()).isEqualTo(2);
        assertThat(missing.err()).contains("does not exist", "mkdir -p");

        w.env.clear();
        w.env.putAll(saved);
        Path root = Files.createDirectories(dir.resolve("system"));
        sourceIsDirectory(w, root);
        targetIsDirectory(w, root.resolve("media_attachments"));
        Files.createDirectories(root.resolve("media_attachments"));
        InProcessRunner.Result nested = w.run("copy");
        assertThat(nested.code()).isEqualTo(2);
        assertThat(nested.err()).contains("one inside the other");

        w.env.clear();
        w.env.putAll(saved);
        sourceIsDirectory(w, root);
        InProcessRunner.Result repair = w.run("repair");
        assertThat(repair.code()).isEqualTo(2);
        assertThat(repair.err()).contains("repair fixes", "S3_ENABLED");
    }
}
