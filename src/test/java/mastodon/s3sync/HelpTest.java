package mastodon.s3sync;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Help where people look for it: -h, --help, help, help COMMAND, COMMAND --help; --version; no command. */
@Timeout(30)
class HelpTest {

    private static InProcessRunner.Result run(Path dir, String... args) {
        return new InProcessRunner(Map.of(), dir).programName("bin/mastodon-s3-sync").launcher((files, props) -> {
            throw new AssertionError("help must start nothing");
        }).run(args);
    }

    @Test
    void helpWordsPrintTheUsageWithTheLauncherNameAndExitZero(@TempDir Path dir) {
        for (String word : new String[] {"--help", "-h", "help"}) {
            InProcessRunner.Result r = run(dir, word);
            assertThat(r.code()).as(word).isEqualTo(Application.OK);
            assertThat(r.err()).as(word).isEmpty();
            assertThat(r.out()).as(word).startsWith("Usage: bin/mastodon-s3-sync COMMAND [OPTIONS]")
                    .contains("  copy ", "  verify ", "  config ", "--env-file PATH", "Examples:",
                            "bin/mastodon-s3-sync copy --env-file /home/mastodon/live/.env.production")
                    .doesNotContain("java -jar target/");
        }
    }

    @Test
    void eachCommandHasItsOwnHelpWithOptionsAndExamples(@TempDir Path dir) {
        for (String[] args : new String[][] {{"copy", "--help"}, {"copy", "-h"}, {"help", "copy"}, {"--help", "copy"},
                {"copy", "--only", "accounts", "--help"}, {"copy", "--no-such-option", "-h"}}) {
            InProcessRunner.Result r = run(dir, args);
            assertThat(r.code()).as(String.join(" ", args)).isEqualTo(Application.OK);
            assertThat(r.out()).as(String.join(" ", args))
                    .startsWith("Usage: bin/mastodon-s3-sync copy [OPTIONS]")
                    .contains("--dry-run", "--only VALUE", "--env-file PATH", "-h, --help", "Examples:",
                            "bin/mastodon-s3-sync copy --dry-run --only media_attachments --limit 100 > keys.txt")
                    .doesNotContain("--resync"); // another command's option
        }
        for (CommandLine.Spec s : Commands.ALL.stream().filter(s -> !s.name().equals("help")).toList()) {
            InProcessRunner.Result r = run(dir, s.name(), "--help");
            assertThat(r.code()).as(s.name()).isEqualTo(Application.OK);
            assertThat(r.out()).as(s.name()).startsWith("Usage: bin/mastodon-s3-sync " + s.name()).contains("Examples:");
            for (CommandLine.Option o : s.options()) {
                assertThat(r.out()).as(s.name()).contains(o.name());
            }
        }
    }

    @Test
    void anEnvFileNamedLikeHelpIsAPathNotAHelpRequest(@TempDir Path dir) {
        InProcessRunner.Result r = run(dir, "config", "--env-file", "-h");
        assertThat(r.code()).isEqualTo(Application.BAD_CONFIG);
        assertThat(r.err()).contains("--env-file '-h' does not exist");
    }

    @Test
    void noCommandPrintsTheUsageOnStderrAndExitsTwo(@TempDir Path dir) {
        InProcessRunner.Result r = run(dir);
        assertThat(r.code()).isEqualTo(Application.BAD_CONFIG);
        assertThat(r.out()).isEmpty();
        assertThat(r.err()).startsWith("error: no command given.").contains("Usage: bin/mastodon-s3-sync COMMAND",
                "  copy ", "  mirror ");
    }

    @Test
    void helpForAnUnknownCommandExitsTwoNamingTheCommands(@TempDir Path dir) {
        InProcessRunner.Result r = run(dir, "help", "cpy");
        assertThat(r.code()).isEqualTo(Application.BAD_CONFIG);
        assertThat(r.err()).contains("unknown command 'cpy'", "copy, verify, repair, run");
        InProcessRunner.Result unknown = run(dir, "cpy", "--help");
        assertThat(unknown.code()).isEqualTo(Application.BAD_CONFIG);
        assertThat(unknown.err()).contains("unknown command 'cpy'");
    }

    @Test
    void versionPrintsTheVersionAndCamelsAndJavas(@TempDir Path dir) {
        InProcessRunner.Result r = run(dir, "--version");
        assertThat(r.code()).isEqualTo(Application.OK);
        assertThat(r.out()).startsWith("mastodon-s3-sync 0.").contains("Apache Camel 4.17.0",
                "Java " + System.getProperty("java.version")).doesNotContain("unknown");
    }

    @Test
    void withoutALauncherNameTheUsageShowsTheJavaJarForm(@TempDir Path dir) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        String saved = System.clearProperty("app.name");
        try {
            new Application(Map.of(), new PrintStream(out, true, StandardCharsets.UTF_8), System.err, dir)
                    .run(new String[] {"--help"});
        } finally {
            if (saved != null) {
                System.setProperty("app.name", saved);
            }
        }
        assertThat(out.toString(StandardCharsets.UTF_8)).startsWith("Usage: java -jar mastodon-s3-sync.jar COMMAND");
    }
}
