package mastodon.s3sync.copy;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import mastodon.s3sync.testing.ChildJvm;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Progress as a person and as a log see it: on a terminal (a pseudo-terminal from util-linux {@code script}) one bar
 * redrawn in place and no progress lines; in a pipe, lines and no bar.
 */
@Timeout(300)
@CopyServers
class TerminalProgressTest {

    static CopyEnvironment servers;

    @BeforeAll
    static void start(CopyEnvironment shared) throws Exception {
        servers = shared;
    }

    private static String run(CopyEnvironment.World w, boolean terminal) throws Exception {
        String java = ChildJvm.shellLine("-Xmx256m", "copy", "--restart");
        List<String> cmd = new ArrayList<>(terminal ? List.of("script", "-q", "-e", "-c", java, "/dev/null")
                : List.of("sh", "-c", java));
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(w.workDir.toFile()).redirectErrorStream(true)
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        pb.environment().putAll(w.env);
        Process p = pb.start();
        byte[] out = p.getInputStream().readAllBytes();
        assertThat(p.waitFor(200, TimeUnit.SECONDS)).isTrue();
        String s = new String(out, StandardCharsets.UTF_8);
        assertThat(p.exitValue()).as(s).isZero();
        return s;
    }

    @Test
    void aTerminalGetsOneLiveBarAndAPipeGetsLines(@TempDir Path dir) throws Exception {
        CopyEnvironment.World w = servers.fresh(dir);
        try (S3Client s3 = servers.source.client()) {
            w.fixture.generate(10, s3, w.sourceBucket, "", 2000, 7);
        }
        // slow enough to be watched for a few seconds
        w.env.put("COPY_REQUESTS_PER_SECOND", "25");
        w.env.put("COPY_CONCURRENCY", "2");

        String pipe = run(w, false);
        // a fresh target for the second run, so that it copies as long as the first
        servers.target.createBucket(w.targetBucket + "-tty");
        w.env.put("TARGET_S3_BUCKET", w.targetBucket + "-tty");
        String tty = run(w, true);
        assertThat(tty).as(tty).contains("\r" + "copy").contains(" rows").contains("copied ").contains("total");
        assertThat(tty).as("no progress lines on a terminal").doesNotContain("| working:");

        assertThat(pipe).as(pipe).contains("| working:").doesNotContain("\r");
    }
}
