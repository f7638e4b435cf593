package mastodon.s3sync.testing;

import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * One MINA SSHD tunnel server per test JVM for {@link SshTunnelServer} parameters. Tests authorize keys of their own
 * and count sessions and forwards as differences; a test that stops or restarts the server starts one of its own.
 */
public final class SshExtension implements ParameterResolver {

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == SshTunnelServer.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        return Shared.get(context, "ssh", SshTunnelServer.class, SshTunnelServer::new);
    }
}
