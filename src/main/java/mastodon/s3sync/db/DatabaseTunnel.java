package mastodon.s3sync.db;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.security.KeyPair;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.sshd.client.SshClient;
import org.apache.sshd.client.config.hosts.HostConfigEntryResolver;
import org.apache.sshd.client.keyverifier.AcceptAllServerKeyVerifier;
import org.apache.sshd.client.session.ClientSession;
import org.apache.sshd.client.session.forward.ExplicitPortForwardingTracker;
import org.apache.sshd.common.keyprovider.KeyIdentityProvider;
import org.apache.sshd.common.util.net.SshdSocketAddress;
import org.apache.sshd.core.CoreModuleProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An SSH local port forward to the database (Apache MINA SSHD), opened on first use and reopened on the next use after
 * the SSH connection drops. The database driver reaches it through {@link TunnelSocketFactory}, which asks
 * {@link #localAddress()} for every new database connection: a dropped tunnel costs the connections that were using
 * it (the pool replaces them), not the job.
 *
 * <p>The server's host key must be in the known_hosts file (unless strict checking is off); an unknown or changed key
 * is refused with a message saying how to add it.
 */
public final class DatabaseTunnel implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger("mastodon.s3sync.db");
    private static final Map<String, DatabaseTunnel> OPEN = new ConcurrentHashMap<>();
    private static final AtomicInteger IDS = new AtomicInteger();

    /** A tunnel that cannot be opened; the message says why and how to fix it. */
    public static final class TunnelException extends IOException {
        TunnelException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    private final TunnelConfig config;
    private final String remoteHost;
    private final int remotePort;
    private final String id;
    private final Duration timeout;
    private final TunnelHostKeyCheck hostKeyCheck;
    private SshClient client;
    private List<KeyPair> keys;
    private ClientSession session;
    private ExplicitPortForwardingTracker tracker;
    private int opened;
    private boolean closed;

    /**
     * @param remoteHost the database host as the SSH server sees it
     * @param remotePort the database port there
     */
    public DatabaseTunnel(TunnelConfig config, String remoteHost, int remotePort, Duration timeout) {
        this.config = config;
        this.remoteHost = remoteHost;
        this.remotePort = remotePort;
        this.timeout = timeout;
        this.id = "tunnel-" + IDS.incrementAndGet();
        this.hostKeyCheck = config.strictHostKeyChecking() ? new TunnelHostKeyCheck(config) : null;
        OPEN.put(id, this);
    }

    /** The name {@link TunnelSocketFactory} finds this tunnel by (pgjdbc's socketFactoryArg). */
    public String id() {
        return id;
    }

    static DatabaseTunnel byId(String id) {
        return OPEN.get(id);
    }

    /** How many times an SSH session was opened (1 + reconnects). */
    public synchronized int timesOpened() {
        return opened;
    }

    /** Whether the SSH session and its forward are up now (no reconnect attempt). */
    public synchronized boolean isUp() {
        return session != null && session.isOpen() && !session.isClosing() && tracker != null && tracker.isOpen();
    }

    /**
     * Opens the SSH session when it is not up (first use, or after a drop).
     *
     * @return how many times a session was opened so far: a change means connections made before are dead
     */
    public synchronized int ensureOpen() throws TunnelException {
        localAddress();
        return opened;
    }

    /** The local end of the forward, opening (or reopening) the SSH session first when it is not up. */
    public synchronized InetSocketAddress localAddress() throws TunnelException {
        if (closed) {
            throw new TunnelException("the SSH tunnel " + config.describe() + " is closed", null);
        }
        if (!isUp()) {
            if (session != null) {
                LOG.warn("SSH tunnel {} to {}:{} was lost; reconnecting", config.describe(), remoteHost, remotePort);
                closeSession();
            }
            open();
        }
        SshdSocketAddress bound = tracker.getBoundAddress();
        return new InetSocketAddress(bound.getHostName(), bound.getPort());
    }

    private void open() throws TunnelException {
        if (client == null) {
            keys = TunnelKeys.load(config);
            client = SshClient.setUpDefaultClient();
            // only what the settings say: no ~/.ssh/config, no other identities
            client.setHostConfigEntryResolver(HostConfigEntryResolver.EMPTY);
            client.setKeyIdentityProvider(KeyIdentityProvider.wrapKeyPairs(keys));
            client.setServerKeyVerifier(hostKeyCheck != null ? hostKeyCheck : AcceptAllServerKeyVerifier.INSTANCE);
            CoreModuleProperties.HEARTBEAT_INTERVAL.set(client, Duration.ofSeconds(15));
            CoreModuleProperties.HEARTBEAT_NO_REPLY_MAX.set(client, 4);
            client.start();
            if (hostKeyCheck == null) {
                LOG.warn("SSH tunnel {}: host key checking is OFF (db.tunnel.strict-host-key-checking=false); "
                        + "anyone between here and the server could read the database traffic", config.describe());
            }
        }
        if (hostKeyCheck != null) {
            hostKeyCheck.problem = null;
        }
        ClientSession s = null;
        try {
            s = client.connect(config.user(), config.host(), config.port()).verify(timeout).getSession();
            s.auth().verify(timeout);
            tracker = s.createLocalPortForwardingTracker(new SshdSocketAddress("127.0.0.1", 0),
                    new SshdSocketAddress(remoteHost, remotePort));
            session = s;
            opened++;
            LOG.info("SSH tunnel {} open: 127.0.0.1:{} -> {}:{} on the server", config.describe(),
                    tracker.getBoundAddress().getPort(), remoteHost, remotePort);
        } catch (IOException | RuntimeException e) {
            if (s != null) {
                s.close(true);
            }
            tracker = null;
            throw translate(e);
        }
    }

    private TunnelException translate(Exception e) {
        if (hostKeyCheck != null && hostKeyCheck.problem != null) {
            return new TunnelException(hostKeyCheck.problem, e);
        }
        String msg = rootMessage(e);
        String lower = msg.toLowerCase();
        if (lower.contains("no more authentication methods") || lower.contains("authentication")) {
            return new TunnelException("the SSH server " + config.host() + ":" + config.port() + " refused the key "
                    + config.keyFile() + " for user '" + config.user() + "' (" + msg + "). Fix: add the public key to "
                    + "~" + config.user() + "/.ssh/authorized_keys there, or set DB_TUNNEL_USER / DB_TUNNEL_KEY_FILE.", e);
        }
        if (lower.contains("forward") || lower.contains("channel")) {
            return new TunnelException("the SSH server " + config.describe() + " refused to forward to " + remoteHost
                    + ":" + remotePort + " (" + msg + "). Fix: allow TCP forwarding for this user (AllowTcpForwarding "
                    + "in sshd_config).", e);
        }
        return new TunnelException("cannot connect to the SSH server " + config.describe() + ": " + msg
                + ". Fix: check DB_TUNNEL_HOST and DB_TUNNEL_PORT, and that the server accepts SSH from here.", e);
    }

    private void closeSession() {
        if (tracker != null) {
            try {
                tracker.close();
            } catch (IOException | RuntimeException e) {
                // the session is gone anyway
            }
            tracker = null;
        }
        if (session != null) {
            session.close(true);
            session = null;
        }
    }

    @Override
    public synchronized void close() {
        closed = true;
        OPEN.remove(id);
        closeSession();
        if (client != null) {
            client.stop();
            client = null;
        }
    }

    /** The innermost message, after the outer one when they differ. */
    static String rootMessage(Throwable t) {
        Throwable r = t;
        while (r.getCause() != null && r.getCause() != r) {
            r = r.getCause();
        }
        String m = r.getMessage() != null ? r.getMessage() : r.getClass().getSimpleName();
        return r == t || t.getMessage() == null || t.getMessage().equals(m) ? m : t.getMessage() + " (" + m + ")";
    }
}
