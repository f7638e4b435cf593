package mastodon.s3sync.store;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;

import javax.net.ssl.SSLSocket;

import software.amazon.awssdk.http.apache.internal.net.DelegateSslSocket;

/**
 * A connected TLS socket whose output reaches the TLS layer in pieces of one full record each. The JDK makes a record
 * of every write (splitting what does not fit), and the Apache HTTP client writes an upload in 8 KB pieces (its
 * session buffer): twice the records, each with its own cipher set-up and system call, on this side and on the
 * store's. The client flushes at the end of every request, which sends what is gathered.
 *
 * <p>Built on the AWS SDK's own delegating socket (an internal class of its Apache client, at the version Camel's BOM
 * pins): everything else is the socket the SDK made.
 */
final class WholeRecordSocket extends DelegateSslSocket {

    /**
     * The most application data the JDK puts in one TLS 1.3 record: 2^14 bytes less the AEAD tag (16) and the inner
     * content type (1). A 16 KB write went out as two records, of 16,367 and 17 bytes. Under TLS 1.2 a record holds
     * 2^14, so this fills one nearly.
     */
    static final int RECORD = 16_367;

    private OutputStream out;

    WholeRecordSocket(SSLSocket tls) {
        super(tls);
    }

    @Override
    public synchronized OutputStream getOutputStream() throws IOException {
        if (out == null) {
            out = new Records(sock.getOutputStream());
        }
        return out;
    }

    /**
     * Passes its bytes on RECORD at a time, and the rest when flushed or closed. Not a BufferedOutputStream: that one
     * passes its buffer on as soon as the next write does not fit whole, so with RECORD bytes the Apache client's
     * 8 KB writes would still leave 8 KB at a time, and with 16 KB each went as a full record and one of 17 bytes.
     */
    static final class Records extends FilterOutputStream {

        private final byte[] buf = new byte[RECORD];
        private int count;

        Records(OutputStream tls) {
            super(tls);
        }

        @Override
        public void write(int b) throws IOException {
            buf[count++] = (byte) b;
            if (count == RECORD) {
                drain();
            }
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            while (len > 0) {
                int k = Math.min(len, RECORD - count);
                System.arraycopy(b, off, buf, count, k);
                count += k;
                off += k;
                len -= k;
                if (count == RECORD) {
                    drain();
                }
            }
        }

        @Override
        public void flush() throws IOException {
            drain();
            out.flush();
        }

        private void drain() throws IOException {
            if (count > 0) {
                out.write(buf, 0, count);
                count = 0;
            }
        }
    }
}
