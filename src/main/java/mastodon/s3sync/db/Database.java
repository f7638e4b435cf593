package mastodon.s3sync.db;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.function.Function;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;

/** The Mastodon PostgreSQL database, from Mastodon's own settings (DB_* / DATABASE_URL resolved by Settings). */
public final class Database {

    private Database() {
    }

    public record DbConfig(String host, int port, String name, String user, String password, String sslmode) {

        public static DbConfig from(Function<String, String> props) {
            String port = props.apply("db.port");
            return new DbConfig(orDefault(props.apply("db.host"), "localhost"),
                    port == null || port.isBlank() ? 5432 : Integer.parseInt(port.strip()),
                    orDefault(props.apply("db.name"), "mastodon_production"), orDefault(props.apply("db.user"), "mastodon"),
                    orDefault(props.apply("db.password"), ""), orDefault(props.apply("db.sslmode"), "prefer"));
        }

        public String jdbcUrl() {
            return "jdbc:postgresql://" + hostForUrl() + ":" + port + "/" + name + "?sslmode=" + sslmode
                    + "&ApplicationName=mastodon-s3-sync";
        }

        private String hostForUrl() {
            return host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host;
        }

        public String describe() {
            return "PostgreSQL database '" + name + "' at " + host + ":" + port + " as user '" + user + "'";
        }

        @Override
        public String toString() {
            return describe(); // never the password
        }
    }

    private static String orDefault(String v, String d) {
        return v == null || v.isBlank() ? d : v.strip();
    }

    public static HikariDataSource dataSource(DbConfig c, int poolSize) {
        HikariConfig h = new HikariConfig();
        h.setJdbcUrl(c.jdbcUrl());
        h.setUsername(c.user());
        h.setPassword(c.password());
        h.setMaximumPoolSize(poolSize);
        h.setMinimumIdle(0);
        h.setPoolName("mastodon-db");
        h.setReadOnly(true); // this tool never writes to Mastodon's database
        h.setInitializationFailTimeout(-1); // the preflight check reports connection problems, not the pool
        h.setConnectionTimeout(15_000);
        return new HikariDataSource(h);
    }

    /** @return null when a connection works, else the problem and its fix */
    public static String check(DbConfig c, DataSource ds) {
        try (Connection conn = ds.getConnection()) {
            conn.createStatement().execute("SELECT 1");
            return null;
        } catch (SQLException e) {
            return "cannot connect to the " + c.describe() + ": " + rootMessage(e) + ". Fix: check DB_HOST, DB_PORT, "
                    + "DB_NAME, DB_USER, DB_PASS (or DATABASE_URL), e.g. with the 'config' command.";
        }
    }

    private static String rootMessage(Throwable t) {
        Throwable r = t;
        while (r.getCause() != null && r.getCause() != r) {
            r = r.getCause();
        }
        return r == t ? String.valueOf(t.getMessage()) : t.getMessage() + " (" + r.getMessage() + ")";
    }
}
