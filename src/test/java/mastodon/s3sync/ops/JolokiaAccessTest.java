package mastodon.s3sync.ops;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Jolokia's users file (made private on first start, refused when others can read it) and the origin rule. */
class JolokiaAccessTest {

    @TempDir
    Path dir;

    @Test
    void firstStartMakesAPrivateFileWithARandomPassword() throws Exception {
        Path file = dir.resolve("state/jolokia-users.properties");
        assertThat(JolokiaUsers.prepare(file)).isNull();
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        String first = Files.readString(file);
        assertThat(first).containsPattern("(?m)^user\\.hawtio = [A-Za-z0-9_-]{24}$");
        // kept as it is on the next start; another file gets another password
        assertThat(JolokiaUsers.prepare(file)).isNull();
        assertThat(Files.readString(file)).isEqualTo(first);
        Path other = dir.resolve("other.properties");
        assertThat(JolokiaUsers.prepare(other)).isNull();
        assertThat(Files.readString(other)).isNotEqualTo(first);
    }

    @Test
    void anAdminsFileIsUsedWhenPrivateAndRefusedWhenOthersCanReadIt() throws Exception {
        Path file = dir.resolve("users.properties");
        Files.writeString(file, "user.admin = my-own-password\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
        assertThat(JolokiaUsers.prepare(file)).contains(file.toString(), "open to other users", "rw-r--r--",
                "chmod 600 " + file);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        assertThat(JolokiaUsers.prepare(file)).isNull();
        assertThat(Files.readString(file)).isEqualTo("user.admin = my-own-password\n");
        Files.writeString(file, "# nobody\nuser.admin =\n");
        assertThat(JolokiaUsers.prepare(file)).contains("has no 'user.NAME = PASSWORD' line");
    }

    @Test
    void onlyHawtiosOriginOrNoOriginPasses() {
        JolokiaOriginGuard guard = new JolokiaOriginGuard(List.of("http://localhost:8080", " http://127.0.0.1:8080/ "));
        assertThat(guard.refusal(null, null)).isNull(); // curl, scripts, Hawtio opened without a browser Origin
        assertThat(guard.refusal("http://localhost:8080", null)).isNull();
        assertThat(guard.refusal("HTTP://127.0.0.1:8080", null)).isNull();
        assertThat(guard.refusal(null, "http://localhost:8080/hawtio/camel/routes")).isNull();
        assertThat(guard.refusal("http://localhost:3000", null)).contains("origin http://localhost:3000",
                "http://localhost:8080, http://127.0.0.1:8080", "MANAGEMENT_JOLOKIA_ORIGINS");
        assertThat(guard.refusal(null, "http://attacker.example/x.html")).contains("origin http://attacker.example");
        assertThat(guard.refusal("null", null)).contains("origin null"); // a sandboxed page or a file:// one
        assertThat(JolokiaOriginGuard.normalize("https://hawtio.example:443/")).isEqualTo("https://hawtio.example");
    }
}
