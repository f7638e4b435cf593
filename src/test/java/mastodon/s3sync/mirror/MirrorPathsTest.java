package mastodon.s3sync.mirror;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The file-system checks of the mirror: links on the path, leftovers of interrupted writes. */
class MirrorPathsTest {

    @TempDir
    Path tmp;

    @Test
    void aLinkAmongTheDirectoriesIsReportedTheLastPartIsNot() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("srv"));
        Path outside = Files.createDirectories(tmp.resolve("outside"));
        Files.createDirectories(dir.resolve("real/sub"));
        Files.createSymbolicLink(dir.resolve("link"), outside);
        Files.createSymbolicLink(dir.resolve("real/sub/inner"), dir.resolve("real"));
        Files.createSymbolicLink(dir.resolve("file-link"), outside.resolve("x"));
        assertThat(Mirror.linkOnPath(dir, dir.resolve("link/x.txt"))).contains("'link' is a symbolic link");
        assertThat(Mirror.linkOnPath(dir, dir.resolve("link/deeper/x.txt"))).contains("'link'");
        assertThat(Mirror.linkOnPath(dir, dir.resolve("real/sub/inner/x.txt"))).contains("'real/sub/inner'");
        assertThat(Mirror.linkOnPath(dir, dir.resolve("real/sub/x.txt"))).isNull();
        assertThat(Mirror.linkOnPath(dir, dir.resolve("not/yet/there.txt"))).isNull();
        assertThat(Mirror.linkOnPath(dir, dir.resolve("file-link"))).isNull(); // replaced or removed, not followed
    }

    @Test
    void leftoversAreRemovedWithoutFollowingLinks() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("srv"));
        Path outside = Files.createDirectories(tmp.resolve("outside"));
        Files.writeString(outside.resolve(".kept.mirror-part"), "outside");
        Files.createDirectories(dir.resolve("a/b"));
        Files.writeString(dir.resolve("a/b/.x.txt.mirror-part"), "partial");
        Files.writeString(dir.resolve(".top.mirror-part"), "partial");
        Files.writeString(dir.resolve("a/x.mirror-part"), "not ours: no leading dot");
        Files.createSymbolicLink(dir.resolve("a/.link.mirror-part"), outside.resolve(".kept.mirror-part"));
        Files.createSymbolicLink(dir.resolve("out"), outside);
        int removed = Mirror.removeTemporaryFiles(new PrefixMapping(java.util.Map.of("p/", dir)));
        assertThat(removed).isEqualTo(3);
        assertThat(dir.resolve("a/b/.x.txt.mirror-part")).doesNotExist();
        assertThat(dir.resolve(".top.mirror-part")).doesNotExist();
        assertThat(Files.exists(dir.resolve("a/.link.mirror-part"), java.nio.file.LinkOption.NOFOLLOW_LINKS)).isFalse();
        assertThat(dir.resolve("a/x.mirror-part")).exists();
        assertThat(outside.resolve(".kept.mirror-part")).hasContent("outside");
    }
}
