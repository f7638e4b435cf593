package mastodon.s3sync.db;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.security.KeyPair;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.HashMap;
import java.util.Map;

import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.keyprovider.KeyPairProvider;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import com.zaxxer.hikari.HikariDataSource;

import mastodon.s3sync.testing.Await;
import mastodon.s3sync.testing.Ports;
import mastodon.s3sync.testing.PostgresExtension;
import mastodon.s3sync.testing.PostgresServer;
import mastodon.s3sync.testing.SshTunnelServer;

/** Real JDBC traffic through a real SSH server's port forward to a real PostgreSQL. */
@Timeout(120)
@ExtendWith(PostgresExtension.class)
class DatabaseTunnelTest {

    private static PostgresServer pg;
    private static SshTunnelServer ssh;
    private static KeyPair clientKey;

    @TempDir
    Path dir;
    private Path keyFile;
    private Path knownHosts;

    @BeforeAll
    static void start(PostgresServer shared) throws Exception {
        pg = shared;
        pg.createDatabase("tunneltest");
        try (Connection c = pg.dataSource("tunneltest").getConnection(); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE media_attachments (id bigint primary key)");
            s.execute("INSERT INTO media_attachments SELECT generate_series(1, 500)");
        }
        ssh = new SshTunnelServer();
        clientKey = KeyUtils.generateKeyPair(KeyPairProvider.SSH_ED25519, 256);
        ssh.authorize(clientKey.getPublic());
    }

    @AfterAll
    static void stop() throws Exception {
        if (ssh != null) {
            ssh.close();
        }
    }

    @BeforeEach
    void files() throws Exception {
        keyFile = dir.resolve("id_ed25519");
        SshTunnelServer.writePrivateKey(clientKey, keyFile, null);
        knownHosts = dir.resolve("known_hosts");
        Files.writeString(knownHosts, "# other hosts\nexample.org " + org.apache.sshd.common.config.keys.PublicKeyEntry
                .toString(KeyUtils.generateKeyPair(KeyPairProvider.SSH_ED25519, 256).getPublic()) + "\n"
                + ssh.knownHostsLine() + "\n");
    }

    private Map<String, String> props() {
        Map<String, String> m = new HashMap<>();
        // the database address as the SSH server sees it
        m.put("db.host", "127.0.0.1");
        m.put("db.port", Integer.toString(pg.port()));
        m.put("db.name", "tunneltest");
        m.put("db.user", pg.user());
        m.put("db.tunnel.host", "127.0.0.1");
        m.put("db.tunnel.port", Integer.toString(ssh.port()));
        m.put("db.tunnel.user", SshTunnelServer.USER);
        m.put("db.tunnel.key-file", keyFile.toString());
        m.put("db.tunnel.known-hosts", knownHosts.toString());
        return m;
    }

    private static long count(HikariDataSource ds) throws Exception {
        try (Connection c = ds.getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT count(*) FROM media_attachments")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static String check(Map<String, String> props) {
        Database.DbConfig c = Database.DbConfig.from(props::get);
        try (HikariDataSource ds = Database.dataSource(c, 1)) {
            return Database.check(c, ds);
        }
    }

    @ParameterizedTest(name = "{0} client key, passphrase {1}")
    @CsvSource(nullValues = "none", value = {"ssh-rsa, 2048, none", "ecdsa-sha2-nistp256, 256, none",
            "ssh-ed25519, 256, none", "ssh-ed25519, 256, correct horse", "ecdsa-sha2-nistp384, 384, p4ss"})
    void queriesGoThroughTheTunnel(String type, int bits, String passphrase) throws Exception {
        KeyPair key = KeyUtils.generateKeyPair(type, bits);
        ssh.authorize(key.getPublic());
        Path file = dir.resolve("key-" + type);
        SshTunnelServer.writePrivateKey(key, file, passphrase);
        Map<String, String> p = props();
        p.put("db.tunnel.key-file", file.toString());
        if (passphrase != null) {
            p.put("db.tunnel.key-passphrase", passphrase);
        }
        Database.DbConfig c = Database.DbConfig.from(p::get);
        assertThat(c.tunnel().port()).isEqualTo(ssh.port());
        assertThat(c.toString()).doesNotContain(String.valueOf(passphrase));
        int forwardsBefore = ssh.forwards();
        try (HikariDataSource ds = Database.dataSource(c, 2)) {
            assertThat(ds).isInstanceOf(TunnelledDataSource.class);
            assertThat(Database.check(c, ds)).isNull();
            assertThat(count(ds)).isEqualTo(500);
            assertThat(ssh.forwards()).as("every database connection was a forward").isGreaterThanOrEqualTo(forwardsBefore + 2);
            assertThat(ssh.lastTarget()).isEqualTo("127.0.0.1:" + pg.port());
            assertThat(((TunnelledDataSource) ds).tunnel().timesOpened()).isEqualTo(1);
        }
    }

    @Test
    void farSideHostNameIsResolvedByTheServer() throws Exception {
        Map<String, String> p = props();
        p.put("db.host", "localhost"); // resolved on the SSH server, as Mastodon's default DB_HOST would be there
        Database.DbConfig c = Database.DbConfig.from(p::get);
        try (HikariDataSource ds = Database.dataSource(c, 1)) {
            assertThat(count(ds)).isEqualTo(500);
            assertThat(ssh.lastTarget()).isEqualTo("localhost:" + pg.port());
        }
    }

    @Test
    void hashedKnownHostsEntryIsAccepted() throws Exception {
        // ssh-keyscan -H and Debian's HashKnownHosts write |1|salt|HMAC-SHA1(salt, "[host]:port")
        byte[] salt = new byte[20];
        new java.security.SecureRandom().nextBytes(salt);
        javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA1");
        mac.init(new javax.crypto.spec.SecretKeySpec(salt, "HmacSHA1"));
        byte[] hash = mac.doFinal(("[127.0.0.1]:" + ssh.port()).getBytes(java.nio.charset.StandardCharsets.UTF_8));
        java.util.Base64.Encoder b64 = java.util.Base64.getEncoder();
        String keyPart = ssh.knownHostsLine().substring(ssh.knownHostsLine().indexOf(' ') + 1);
        Files.writeString(knownHosts, "|1|" + b64.encodeToString(salt) + "|" + b64.encodeToString(hash) + " " + keyPart + "\n");
        assertThat(check(props())).isNull();
    }

    @Test
    void unknownHostKeyIsRefusedWithTheFix() throws Exception {
        Files.writeString(knownHosts, "# nothing for this server\n");
        String problem = check(props());
        assertThat(problem).startsWith("cannot open the SSH tunnel to the database: the SSH server [127.0.0.1]:" + ssh.port()
                + " presented a host key that is not in " + knownHosts + ": ssh-ed25519 SHA256:")
                .contains("ssh-keyscan -p " + ssh.port() + " 127.0.0.1 >> " + knownHosts);
        assertThat(Files.readString(knownHosts)).as("never adds keys by itself").isEqualTo("# nothing for this server\n");

        Path missing = dir.resolve("no-such-known-hosts");
        Map<String, String> p = props();
        p.put("db.tunnel.known-hosts", missing.toString());
        assertThat(check(p)).contains("is not in " + missing + " (the file does not exist)");
        assertThat(missing).doesNotExist();
    }

    @Test
    void changedHostKeyIsRefusedWithTheFix() throws Exception {
        Files.writeString(knownHosts, ssh.knownHostsLine(KeyUtils.generateKeyPair(KeyPairProvider.SSH_ED25519, 256)
                .getPublic()) + "\n");
        String before = Files.readString(knownHosts);
        String problem = check(props());
        assertThat(problem).contains("the host key of the SSH server [127.0.0.1]:" + ssh.port() + " has CHANGED")
                .contains("man-in-the-middle").contains("ssh-keygen -R '[127.0.0.1]:" + ssh.port() + "' -f " + knownHosts)
                .contains(KeyUtils.getFingerPrint(ssh.hostKey().getPublic()));
        assertThat(Files.readString(knownHosts)).isEqualTo(before);
    }

    @Test
    void hostKeyCheckingCanBeTurnedOffExplicitly() throws Exception {
        Files.writeString(knownHosts, "");
        Map<String, String> p = props();
        p.put("db.tunnel.strict-host-key-checking", "false");
        assertThat(check(p)).isNull();
        assertThat(Files.readString(knownHosts)).isEmpty();
        p.put("db.tunnel.strict-host-key-checking", "maybe");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> Database.DbConfig.from(p::get))
                .hasMessageContaining("DB_TUNNEL_STRICT_HOST_KEY_CHECKING");
    }

    @Test
    void keyProblemsAreExplained() throws Exception {
        Map<String, String> p = props();
        // a key the server does not know
        Path other = dir.resolve("other");
        SshTunnelServer.writePrivateKey(KeyUtils.generateKeyPair(KeyPairProvider.SSH_ED25519, 256), other, null);
        p.put("db.tunnel.key-file", other.toString());
        assertThat(check(p)).contains("refused the key " + other + " for user 'tunnel'").contains("authorized_keys");
        // an encrypted key without or with a wrong passphrase
        Path enc = dir.resolve("enc");
        SshTunnelServer.writePrivateKey(clientKey, enc, "right");
        p.put("db.tunnel.key-file", enc.toString());
        assertThat(check(p)).contains("cannot read the SSH key file " + enc).contains("set DB_TUNNEL_KEY_PASSPHRASE");
        p.put("db.tunnel.key-passphrase", "wrong");
        assertThat(check(p)).contains("cannot read the SSH key file " + enc).contains("check DB_TUNNEL_KEY_PASSPHRASE")
                .doesNotContain("wrong");
        p.put("db.tunnel.key-passphrase", "right");
        assertThat(check(p)).isNull();
        // a missing key file
        p.put("db.tunnel.key-file", dir.resolve("absent").toString());
        assertThat(check(p)).contains("the SSH key file " + dir.resolve("absent") + " does not exist");
    }

    @Test
    void unreachableSshServer() throws Exception {
        Map<String, String> p = props();
        int closed;
        closed = Ports.free();
        p.put("db.tunnel.port", Integer.toString(closed));
        assertThat(check(p)).startsWith("cannot open the SSH tunnel to the database: cannot connect to the SSH server "
                + "tunnel@127.0.0.1:" + closed).contains("DB_TUNNEL_HOST");
    }

    @Test
    void wrongDatabaseBehindTheTunnelNamesTheFarSide() {
        Map<String, String> p = props();
        p.put("db.name", "absent_db");
        assertThat(check(p)).startsWith("cannot connect to the PostgreSQL database 'absent_db' at 127.0.0.1:" + pg.port()
                + " (on the far side of the SSH tunnel via tunnel@127.0.0.1:" + ssh.port() + ")")
                .contains("as seen from the SSH server");
    }

    @Test
    void nothingListeningOnTheFarSide() throws Exception {
        Map<String, String> p = props();
        int closed;
        closed = Ports.free();
        p.put("db.port", Integer.toString(closed));
        long start = System.nanoTime();
        assertThat(check(p)).startsWith("cannot connect to the PostgreSQL database 'tunneltest' at 127.0.0.1:" + closed
                + " (on the far side of the SSH tunnel").contains("as seen from the SSH server");
        assertThat(System.nanoTime() - start).isLessThan(20_000_000_000L);
    }

    @Test
    void droppedTunnelIsReopenedForTheNextConnection() throws Exception {
        Database.DbConfig c = Database.DbConfig.from(props()::get);
        try (HikariDataSource ds = Database.dataSource(c, 2)) {
            DatabaseTunnel tunnel = ((TunnelledDataSource) ds).tunnel();
            assertThat(count(ds)).isEqualTo(500);
            assertThat(tunnel.timesOpened()).isEqualTo(1);

            // a connection in use when the SSH connection drops fails ...
            try (Connection inUse = ds.getConnection()) {
                ssh.dropConnections();
                org.assertj.core.api.Assertions.assertThatThrownBy(() -> {
                    for (int i = 0; i < 50; i++) { // the drop reaches the local socket asynchronously
                        try (Statement s = inUse.createStatement()) {
                            s.executeQuery("SELECT 1").close();
                        }
                        Thread.sleep(100);
                    }
                }).isInstanceOf(java.sql.SQLException.class);
            }
            // ... and the next one reopens the tunnel; the pool evicts the connections made through the old one
            awaitDown(tunnel);
            assertThat(count(ds)).isEqualTo(500);
            assertThat(tunnel.timesOpened()).isEqualTo(2);

            // the SSH server restarts (same port, same host key): the next connection works again
            ssh.restart();
            awaitDown(tunnel);
            assertThat(count(ds)).isEqualTo(500);
            assertThat(tunnel.timesOpened()).isEqualTo(3);
        }
    }

    private static void awaitDown(DatabaseTunnel tunnel) throws Exception {
        Await.until(Duration.ofSeconds(10), () -> !tunnel.isUp(), "the client to notice the dropped SSH connection");
    }
}
