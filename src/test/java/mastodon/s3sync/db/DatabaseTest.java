package mastodon.s3sync.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import com.zaxxer.hikari.HikariDataSource;

import mastodon.s3sync.testing.PostgresServer;

/** Connections to a real PostgreSQL over TCP and over its unix socket (DB_HOST=/a/directory). */
@Timeout(120)
class DatabaseTest {

    private static Path socketDir;
    private static PostgresServer pg;

    @BeforeAll
    static void start() throws Exception {
        // short path: a unix socket path must stay under ~100 bytes
        socketDir = Files.createTempDirectory(Path.of("/tmp"), "pgsock");
        Files.setPosixFilePermissions(socketDir, PosixFilePermissions.fromString("rwxrwxrwx"));
        pg = new PostgresServer(socketDir);
        pg.createDatabase("dbtest");
        try (Connection c = pg.dataSource("dbtest").getConnection(); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE accounts (id bigint primary key)");
            s.execute("INSERT INTO accounts VALUES (1), (2), (3)");
        }
    }

    @AfterAll
    static void stop() throws Exception {
        if (pg != null) {
            pg.close();
        }
        if (socketDir != null) {
            try (var files = Files.list(socketDir)) {
                files.forEach(f -> f.toFile().delete());
            }
            Files.deleteIfExists(socketDir);
        }
    }

    private static Database.DbConfig config(Map<String, String> props) {
        return Database.DbConfig.from(props::get);
    }

    private static Map<String, String> props(String host, String port) {
        Map<String, String> m = new HashMap<>();
        m.put("db.host", host);
        m.put("db.port", port);
        m.put("db.name", "dbtest");
        m.put("db.user", pg.user());
        return m;
    }

    private static long countAccounts(HikariDataSource ds) throws Exception {
        try (Connection c = ds.getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT count(*) FROM accounts")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    @Test
    void defaults() {
        Database.DbConfig c = config(Map.of());
        assertThat(c).isEqualTo(new Database.DbConfig("localhost", 5432, "mastodon_production", "mastodon", "", "prefer"));
        assertThat(c.tunnel()).isNull();
        assertThat(c.unixSocket()).isFalse();
        assertThat(c.jdbcUrl()).isEqualTo("jdbc:postgresql://localhost:5432/mastodon_production");
        assertThat(config(Map.of("db.host", "::1")).jdbcUrl()).startsWith("jdbc:postgresql://[::1]:5432/");
    }

    @Test
    void tcpConnection() throws Exception {
        Database.DbConfig c = config(props("127.0.0.1", Integer.toString(pg.port())));
        try (HikariDataSource ds = Database.dataSource(c, 2)) {
            assertThat(Database.check(c, ds)).isNull();
            assertThat(countAccounts(ds)).isEqualTo(3);
        }
    }

    @Test
    void unixSocketConnection() throws Exception {
        Path socket = socketDir.resolve(".s.PGSQL." + pg.port());
        assertThat(socket).exists();
        Map<String, String> p = props(socketDir.toString(), Integer.toString(pg.port()));
        p.put("db.sslmode", "require"); // libpq ignores sslmode on sockets; so must we
        Database.DbConfig c = config(p);
        assertThat(c.unixSocket()).isTrue();
        assertThat(c.socketFile()).isEqualTo(socket.toString());
        assertThat(c.describe()).contains("socket " + socket);
        try (HikariDataSource ds = Database.dataSource(c, 2)) {
            assertThat(Database.check(c, ds)).isNull();
            assertThat(countAccounts(ds)).isEqualTo(3);
            try (Connection conn = ds.getConnection(); Statement s = conn.createStatement();
                 ResultSet rs = s.executeQuery("SELECT inet_server_addr() IS NULL")) {
                rs.next();
                assertThat(rs.getBoolean(1)).as("connected through the socket, not TCP").isTrue();
            }
        }
        // a trailing slash in DB_HOST is fine
        assertThat(config(props(socketDir + "/", "5432")).socketFile()).isEqualTo(socketDir + "/.s.PGSQL.5432");
    }

    @Test
    void missingSocketIsReportedWithItsPath() {
        Database.DbConfig c = config(props(socketDir.toString(), "1"));
        try (HikariDataSource ds = Database.dataSource(c, 1)) {
            long start = System.nanoTime();
            String problem = Database.check(c, ds);
            assertThat(problem).startsWith("cannot connect to the PostgreSQL database 'dbtest' at socket " + socketDir
                    + "/.s.PGSQL.1").contains("Fix: check that PostgreSQL listens on the socket");
            assertThat(System.nanoTime() - start).as("reported at once, not after the pool's timeout")
                    .isLessThan(10_000_000_000L);
        }
    }

    @Test
    void wrongDatabaseNameIsReportedAtOnce() {
        Map<String, String> p = props("127.0.0.1", Integer.toString(pg.port()));
        p.put("db.name", "no_such_db");
        Database.DbConfig c = config(p);
        try (HikariDataSource ds = Database.dataSource(c, 1)) {
            String problem = Database.check(c, ds);
            assertThat(problem).startsWith("cannot connect to the PostgreSQL database 'no_such_db' at 127.0.0.1:" + pg.port())
                    .contains("does not exist").contains("Fix: check DB_HOST, DB_PORT");
        }
    }

    @Test
    void socketThroughATunnelIsRefused() {
        Map<String, String> p = props("/var/run/postgresql", "5432");
        p.put("db.tunnel.host", "bastion.example");
        assertThatThrownBy(() -> config(p)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("cannot be reached through the SSH tunnel").hasMessageContaining("DB_HOST=127.0.0.1");
    }
}
