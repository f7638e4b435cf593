package mastodon.s3sync.store;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.security.GeneralSecurityException;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;

import org.apache.http.HttpHost;
import org.apache.http.conn.ssl.SSLConnectionSocketFactory;
import org.apache.http.protocol.HttpContext;

import software.amazon.awssdk.http.SystemPropertyTlsKeyManagersProvider;
import software.amazon.awssdk.http.apache.internal.conn.SdkTlsSocketFactory;

/**
 * The https connections of the S3 clients: the AWS SDK's own (its socket factory, with the TLS context and host-name
 * check it makes by default: the JVM's trust store, client keys from the javax.net.ssl.keyStore properties), each
 * socket then gathering its output into full TLS records ({@link WholeRecordSocket}; bench/RESULTS.md, "Uploads in
 * full TLS records").
 */
final class WholeRecordTls extends SdkTlsSocketFactory {

    private WholeRecordTls(SSLContext context) {
        super(context, SSLConnectionSocketFactory.getDefaultHostnameVerifier());
    }

    /** The factory, with the SDK's default TLS context. */
    static WholeRecordTls create() {
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(SystemPropertyTlsKeyManagersProvider.create().keyManagers(), null, null);
            return new WholeRecordTls(context);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("TLS is not available in this JVM: " + e.getMessage(), e);
        }
    }

    @Override
    public Socket connectSocket(int connectTimeout, Socket socket, HttpHost host, InetSocketAddress remoteAddress,
                                InetSocketAddress localAddress, HttpContext context) throws IOException {
        Socket connected = super.connectSocket(connectTimeout, socket, host, remoteAddress, localAddress, context);
        return connected instanceof SSLSocket tls ? new WholeRecordSocket(tls) : connected;
    }
}
