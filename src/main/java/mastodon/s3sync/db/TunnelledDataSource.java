package mastodon.s3sync.db;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;

/**
 * A pool that also owns the SSH tunnel its connections go through, and closes it with the pool. Before each
 * borrow it makes sure the tunnel is up; when the tunnel had to be reopened, the connections made through the old
 * one are evicted, so the borrower gets a working connection instead of a dead one.
 */
public final class TunnelledDataSource extends HikariDataSource {
    private final DatabaseTunnel tunnel;
    private int generation;

    TunnelledDataSource(HikariConfig config, DatabaseTunnel tunnel) {
        super(config);
        this.tunnel = tunnel;
    }

    public DatabaseTunnel tunnel() {
        return tunnel;
    }

    @Override
    public Connection getConnection() throws SQLException {
        int now;
        try {
            now = tunnel.ensureOpen();
        } catch (DatabaseTunnel.TunnelException e) {
            throw new SQLTransientConnectionException("cannot open the SSH tunnel to the database: " + e.getMessage(),
                    "08001", e);
        }
        synchronized (this) {
            if (generation != 0 && generation != now && getHikariPoolMXBean() != null) {
                getHikariPoolMXBean().softEvictConnections();
            }
            generation = now;
        }
        return super.getConnection();
    }

    @Override
    public void close() {
        try {
            super.close();
        } finally {
            tunnel.close();
        }
    }
}
