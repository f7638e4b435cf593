package mastodon.s3sync.copy;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import mastodon.s3sync.testing.ChildJvm;
import mastodon.s3sync.testing.MastodonFixture;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * {@code copy --dry-run > keys.txt}: in a separate JVM (as the jar runs), stdout holds the key lines and nothing else;
 * the summary, the logs and any library's chatter go to stderr.
 */
@Timeout(120)
@CopyServers
class DryRunStdoutTest {

    static CopyEnvironment servers;

    @BeforeAll
    static void start(CopyEnvironment shared) throws Exception {
        servers = shared;
    }

    @Test
    void stdoutHoldsOnlyTheKeys(@TempDir Path dir) throws Exception {
        CopyEnvironment.World w = servers.fresh(dir);
        List<String> keys = List.of("site_uploads/files/000/000/003/original/3030303030303030.png",
                "site_uploads/files/000/000/003/@1x/3030303030303030.png",
                "site_uploads/files/000/000/003/@2x/3030303030303030.png");
        w.fixture.sql("INSERT INTO site_uploads (id, var, file_file_name, file_content_type) VALUES "
                + "(3, 'thumbnail', '3030303030303030.png', 'image/png')");
        try (S3Client s3 = servers.source.client()) {
            for (String k : keys) {
                MastodonFixture.put(s3, w.sourceBucket, "", k, MastodonFixture.bytes(k, 100));
            }
        }
        List<String> cmd = ChildJvm.command("-Xmx256m", "copy", "--dry-run", "--only", "site_uploads");
        Path stdout = dir.resolve("keys.txt");
        Path stderr = dir.resolve("stderr.txt");
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(w.workDir.toFile()).redirectOutput(stdout.toFile())
                .redirectError(stderr.toFile());
        pb.environment().putAll(w.env);
        Process p = pb.start();
        assertThat(p.waitFor(100, TimeUnit.SECONDS)).isTrue();
        String err = Files.readString(stderr, StandardCharsets.UTF_8);
        assertThat(p.exitValue()).as(err).isZero();
        List<String> lines = Files.readAllLines(stdout, StandardCharsets.UTF_8);
        assertThat(lines).as("stdout, with stderr:\n" + err).hasSize(3)
                .allMatch(l -> l.matches("site_uploads/files/000/000/003/\\S+ -> site_uploads/\\S+  \\[image/png, acl "
                        + "public-read\\]"));
        assertThat(lines.stream().map(l -> l.substring(0, l.indexOf(' ')))).containsExactlyInAnyOrderElementsOf(keys);
        assertThat(err).contains("copy (dry run)", "listed").doesNotContain(keys.get(0) + " -> ");
    }
}
