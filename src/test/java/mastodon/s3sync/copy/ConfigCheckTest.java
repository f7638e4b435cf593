package mastodon.s3sync.copy;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import mastodon.s3sync.Application;
import mastodon.s3sync.InProcessRunner;

/** config leads with the stores and the database, warns about what copy would refuse; --check connects to each. */
@Timeout(120)
@CopyServers
class ConfigCheckTest {

    static CopyEnvironment servers;

    @BeforeAll
    static void start(CopyEnvironment shared) throws Exception {
        servers = shared;
    }

    private static int indexOf(List<String> lines, String prefix) {
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).startsWith(prefix)) {
                return i;
            }
        }
        throw new AssertionError("no line starting with " + prefix + " in\n" + String.join("\n", lines));
    }

    @Test
    void leadsWithTheStoresAndTheDatabaseThenTheRest(@TempDir Path dir) throws Exception {
        CopyEnvironment.World w = servers.fresh(dir);
        w.env.remove("COPY_STATE_DIR");
        w.env.put("XDG_STATE_HOME", dir.resolve("xdg").toString());
        InProcessRunner.Result r = w.run("config");
        assertThat(r.code()).isZero();
        assertThat(r.err()).isEmpty();
        List<String> lines = Arrays.asList(r.out().split("\n"));
        assertThat(lines.get(0)).isEqualTo("# source store (copy reads from it): S3-compatible at "
                + servers.source.endpoint() + ", bucket '" + w.sourceBucket + "', no key prefix");
        assertThat(lines.get(1)).startsWith("source.kind ").contains("= bucket");
        assertThat(lines.get(2)).startsWith("source.endpoint ");
        int bucket = indexOf(lines, "source.bucket ");
        int prefix = indexOf(lines, "source.key-prefix ");
        int target = indexOf(lines, "# target store (copy writes to it): S3-compatible at " + servers.target.endpoint()
                + ", bucket '" + w.targetBucket + "'");
        int db = indexOf(lines, "# database: PostgreSQL " + servers.pg.user() + "@" + servers.pg.host() + ":"
                + servers.pg.port() + "/" + w.db);
        int copy = indexOf(lines, "# copy, verify, run");
        assertThat(List.of(bucket, prefix, target, indexOf(lines, "target.bucket "), db, indexOf(lines, "db.host "),
                copy, indexOf(lines, "copy.page-size "))).isSorted();
        // the README's default, not "(unset)"
        String state = dir.resolve("xdg/mastodon-s3-sync/" + w.db + "-" + w.sourceBucket + "-to-" + w.targetBucket)
                .toString();
        assertThat(lines.get(indexOf(lines, "copy.state-dir "))).contains(state).contains("# default: this user's");
        assertThat(lines.get(indexOf(lines, "copy.report-file "))).contains(state).contains("/copy-report.json")
                .doesNotContain("(unset)");
        assertThat(r.out()).doesNotContain(servers.source.secretKey, servers.target.secretKey);
    }

    @Test
    void warnsAboutWhatCopyWouldRefuseAndCheckExitsTwo(@TempDir Path dir) throws Exception {
        CopyEnvironment.World w = servers.fresh(dir);
        w.env.remove("S3_BUCKET");
        InProcessRunner.Result r = w.run("config");
        assertThat(r.code()).as("config only shows").isZero();
        assertThat(r.err()).contains("warning: copy, verify and run would refuse to start: the source bucket is not "
                + "set. Fix: set S3_BUCKET");
        assertThat(r.out()).contains("bucket (not set)");

        InProcessRunner.Result checked = w.run("config", "--check");
        assertThat(checked.code()).isEqualTo(Application.BAD_CONFIG);
        assertThat(checked.err()).contains("the source bucket is not set", "config --check found");
    }

    @Test
    void checkConnectsToEachStoreAndTheDatabase(@TempDir Path dir) throws Exception {
        CopyEnvironment.World w = servers.fresh(dir);
        InProcessRunner.Result ok = w.run("config", "--check");
        assertThat(ok.code()).as(ok.err()).isZero();
        assertThat(ok.out()).contains("check source store bucket '" + w.sourceBucket + "' at "
                        + servers.source.endpoint() + ": ok",
                "check target store bucket '" + w.targetBucket + "' at " + servers.target.endpoint() + ": ok",
                "database '" + w.db + "' at ", "can start");

        // the target refuses these credentials; the database does not exist: both named, exit 2
        w.env.put("TARGET_AWS_SECRET_ACCESS_KEY", "wrong-secret-do-not-print");
        w.env.put("DB_NAME", "no_such_database");
        InProcessRunner.Result bad = w.run("config", "--check");
        assertThat(bad.code()).isEqualTo(Application.BAD_CONFIG);
        assertThat(bad.out()).contains("check source store bucket '" + w.sourceBucket + "' at "
                + servers.source.endpoint() + ": ok", "check target store", ": FAILED");
        assertThat(bad.err()).contains("error: target ", "TARGET_AWS_", "no_such_database", "found 2 problem(s)");
        assertThat(bad.out() + bad.err()).doesNotContain("wrong-secret-do-not-print", servers.source.secretKey);
    }

    @Test
    void anEnvFileThatSetsNothingIsNamed(@TempDir Path dir) throws Exception {
        CopyEnvironment.World w = servers.fresh(dir);
        Path garbage = dir.resolve("garbage.env");
        Files.write(garbage, new byte[] {0x7f, 'E', 'L', 'F', 2, 1, 1, 0, '\n', 'x', 'y', '\n'});
        InProcessRunner.Result r = w.run("config", "--env-file", garbage.toString());
        assertThat(r.code()).isZero();
        assertThat(r.err()).contains("warning: the env file " + garbage + " set none of the variables this tool "
                + "reads", "Fix: point --env-file");
    }
}
