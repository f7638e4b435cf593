package mastodon.s3sync.store;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * One part's bytes of the source's stream for {@link PartedUpload}: exactly {@code size} bytes, never more; closing it
 * leaves the source's stream open for the next part. A read error or a stream that ends early marks the source as the
 * side that failed.
 */
final class PartBody extends FilterInputStream {
    private long left;
    private final Party party;

    PartBody(InputStream in, long size, Party party) {
        super(in);
        this.left = size;
        this.party = party;
    }

    @Override
    public int read() throws IOException {
        if (left <= 0) {
            return -1;
        }
        int b = guarded(() -> super.read());
        if (b >= 0) {
            left--;
        } else {
            throw shortRead();
        }
        return b;
    }

    @Override
    public int read(byte[] buf, int off, int len) throws IOException {
        if (left <= 0) {
            return -1;
        }
        int n = guarded(() -> super.read(buf, off, (int) Math.min(len, left)));
        if (n < 0) {
            throw shortRead();
        }
        left -= n;
        return n;
    }

    private IOException shortRead() {
        party.sourceFailed = true;
        return new IOException("the source's stream ended " + left + " bytes before the end of the part");
    }

    private interface Read {
        int run() throws IOException;
    }

    private int guarded(Read r) throws IOException {
        try {
            return r.run();
        } catch (IOException | RuntimeException e) {
            party.sourceFailed = true;
            throw e;
        }
    }

    @Override
    public boolean markSupported() {
        return false;
    }

    @Override
    public void close() {
        // the next part goes on reading the same stream
    }

    /** Whether the source's stream failed (a read error, an early end) or it could not be opened. */
    static final class Party {
        boolean sourceFailed;
        boolean opening;
    }
}
