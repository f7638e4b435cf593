package mastodon.s3sync.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** EnvFile reads .env.production as the dotenv gem (Mastodon) does. */
class EnvFileTest {

    private static Map<String, String> parse(String... lines) {
        return EnvFile.parse(List.of(lines));
    }

    @Test
    void plainAssignmentsCommentsAndBlankLines() {
        Map<String, String> m = parse("# Mastodon", "", "   ", "LOCAL_DOMAIN=example.social", "  # indented comment",
                "DB_HOST=/var/run/postgresql", "  DB_PORT = 5432  ");
        assertThat(m).containsExactly(Map.entry("LOCAL_DOMAIN", "example.social"),
                Map.entry("DB_HOST", "/var/run/postgresql"), Map.entry("DB_PORT", "5432"));
    }

    @Test
    void exportPrefixIsDropped() {
        assertThat(parse("export S3_BUCKET=media", "export\tS3_REGION=eu-west-1"))
                .containsExactly(Map.entry("S3_BUCKET", "media"), Map.entry("S3_REGION", "eu-west-1"));
    }

    @Test
    void singleQuotesAreLiteral() {
        assertThat(parse("DB_PASS='a \\n b # not a comment $HOME \"x\"'  # comment"))
                .containsEntry("DB_PASS", "a \\n b # not a comment $HOME \"x\"");
    }

    @Test
    void doubleQuotesExpandNewlinesAndUnescape() {
        Map<String, String> m = parse("A=\"line1\\nline2\"", "B=\"say \\\"hi\\\" \\\\ back\"", "C=\"tab\\t\"",
                "D=\"cost \\$5 # kept\" # dropped", "E=\"cr\\r\"");
        assertThat(m.get("A")).isEqualTo("line1\nline2");
        assertThat(m.get("B")).isEqualTo("say \"hi\" \\ back");
        assertThat(m.get("C")).isEqualTo("tabt"); // dotenv turns only \n and \r into control characters
        assertThat(m.get("D")).isEqualTo("cost $5 # kept");
        assertThat(m.get("E")).isEqualTo("cr\r");
    }

    @Test
    void unquotedValuesEndAtAHash() {
        // dotenv: '#' starts a comment in an unquoted value even without a space (Mastodon's wizard quotes it)
        Map<String, String> m = parse("A=value # comment", "B=pass#word", "C=https://example.com/#frag");
        assertThat(m).containsEntry("A", "value").containsEntry("B", "pass").containsEntry("C", "https://example.com/");
    }

    @Test
    void emptyValues() {
        assertThat(parse("S3_PERMISSION=", "B=\"\"", "C=''", "D= # only a comment"))
                .containsExactly(Map.entry("S3_PERMISSION", ""), Map.entry("B", ""), Map.entry("C", ""), Map.entry("D", ""));
    }

    @Test
    void variablesAreSubstitutedFromTheFileThenTheEnvironment() {
        Map<String, String> m = EnvFile.parse(List.of("DB_USER=mastodon", "A=$DB_USER-x", "B=\"${DB_USER}@${HOST_FROM_ENV}\"",
                "C='$DB_USER'", "D=\\$DB_USER", "E=$UNSET_ANYWHERE.", "F=50$"), Map.of("HOST_FROM_ENV", "db1", "DB_USER", "ignored"));
        assertThat(m).containsEntry("A", "mastodon-x").containsEntry("B", "mastodon@db1").containsEntry("C", "$DB_USER")
                .containsEntry("D", "$DB_USER").containsEntry("E", ".").containsEntry("F", "50$");
    }

    @Test
    void linesThatAreNotAssignmentsAreIgnored() {
        assertThat(parse("just words", "=novalue", "1BAD=x", "GOOD=1")).containsExactly(Map.entry("GOOD", "1"));
    }

    @Test
    void laterAssignmentsWin() {
        assertThat(parse("A=1", "A=2")).containsExactly(Map.entry("A", "2"));
    }

    @Test
    void readsAFileAndRefusesAMissingOne(@TempDir Path dir) throws IOException {
        Path f = dir.resolve(".env.production");
        Files.writeString(f, "S3_BUCKET=media\r\nDB_NAME=\"mastodon\"\n");
        assertThat(EnvFile.read(f)).containsExactly(Map.entry("S3_BUCKET", "media"), Map.entry("DB_NAME", "mastodon"));
        assertThatThrownBy(() -> EnvFile.read(dir.resolve("missing"))).isInstanceOf(IOException.class)
                .hasMessageContaining("does not exist");
    }
}
