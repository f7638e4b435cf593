package mastodon.s3sync.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
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
    void unreadableLinesAreReportedByNumberWithoutTheirText(@TempDir Path dir) throws IOException {
        Path f = dir.resolve(".env.production");
        byte[] junk = {'J', 'U', 'N', 'K', '=', (byte) 0xC3, (byte) 0x28, 's', 'e', 'c', 'r', 'e', 't', '1'};
        try (var out = Files.newOutputStream(f)) {
            out.write(String.join("\n",
                    "\uFEFFS3_BUCKET=media",                 // 1: a byte order mark is not part of the name
                    "DB_PASS='secret2 unclosed",              // 2
                    "OTP_SECRET=\"secret3 unclosed",          // 3
                    "secret4 without an equals sign",         // 4
                    "BAD KEY=secret5",                        // 5
                    "=secret6",                               // 6
                    "NUL=a\u0000secret7",                     // 7
                    "# a comment",                            // 8
                    "").getBytes(StandardCharsets.UTF_8));
            out.write(junk);                                  // 9: not UTF-8
            out.write("\nDB_NAME=mastodon\n".getBytes(StandardCharsets.UTF_8)); // 10
        }
        List<String> warnings = new ArrayList<>();
        Map<String, String> m = EnvFile.read(f, Map.of(), (line, what) -> warnings.add(line + ": " + what));
        assertThat(warnings).containsExactly(
                "2: unclosed ' quote in the value of DB_PASS, read to the end of the line",
                "3: unclosed \" quote in the value of OTP_SECRET, read to the end of the line",
                "4: not a NAME=value assignment (no '='), line ignored",
                "5: the text before '=' is not a variable name (letters, digits, _ and ., not first a digit), line ignored",
                "6: no variable name before '=', line ignored",
                "7: holds control characters (binary data?), line ignored",
                "9: not UTF-8 text (binary data?), line ignored");
        assertThat(String.join("\n", warnings)).doesNotContain("secret");
        // what could be read is, as before: unclosed quotes run to the end of the line
        assertThat(m).containsExactly(Map.entry("S3_BUCKET", "media"), Map.entry("DB_PASS", "secret2 unclosed"),
                Map.entry("OTP_SECRET", "secret3 unclosed"), Map.entry("DB_NAME", "mastodon"));
    }

    @Test
    void aWellFormedFileGivesNoWarning() {
        List<String> warnings = new ArrayList<>();
        EnvFile.parse(List.of("# c", "", "export A=1", "B='x' # c", "C=\"y\"", "D=", "E=a b"), Map.of(),
                (line, what) -> warnings.add(line + ": " + what));
        assertThat(warnings).isEmpty();
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
