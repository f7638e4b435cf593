package mastodon.s3sync.testing;

import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * One MINA SSHD tunnel server per test JVM for {@link SshTunnelServer} parameters. Tests authorize keys of their own
 * and count sessions and forwards as differences; a test that stops or restarts the server starts one of its own.
 */
public final class SshExtension extends ByType<SshTunnelServer> {

    public SshExtension() {
        super(SshTunnelServer.class);
    }

    @Override
    protected SshTunnelServer resolve(ExtensionContext context) {
        return Shared.get(context, "ssh", SshTunnelServer.class, SshTunnelServer::new);
    }
}
