package mastodon.s3sync.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The db.tunnel.* settings and their defaults. */
class TunnelConfigTest {

    @TempDir
    Path home;
    private String realHome;

    @BeforeEach
    void fakeHome() {
        realHome = System.getProperty("user.home");
        System.setProperty("user.home", home.toString());
    }

    @AfterEach
    void restoreHome() {
        System.setProperty("user.home", realHome);
    }

    private static TunnelConfig from(Map<String, String> m) {
        return TunnelConfig.from(m::get);
    }

    @Test
    void noHostMeansNoTunnel() {
        assertThat(from(Map.of())).isNull();
        assertThat(from(Map.of("db.tunnel.host", "  ", "db.tunnel.port", "22"))).isNull();
    }

    @Test
    void defaults() throws Exception {
        TunnelConfig c = from(Map.of("db.tunnel.host", "db.example.org"));
        assertThat(c.port()).isEqualTo(22);
        assertThat(c.user()).isEqualTo(System.getProperty("user.name"));
        assertThat(c.knownHosts()).isEqualTo(home.resolve(".ssh/known_hosts"));
        assertThat(c.strictHostKeyChecking()).isTrue();
        assertThat(c.keyPassphrase()).isEmpty();
        // no key file at all: the first of OpenSSH's defaults, so the error names it
        assertThat(c.keyFile()).isEqualTo(home.resolve(".ssh/id_ed25519"));
        // else the first one that exists, in OpenSSH's order
        Files.createDirectories(home.resolve(".ssh"));
        Files.writeString(home.resolve(".ssh/id_rsa"), "x");
        assertThat(from(Map.of("db.tunnel.host", "h")).keyFile()).isEqualTo(home.resolve(".ssh/id_rsa"));
        Files.writeString(home.resolve(".ssh/id_ecdsa"), "x");
        assertThat(from(Map.of("db.tunnel.host", "h")).keyFile()).isEqualTo(home.resolve(".ssh/id_ecdsa"));
    }

    @Test
    void explicitSettingsAndTildeExpansion() {
        Map<String, String> m = new HashMap<>(Map.of("db.tunnel.host", "bastion", "db.tunnel.port", "2222",
                "db.tunnel.user", "mastodon", "db.tunnel.key-file", "~/keys/db", "db.tunnel.key-passphrase", "pp",
                "db.tunnel.known-hosts", "/etc/ssh/ssh_known_hosts", "db.tunnel.strict-host-key-checking", "FALSE"));
        TunnelConfig c = from(m);
        assertThat(c).isEqualTo(new TunnelConfig("bastion", 2222, "mastodon", home.resolve("keys/db"), "pp",
                Path.of("/etc/ssh/ssh_known_hosts"), false));
        assertThat(c.toString()).doesNotContain("pp").contains("mastodon@bastion:2222");
    }

    @Test
    void badValuesNameTheVariable() {
        assertThatThrownBy(() -> from(Map.of("db.tunnel.host", "h", "db.tunnel.port", "ssh")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("DB_TUNNEL_PORT")
                .hasMessageContaining("'ssh'");
        assertThatThrownBy(() -> from(Map.of("db.tunnel.host", "h", "db.tunnel.strict-host-key-checking", "no")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("true (default) or false");
    }
}
