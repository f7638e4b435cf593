package mastodon.s3sync.mirror;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;

/**
 * A TCP proxy on 127.0.0.1 in front of a test server that can slow down what the server sends back, so a test can
 * catch a download in the middle.
 */
final class ThrottlingProxy implements AutoCloseable {

    private final ServerSocket server;
    private final int targetPort;
    /** bytes per second from the server to the client; 0: unlimited */
    volatile long rate;

    ThrottlingProxy(int targetPort, long rate) throws IOException {
        this.targetPort = targetPort;
        this.rate = rate;
        server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread t = new Thread(this::accept, "throttling-proxy");
        t.setDaemon(true);
        t.start();
    }

    String endpoint() {
        return "http://127.0.0.1:" + server.getLocalPort();
    }

    private void accept() {
        while (!server.isClosed()) {
            try {
                Socket client = server.accept();
                Socket upstream = new Socket(InetAddress.getLoopbackAddress(), targetPort);
                pump(client, upstream, false);
                pump(upstream, client, true);
            } catch (IOException e) {
                return;
            }
        }
    }

    private void pump(Socket from, Socket to, boolean throttled) {
        Thread t = new Thread(() -> {
            byte[] buf = new byte[4096];
            try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                int n;
                while ((n = in.read(buf)) > 0) {
                    out.write(buf, 0, n);
                    out.flush();
                    long r = rate;
                    if (throttled && r > 0) {
                        Thread.sleep(Math.max(1, n * 1000L / r));
                    }
                }
            } catch (IOException | InterruptedException e) {
                // connection closed
            } finally {
                try {
                    from.close();
                    to.close();
                } catch (IOException e) {
                    // closed already
                }
            }
        }, "throttling-proxy-pump");
        t.setDaemon(true);
        t.start();
    }

    @Override
    public void close() throws IOException {
        server.close();
    }
}
