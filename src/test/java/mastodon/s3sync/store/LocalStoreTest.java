package mastodon.s3sync.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Keys as paths under a root: what is refused, how files are written (whole or not at all, 0644/0755). */
class LocalStoreTest {

    @TempDir
    Path dir;

    private LocalStore store() throws IOException {
        Path root = dir.resolve("system");
        Files.createDirectories(root);
        return new LocalStore(root);
    }

    private static InputStream bytes(String s) {
        return new ByteArrayInputStream(s.getBytes(StandardCharsets.UTF_8));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "/etc/passwd", "../outside", "a/../../outside", "a/./b", "a//b", "a/b/", "a\\..\\b",
            "a/\u0000b", "a/b\nc", ".."})
    void unsafeKeysAreRefused(String key) throws IOException {
        LocalStore s = store();
        assertThatThrownBy(() -> s.path(key)).isInstanceOf(LocalStore.UnsafeKeyException.class);
        assertThatThrownBy(() -> s.write(key, bytes("x"), 1)).isInstanceOf(LocalStore.UnsafeKeyException.class);
        try (Stream<Path> all = Files.walk(dir)) {
            assertThat(all.filter(Files::isRegularFile)).isEmpty();
        }
    }

    @Test
    void writesWholeFilesWithModesNginxCanServe() throws IOException {
        LocalStore s = store();
        String key = "media_attachments/files/000/000/001/original/a.png";
        assertThat(s.write(key, bytes("hello"), 5)).isEqualTo(5);
        Path f = s.root().resolve(key);
        assertThat(Files.readString(f)).isEqualTo("hello");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(f))).isEqualTo("rw-r--r--");
        for (Path d = f.getParent(); !d.equals(s.root()); d = d.getParent()) {
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(d))).as(d.toString())
                    .isEqualTo("rwxr-xr-x");
        }
        assertThat(s.targetSize(key)).isEqualTo(5L);
        assertThat(s.sourceSize(key)).isEqualTo(5L);
        // overwritten in place by a new version, nothing left beside it
        s.write(key, bytes("hello, world"), 12);
        assertThat(Files.readString(f)).isEqualTo("hello, world");
        try (Stream<Path> siblings = Files.list(f.getParent())) {
            assertThat(siblings).containsExactly(f);
        }
    }

    @Test
    void aShortOrLongStreamLeavesNothing() throws IOException {
        LocalStore s = store();
        s.write("a/b.png", bytes("old"), 3);
        assertThatThrownBy(() -> s.write("a/b.png", bytes("new!"), 10)).hasMessageContaining("4 of the 10 bytes");
        assertThatThrownBy(() -> s.write("a/b.png", bytes("much longer"), 4)).hasMessageContaining("more than the 4");
        assertThatThrownBy(() -> s.write("a/c.png", bytes("x"), 2)).isInstanceOf(IOException.class);
        assertThat(Files.readString(s.root().resolve("a/b.png"))).isEqualTo("old");
        try (Stream<Path> siblings = Files.list(s.root().resolve("a"))) {
            assertThat(siblings.map(p -> p.getFileName().toString())).containsExactly("b.png");
        }
    }

    @Test
    void aSymbolicLinkOutOfTheRootIsNotWrittenThrough() throws IOException {
        LocalStore s = store();
        Path outside = Files.createDirectories(dir.resolve("outside"));
        Files.createSymbolicLink(s.root().resolve("cache"), outside);
        assertThatThrownBy(() -> s.write("cache/accounts/avatars/x.png", bytes("x"), 1))
                .isInstanceOf(LocalStore.UnsafeKeyException.class).hasMessageContaining("symbolic link");
        assertThatThrownBy(() -> s.write("cache/x.png", bytes("x"), 1))
                .isInstanceOf(LocalStore.UnsafeKeyException.class);
        try (Stream<Path> all = Files.walk(outside)) {
            assertThat(all).containsExactly(outside);
        }
        // a link that stays inside the root is a directory like any other
        Path inside = Files.createDirectories(s.root().resolve("real"));
        Files.createSymbolicLink(s.root().resolve("alias"), inside);
        s.write("alias/y.png", bytes("y"), 1);
        assertThat(Files.readString(inside.resolve("y.png"))).isEqualTo("y");
    }

    @Test
    void aSourceFollowsLinksAndReportsWhatIsMissing() throws IOException {
        LocalStore s = store();
        Path elsewhere = Files.createDirectories(dir.resolve("bigdisk/cache"));
        Files.writeString(elsewhere.resolve("z.png"), "zz");
        Files.createSymbolicLink(s.root().resolve("cache"), elsewhere);
        assertThat(s.sourceSize("cache/z.png")).isEqualTo(2L);
        try (InputStream in = Files.newInputStream(s.file("cache/z.png").toPath())) {
            assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("zz");
        }
        assertThat(s.sourceSize("cache/none.png")).isNull();
        assertThatThrownBy(() -> s.file("cache/none.png")).isInstanceOf(NoSuchFileException.class);
        // a target does not count a link as a copy
        assertThat(s.targetSize("cache/z.png")).isEqualTo(2L); // the link is a directory on the way, the file is real
        Files.createSymbolicLink(s.root().resolve("linked.png"), elsewhere.resolve("z.png"));
        assertThat(s.targetSize("linked.png")).isNull();
    }

    @Test
    void aDirectoryWhereAFileShouldBeIsAnError() throws IOException {
        LocalStore s = store();
        Files.createDirectories(s.root().resolve("a/b.png"));
        assertThatThrownBy(() -> s.file("a/b.png")).hasMessageContaining("is a directory");
        assertThatThrownBy(() -> s.sourceSize("a/b.png")).hasMessageContaining("not a regular file");
        assertThatThrownBy(() -> s.write("a/b.png", bytes("x"), 1)).hasMessageContaining("is a directory");
        Files.writeString(s.root().resolve("file"), "x");
        assertThatThrownBy(() -> s.write("file/c.png", bytes("x"), 1)).isInstanceOf(IOException.class);
    }

    @Test
    void theRootMustExist() {
        assertThatThrownBy(() -> new LocalStore(dir.resolve("nope"))).isInstanceOf(NoSuchFileException.class);
    }
}
