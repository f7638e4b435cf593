package mastodon.s3sync.ops;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.Statement;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import mastodon.s3sync.Application;
import mastodon.s3sync.testing.PostgresExtension;
import mastodon.s3sync.testing.PostgresServer;

/** Jolokia's users file (made private on first start, refused when others can read it) and the origin rule. */
@ExtendWith(PostgresExtension.class)
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
    void aCommandWithTheManagementPortRefusesToStartWithAnOpenUsersFile(PostgresServer pg) throws Exception {
        Path users = dir.resolve("state/jolokia-users.properties");
        Files.createDirectories(users.getParent());
        Files.writeString(users, "user.hawtio = shared-with-everyone\n");
        Files.setPosixFilePermissions(users, PosixFilePermissions.fromString("rw-rw-r--"));
        Files.writeString(dir.resolve("access.log"), "");
        pg.createDatabase("jolokia");
        try (InputStream in = getClass().getResourceAsStream("/mastodon-schema/mastodon-4.6.sql");
             Connection c = pg.dataSource("jolokia").getConnection(); Statement s = c.createStatement()) {
            s.execute(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        }
        Map<String, String> env = Map.of("DB_HOST", pg.host(), "DB_PORT", Integer.toString(pg.port()), "DB_NAME",
                "jolokia", "DB_USER", pg.user(), "MANAGEMENT_ONE_PASS", "true", "MANAGEMENT_PORT", "0",
                "XDG_STATE_HOME", dir.resolve("state-home").toString());
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = new Application(env, new PrintStream(new ByteArrayOutputStream(), true),
                new PrintStream(err, true, StandardCharsets.UTF_8), dir).run(new String[] {"recover-subscriptions",
                        "--log", "access.log"});
        assertThat(code).isEqualTo(Application.BAD_CONFIG);
        assertThat(err.toString(StandardCharsets.UTF_8)).startsWith("error: the Jolokia users file " + users)
                .contains("chmod 600 " + users).doesNotContain("shared-with-everyone");
        assertThat(dir.resolve("state-home")).doesNotExist(); // nothing ran, no report
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

    @Test
    void onlyThisMachineAndDockerBridgesMayConnect() {
        assertThat(JolokiaOriginGuard.remoteRefusal("127.0.0.1")).isNull();
        assertThat(JolokiaOriginGuard.remoteRefusal("0:0:0:0:0:0:0:1")).isNull();
        assertThat(JolokiaOriginGuard.remoteRefusal("172.17.0.1")).isNull(); // a published container port
        assertThat(JolokiaOriginGuard.remoteRefusal("172.31.255.254")).isNull();
        assertThat(JolokiaOriginGuard.remoteRefusal("172.32.0.1")).contains("refused a request from 172.32.0.1",
                "ssh -N -L 9876:127.0.0.1:9876");
        assertThat(JolokiaOriginGuard.remoteRefusal("192.168.1.20")).contains("only clients on this machine");
    }
}
