package mastodon.s3sync.db;

import java.net.SocketAddress;
import java.nio.file.Files;
import java.security.PublicKey;

import org.apache.sshd.client.config.hosts.KnownHostEntry;
import org.apache.sshd.client.keyverifier.KnownHostsServerKeyVerifier;
import org.apache.sshd.client.keyverifier.RejectAllServerKeyVerifier;
import org.apache.sshd.client.session.ClientSession;
import org.apache.sshd.common.config.keys.KeyUtils;

/**
 * known_hosts checking that remembers why a key was refused, so the error names the file and the fix instead of
 * sshd's "Server key did not validate".
 */
final class TunnelHostKeyCheck extends KnownHostsServerKeyVerifier {

    private final TunnelConfig config;
    /** Why the last key was refused, or null. */
    volatile String problem;

    TunnelHostKeyCheck(TunnelConfig config) {
        super(RejectAllServerKeyVerifier.INSTANCE, config.knownHosts());
        this.config = config;
    }

    @Override
    protected boolean acceptUnknownHostKey(ClientSession s, SocketAddress remote, PublicKey key) {
        String file = getPath().toString();
        problem = "the SSH server " + hostPattern() + " presented a host key that is not in " + file
                + (Files.exists(getPath()) ? "" : " (the file does not exist)") + ": " + KeyUtils.getKeyType(key) + " "
                + KeyUtils.getFingerPrint(key) + ". Refused. Fix: check the fingerprint with the server's admin "
                + "(ssh-keygen -lf /etc/ssh/ssh_host_*_key.pub on the server), then add it: ssh-keyscan -p "
                + config.port() + " " + config.host() + " >> " + file
                + " (or set DB_TUNNEL_KNOWN_HOSTS to another known_hosts file).";
        return super.acceptUnknownHostKey(s, remote, key);
    }

    @Override
    public boolean acceptModifiedServerKey(ClientSession s, SocketAddress remote, KnownHostEntry entry,
            PublicKey expected, PublicKey actual) {
        problem = "the host key of the SSH server " + hostPattern() + " has CHANGED: " + getPath() + " has "
                + KeyUtils.getKeyType(expected) + " " + KeyUtils.getFingerPrint(expected) + ", the server presented "
                + KeyUtils.getKeyType(actual) + " " + KeyUtils.getFingerPrint(actual) + ". Refused: this can be a "
                + "man-in-the-middle attack. Fix: if the server was reinstalled or its keys were rotated, remove the "
                + "old entry (ssh-keygen -R '" + hostPattern() + "' -f " + getPath() + ") and add the new key "
                + "(ssh-keyscan -p " + config.port() + " " + config.host() + " >> " + getPath() + ").";
        return false;
    }

    @Override
    protected void handleRevokedKey(ClientSession s, SocketAddress remote, PublicKey key) {
        problem = "the host key of the SSH server " + hostPattern() + " (" + KeyUtils.getFingerPrint(key)
                + ") is marked @revoked in " + getPath() + ". Refused.";
        super.handleRevokedKey(s, remote, key);
    }

    private String hostPattern() {
        return config.port() == 22 ? config.host() : "[" + config.host() + "]:" + config.port();
    }
}
