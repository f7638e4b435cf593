package mastodon.s3sync.db;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Properties;
import java.util.function.Function;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;

/**
 * The Mastodon PostgreSQL database, from Mastodon's own settings (DB_* / DATABASE_URL resolved by Settings), reached
 * over TCP, over a unix socket (DB_HOST is a directory, as in Mastodon's sample config), or through an SSH tunnel
 * (db.tunnel.*).
 */
public final class Database {

    /** pgjdbc socket factory for unix sockets (junixsocket); its argument is the socket file. */
    static final String UNIX_SOCKET_FACTORY = "org.newsclub.net.unix.AFUNIXSocketFactory$FactoryArg";
    static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(15);

    private Database() {
    }

    /**
     * @param host a host name or address, or a directory holding PostgreSQL's socket (starts with '/')
     * @param tunnel the SSH tunnel the database is reached through, or null
     */
    public record DbConfig(String host, int port, String name, String user, String password, String sslmode,
            TunnelConfig tunnel) {

        public DbConfig(String host, int port, String name, String user, String password, String sslmode) {
            this(host, port, name, user, password, sslmode, null);
        }

        public static DbConfig from(Function<String, String> props) {
            String port = orDefault(props.apply("db.port"), "5432");
            int p;
            try {
                p = Integer.parseInt(port);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("DB_PORT is '" + port + "', not a port number. Fix: set DB_PORT=5432.");
            }
            DbConfig c = new DbConfig(orDefault(props.apply("db.host"), "localhost"), p,
                    orDefault(props.apply("db.name"), "mastodon_production"), orDefault(props.apply("db.user"), "mastodon"),
                    props.apply("db.password") == null ? "" : props.apply("db.password"),
                    orDefault(props.apply("db.sslmode"), "prefer"), TunnelConfig.from(props));
            if (c.tunnel() != null && c.unixSocket()) {
                throw new IllegalArgumentException("DB_HOST is the socket directory " + c.host() + ", which cannot be "
                        + "reached through the SSH tunnel (" + c.tunnel().describe() + "). Fix: with a tunnel, set "
                        + "DB_HOST to the database's address as seen from the SSH server, e.g. DB_HOST=127.0.0.1.");
            }
            return c;
        }

        /** DB_HOST is a path: connect through the unix socket {@code <dir>/.s.PGSQL.<port>}. */
        public boolean unixSocket() {
            return host.startsWith("/");
        }

        public String socketFile() {
            return host.replaceAll("/+$", "") + "/.s.PGSQL." + port;
        }

        public String jdbcUrl() {
            // for a unix socket the host part is not used (the socket factory connects to the file)
            return "jdbc:postgresql://" + (unixSocket() ? "localhost" : hostForUrl()) + ":" + port + "/"
                    + URLEncoder.encode(name, StandardCharsets.UTF_8);
        }

        /** Driver properties besides user and password: TLS mode, and the socket factory for a socket or tunnel. */
        Properties driverProperties() {
            Properties p = new Properties();
            p.setProperty("ApplicationName", "mastodon-s3-sync");
            // libpq (and so Mastodon) ignores sslmode on unix sockets; pgjdbc would try TLS there and fail on 'require'
            p.setProperty("sslmode", unixSocket() ? "disable" : sslmode);
            p.setProperty("connectTimeout", Long.toString(CONNECT_TIMEOUT.toSeconds()));
            if (unixSocket()) {
                p.setProperty("socketFactory", UNIX_SOCKET_FACTORY);
                p.setProperty("socketFactoryArg", socketFile());
            }
            return p;
        }

        private String hostForUrl() {
            return host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host;
        }

        public String describe() {
            String where = unixSocket() ? "socket " + socketFile()
                    : host + ":" + port + (tunnel != null ? " (on the far side of the SSH tunnel via " + tunnel.describe() + ")" : "");
            return "PostgreSQL database '" + name + "' at " + where + " as user '" + user + "'";
        }

        @Override
        public String toString() {
            return describe(); // never the password
        }
    }

    private static String orDefault(String v, String d) {
        return v == null || v.isBlank() ? d : v.strip();
    }

    /**
     * A read-only pool of at most {@code poolSize} connections. Through a tunnel, each new connection (re)opens the
     * tunnel when it is down, so connections lost with a dropped tunnel are replaced by working ones.
     */
    public static HikariDataSource dataSource(DbConfig c, int poolSize) {
        HikariConfig h = new HikariConfig();
        h.setJdbcUrl(c.jdbcUrl());
        h.setUsername(c.user());
        h.setPassword(c.password());
        h.setDataSourceProperties(c.driverProperties());
        h.setMaximumPoolSize(poolSize);
        h.setMinimumIdle(0);
        h.setPoolName("mastodon-db");
        h.setReadOnly(true); // this tool never writes to Mastodon's database
        h.setInitializationFailTimeout(-1); // the preflight check reports connection problems, not the pool
        h.setConnectionTimeout(CONNECT_TIMEOUT.toMillis());
        if (c.tunnel() == null) {
            return new HikariDataSource(h);
        }
        DatabaseTunnel tunnel = new DatabaseTunnel(c.tunnel(), c.host(), c.port(), CONNECT_TIMEOUT);
        h.addDataSourceProperty("socketFactory", TunnelSocketFactory.class.getName());
        h.addDataSourceProperty("socketFactoryArg", tunnel.id());
        try {
            return new TunnelledDataSource(h, tunnel);
        } catch (RuntimeException e) {
            tunnel.close();
            throw e;
        }
    }

    /**
     * Opens one connection (through the tunnel, when there is one) and runs {@code SELECT 1}. For a pool made by
     * {@link #dataSource} the connection is opened directly with the pool's settings, so the first error is reported
     * at once instead of after the pool's connection timeout.
     *
     * @return null when a connection works, else the problem and its fix
     */
    public static String check(DbConfig c, DataSource ds) {
        if (ds instanceof TunnelledDataSource t) {
            try {
                t.tunnel().localAddress();
            } catch (DatabaseTunnel.TunnelException e) {
                return "cannot open the SSH tunnel to the database: " + e.getMessage();
            }
        }
        try (Connection conn = connect(ds)) {
            conn.createStatement().execute("SELECT 1");
            return null;
        } catch (SQLException e) {
            DatabaseTunnel.TunnelException tunnel = find(e, DatabaseTunnel.TunnelException.class);
            if (tunnel != null) {
                return "cannot open the SSH tunnel to the database: " + tunnel.getMessage();
            }
            String hint = c.unixSocket() ? " Fix: check that PostgreSQL listens on the socket " + c.socketFile()
                    + " (DB_HOST is its directory, DB_PORT its number) and that this user may open it; and DB_NAME, "
                    + "DB_USER, DB_PASS (or DATABASE_URL), e.g. with the 'config' command."
                    : " Fix: check DB_HOST, DB_PORT, DB_NAME, DB_USER, DB_PASS (or DATABASE_URL)"
                            + (c.tunnel() != null ? " as seen from the SSH server" : "")
                            + ", e.g. with the 'config' command.";
            return "cannot connect to the " + c.describe() + ": " + rootMessage(e) + "." + hint;
        }
    }

    private static Connection connect(DataSource ds) throws SQLException {
        if (ds instanceof HikariDataSource h) {
            Properties p = new Properties();
            p.putAll(h.getDataSourceProperties());
            if (h.getUsername() != null) {
                p.setProperty("user", h.getUsername());
            }
            if (h.getPassword() != null) {
                p.setProperty("password", h.getPassword());
            }
            Connection conn = new org.postgresql.Driver().connect(h.getJdbcUrl(), p);
            if (conn == null) {
                throw new SQLException("not a PostgreSQL JDBC URL: " + h.getJdbcUrl());
            }
            return conn;
        }
        return ds.getConnection();
    }

    private static <T extends Throwable> T find(Throwable t, Class<T> type) {
        for (Throwable r = t; r != null; r = r.getCause() == r ? null : r.getCause()) {
            if (type.isInstance(r)) {
                return type.cast(r);
            }
        }
        return null;
    }

    private static String rootMessage(Throwable t) {
        Throwable r = t;
        while (r.getCause() != null && r.getCause() != r) {
            r = r.getCause();
        }
        return r == t ? String.valueOf(t.getMessage()) : t.getMessage() + " (" + r.getMessage() + ")";
    }
}
