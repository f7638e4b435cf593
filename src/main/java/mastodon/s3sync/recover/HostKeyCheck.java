package mastodon.s3sync.recover;

import java.net.SocketAddress;
import java.security.PublicKey;

import org.apache.sshd.client.keyverifier.ServerKeyVerifier;
import org.apache.sshd.client.session.ClientSession;
import org.apache.sshd.common.config.keys.KeyUtils;

/**
 * Checks the Mastodon host's key (see {@link SshTarget#serverKeyVerifier()}) and remembers why it refused one: SSH
 * clients only see the connection close, and "failed to authenticate" would send an admin after the wrong problem.
 */
public final class HostKeyCheck implements ServerKeyVerifier {

    private final ServerKeyVerifier verifier;
    private final SshTarget target;
    private volatile String rejection;

    public HostKeyCheck(SshTarget target) {
        this.target = target;
        this.verifier = target.serverKeyVerifier();
    }

    @Override
    public boolean verifyServerKey(ClientSession session, SocketAddress remote, PublicKey key) {
        boolean ok = verifier.verifyServerKey(session, remote, key);
        rejection = ok ? null : "the host key of " + target.host() + ":" + target.port() + " ("
                + KeyUtils.getFingerPrint(key) + ") is not in " + target.knownHosts() + " (unknown host, or its key "
                + "changed). Fix: check the fingerprint on the server (ssh-keygen -lf /etc/ssh/ssh_host_*_key.pub), "
                + "then add it with ssh-keyscan -p " + target.port() + " " + target.host() + " >> " + target.knownHosts();
        return ok;
    }

    /** @return why the last host key was refused, or null; cleared by the call */
    public String takeRejection() {
        String r = rejection;
        rejection = null;
        return r;
    }
}
