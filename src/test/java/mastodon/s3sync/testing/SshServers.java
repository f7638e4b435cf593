package mastodon.s3sync.testing;

import java.util.List;

import org.apache.sshd.common.NamedFactory;
import org.apache.sshd.common.kex.BuiltinDHFactories;
import org.apache.sshd.server.ServerBuilder;
import org.apache.sshd.server.SshServer;

/** The SSH servers the tests start: MINA SSHD's defaults, with a key exchange that is quick to compute. */
public final class SshServers {

    private SshServers() {
    }

    /**
     * A default server offering only curve25519-sha256, as an OpenSSH before 9.0 does. The product's client prefers
     * the post-quantum sntrup761x25519, which MINA SSHD computes in Java: under the test JVMs' quick compiler its key
     * generation was about 8% of the whole suite's CPU (a JFR profile of the surefire forks). The client negotiates
     * down as it would with such a server; what the tests check (host keys, authentication, forwarding, commands)
     * does not depend on the exchange.
     */
    public static SshServer newServer() {
        SshServer server = SshServer.setUpDefaultServer();
        server.setKeyExchangeFactories(NamedFactory.setUpTransformedFactories(false,
                List.of(BuiltinDHFactories.curve25519), ServerBuilder.DH2KEX));
        return server;
    }
}
