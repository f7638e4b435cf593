package mastodon.s3sync.mirror;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;

class PrefixMappingTest {

    private static PrefixMapping mapping() {
        Map<String, Path> m = new LinkedHashMap<>();
        m.put("test-folder/", Path.of("/srv/a"));
        m.put("test-folder/folder-01/", Path.of("/srv/web-pages/html/"));
        m.put("test", Path.of("/srv/t"));
        return new PrefixMapping(m);
    }

    @Test
    void factsDocWorkedExample() {
        PrefixMapping.Resolution r = new PrefixMapping(Map.of("test-folder/folder-01/", Path.of("/srv/web-pages/html/")))
                .resolve("test-folder/folder-01/folder-02/peccancy.html");
        assertThat(r.status()).isEqualTo(PrefixMapping.Status.MAPPED);
        assertThat(r.file()).isEqualTo(Path.of("/srv/web-pages/html/folder-02/peccancy.html"));
        assertThat(r.relativePath()).isEqualTo("folder-02/peccancy.html");
    }

    @Test
    void longestPrefixWinsWhateverTheOrder() {
        PrefixMapping m = mapping();
        assertThat(m.resolve("test-folder/folder-01/folder-02/peccancy.html").file())
                .isEqualTo(Path.of("/srv/web-pages/html/folder-02/peccancy.html"));
        assertThat(m.resolve("test-folder/folder-010/x.html").file()).isEqualTo(Path.of("/srv/a/folder-010/x.html"));
        assertThat(m.resolve("test-folder/x.html").file()).isEqualTo(Path.of("/srv/a/x.html"));
        assertThat(m.resolve("testing/x.html").file()).isEqualTo(Path.of("/srv/t/ing/x.html"));
        // the same mappings given in the other order
        Map<String, Path> rev = new LinkedHashMap<>();
        rev.put("test", Path.of("/srv/t"));
        rev.put("test-folder/folder-01/", Path.of("/srv/web-pages/html"));
        rev.put("test-folder/", Path.of("/srv/a"));
        assertThat(new PrefixMapping(rev).resolve("test-folder/folder-01/y").file())
                .isEqualTo(Path.of("/srv/web-pages/html/y"));
    }

    @Test
    void emptyPrefixMapsTheWholeBucket() {
        PrefixMapping m = new PrefixMapping(Map.of("", Path.of("/srv/all"), "media/", Path.of("/srv/media")));
        assertThat(m.resolve("a/b.txt").file()).isEqualTo(Path.of("/srv/all/a/b.txt"));
        assertThat(m.resolve("media/c.png").file()).isEqualTo(Path.of("/srv/media/c.png"));
    }

    @Test
    void unmappedAndFolders() {
        PrefixMapping m = mapping();
        assertThat(m.resolve("other/x").status()).isEqualTo(PrefixMapping.Status.UNMAPPED);
        assertThat(m.resolve("test-folder/sub/").status()).isEqualTo(PrefixMapping.Status.FOLDER);
        assertThat(m.resolve("test-folder/").status()).isEqualTo(PrefixMapping.Status.FOLDER);
        assertThat(m.resolve("other/").status()).isEqualTo(PrefixMapping.Status.FOLDER);
    }

    @Test
    void traversalIsRefused() {
        PrefixMapping m = mapping();
        for (String key : new String[] {"test-folder/../etc/passwd", "test-folder/a/../../b", "test-folder/..",
                "test-folder//etc/passwd", "test-folder/a//b", "test-folder/./a", "test-folder/a\0b", "test-folder/a/..",
                "test-folder/folder-01/../x", "test-folder/folder-01/..", "test/../x"}) {
            assertThat(m.resolve(key).status()).as(key).isEqualTo(PrefixMapping.Status.REJECTED);
            assertThat(m.resolve(key).file()).as(key).isNull();
        }
        // dots inside names are fine
        assertThat(m.resolve("test-folder/a..b/..c").file()).isEqualTo(Path.of("/srv/a/a..b/..c"));
        assertThat(m.resolve("test-folder/.hidden").file()).isEqualTo(Path.of("/srv/a/.hidden"));
    }

    @Test
    void prefixWithoutSlashLeavingNothingIsRefused() {
        PrefixMapping m = new PrefixMapping(Map.of("logs", Path.of("/srv/logs")));
        assertThat(m.resolve("logs").status()).isEqualTo(PrefixMapping.Status.REJECTED);
        assertThat(m.resolve("logs/x").status()).isEqualTo(PrefixMapping.Status.REJECTED); // "/x" is absolute
        assertThat(m.resolve("logs.1").file()).isEqualTo(Path.of("/srv/logs/.1"));
    }

    @Test
    void keyOfIsTheInverse() {
        PrefixMapping m = mapping();
        PrefixMapping.Resolution r = m.resolve("test-folder/folder-01/d/e f.txt");
        assertThat(PrefixMapping.keyOf(r.entry(), r.file())).isEqualTo("test-folder/folder-01/d/e f.txt");
    }

    @Test
    void namesTheWriterWouldMisreadOrNoFilesystemHoldsAreRefused() {
        PrefixMapping m = mapping();
        for (String key : new String[] {"test-folder/..\\x", "test-folder/a\\b", "test-folder/${sysenv.HOME}",
                "test-folder/$simple{header.x}", "test-folder/" + "a".repeat(243), "test-folder/" + "\u00e9".repeat(122),
                "test-folder/" + "d".repeat(256) + "/x", "test-folder/" + "dd/".repeat(1400) + "x"}) {
            assertThat(m.resolve(key).status()).as(key).isEqualTo(PrefixMapping.Status.REJECTED);
        }
        // the limits themselves: a 242-byte file name (255 with the temporary name), a 255-byte directory name
        assertThat(m.resolve("test-folder/" + "a".repeat(242)).status()).isEqualTo(PrefixMapping.Status.MAPPED);
        assertThat(m.resolve("test-folder/" + "\u00e9".repeat(121)).status()).isEqualTo(PrefixMapping.Status.MAPPED);
        assertThat(m.resolve("test-folder/" + "d".repeat(255) + "/x").status()).isEqualTo(PrefixMapping.Status.MAPPED);
        assertThat(m.resolve("test-folder/$HOME{x}").status()).isEqualTo(PrefixMapping.Status.MAPPED);
    }

    @Test
    void unicodeNormalisationPairsAreTwoFiles() {
        PrefixMapping m = mapping();
        Path nfc = m.resolve("test-folder/caf\u00e9.txt").file();
        Path nfd = m.resolve("test-folder/cafe\u0301.txt").file();
        assertThat(nfc).isNotNull().isNotEqualTo(nfd);
        assertThat(nfd).isNotNull();
    }
}
