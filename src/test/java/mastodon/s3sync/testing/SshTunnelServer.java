package mastodon.s3sync.testing;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.PublicKey;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.config.keys.PublicKeyEntry;
import org.apache.sshd.common.config.keys.writer.openssh.OpenSSHKeyEncryptionContext;
import org.apache.sshd.common.config.keys.writer.openssh.OpenSSHKeyPairResourceWriter;
import org.apache.sshd.common.keyprovider.KeyPairProvider;
import org.apache.sshd.common.session.Session;
import org.apache.sshd.common.session.SessionListener;
import org.apache.sshd.common.util.net.SshdSocketAddress;
import org.apache.sshd.server.SshServer;
import org.apache.sshd.server.forward.AcceptAllForwardingFilter;
import org.apache.sshd.server.forward.TcpForwardingFilter;

/**
 * A real SSH server (Apache MINA SSHD) on 127.0.0.1 that allows local port forwarding, for database tunnel tests.
 * Public-key authentication only, for the keys given to {@link #authorize}; it counts the forwards it opened.
 */
public final class SshTunnelServer implements AutoCloseable {

    public static final String USER = "tunnel";

    private final KeyPair hostKey;
    private final List<PublicKey> authorized = new CopyOnWriteArrayList<>();
    private final AtomicInteger forwards = new AtomicInteger();
    private final AtomicInteger sessions = new AtomicInteger();
    private volatile String lastTarget;
    private SshServer server;
    private int port;

    public SshTunnelServer() throws IOException, GeneralSecurityException {
        this(KeyUtils.generateKeyPair(KeyPairProvider.SSH_ED25519, 256));
    }

    public SshTunnelServer(KeyPair hostKey) throws IOException {
        this.hostKey = hostKey;
        start(0);
    }

    private void start(int onPort) throws IOException {
        SshServer s = SshServers.newServer();
        s.setHost("127.0.0.1");
        s.setPort(onPort);
        s.setKeyPairProvider(KeyPairProvider.wrap(hostKey));
        s.setPublickeyAuthenticator((user, key, session) -> USER.equals(user)
                && authorized.stream().anyMatch(k -> KeyUtils.compareKeys(k, key)));
        s.setPasswordAuthenticator(null);
        s.setKeyboardInteractiveAuthenticator(null);
        s.setForwardingFilter(new AcceptAllForwardingFilter() {
            @Override
            public boolean canConnect(TcpForwardingFilter.Type type, SshdSocketAddress target, Session session) {
                forwards.incrementAndGet();
                lastTarget = target.getHostName() + ":" + target.getPort();
                return true;
            }
        });
        s.addSessionListener(new SessionListener() {
            @Override
            public void sessionCreated(Session session) {
                sessions.incrementAndGet();
            }
        });
        s.start();
        server = s;
        port = s.getPort();
    }

    public void authorize(PublicKey key) {
        authorized.add(key);
    }

    public int port() {
        return port;
    }

    public KeyPair hostKey() {
        return hostKey;
    }

    /** How many port forwards (database connections) the server opened. */
    public int forwards() {
        return forwards.get();
    }

    /** How many SSH connections the server accepted. */
    public int sessions() {
        return sessions.get();
    }

    /** host:port of the last forward's target, as the client asked the server to connect to it. */
    public String lastTarget() {
        return lastTarget;
    }

    /** The known_hosts line for this server's host key. */
    public String knownHostsLine() {
        return knownHostsLine(hostKey.getPublic());
    }

    /** A known_hosts line for this server's address with some key. */
    public String knownHostsLine(PublicKey key) {
        return "[127.0.0.1]:" + port + " " + PublicKeyEntry.toString(key);
    }

    /** Cuts every SSH connection, as a network drop or an sshd restart on the server would. */
    public void dropConnections() {
        server.getActiveSessions().forEach(s -> s.close(true));
    }

    /** Stops the server, then starts it again on the same port with the same host key. */
    public void restart() throws IOException {
        server.stop(true);
        start(port);
    }

    @Override
    public void close() throws IOException {
        server.stop(true);
    }

    /** Writes a private key in OpenSSH format, encrypted when a passphrase is given. */
    public static void writePrivateKey(KeyPair key, Path file, String passphrase) throws IOException, GeneralSecurityException {
        OpenSSHKeyEncryptionContext enc = null;
        if (passphrase != null) {
            enc = new OpenSSHKeyEncryptionContext();
            enc.setCipherName("AES");
            enc.setCipherType("256");
            enc.setCipherMode("CTR");
            // 1 bcrypt round instead of ssh-keygen's 16: the same format and code path (the product reads the rounds
            // from the file), without a second of CPU per key under the test JVM's quick compiler
            enc.setKdfRounds(1);
            enc.setPassword(passphrase);
        }
        try (OutputStream out = Files.newOutputStream(file)) {
            OpenSSHKeyPairResourceWriter.INSTANCE.writePrivateKey(key, "test key", enc, out);
        }
    }
}
