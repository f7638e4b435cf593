package mastodon.s3sync.db;

import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketAddress;

import javax.net.SocketFactory;

/**
 * pgjdbc's {@code socketFactory} for a database behind an SSH tunnel: pgjdbc creates one per connection attempt with
 * {@code socketFactoryArg} = the {@link DatabaseTunnel#id()}, and every socket it makes connects to the tunnel's local
 * end, whatever address the JDBC URL names (that address is the one on the SSH server's side). The tunnel is opened,
 * or reopened after a drop, at that moment.
 */
public final class TunnelSocketFactory extends SocketFactory {

    private final String tunnelId;

    public TunnelSocketFactory(String tunnelId) {
        this.tunnelId = tunnelId;
    }

    private DatabaseTunnel tunnel() throws IOException {
        DatabaseTunnel t = DatabaseTunnel.byId(tunnelId);
        if (t == null) {
            throw new DatabaseTunnel.TunnelException("the SSH tunnel " + tunnelId + " is closed", null);
        }
        return t;
    }

    @Override
    public Socket createSocket() {
        return new Socket() {
            @Override
            public void connect(SocketAddress ignored, int timeout) throws IOException {
                super.connect(tunnel().localAddress(), timeout);
            }
        };
    }

    @Override
    public Socket createSocket(String host, int port) throws IOException {
        Socket s = createSocket();
        s.connect(null);
        return s;
    }

    @Override
    public Socket createSocket(String host, int port, InetAddress localHost, int localPort) throws IOException {
        return createSocket(host, port);
    }

    @Override
    public Socket createSocket(InetAddress host, int port) throws IOException {
        return createSocket(host.getHostAddress(), port);
    }

    @Override
    public Socket createSocket(InetAddress address, int port, InetAddress localAddress, int localPort) throws IOException {
        return createSocket(address, port);
    }
}
