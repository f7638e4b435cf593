package mastodon.s3sync.recover;

import java.io.BufferedInputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.util.zip.GZIPInputStream;

/**
 * Opens an access log for line-by-line reading: gzip-rotated files ({@code access.log.2.gz}, recognised by their
 * content, not their name) are inflated as they stream. Camel's gzip data format would inflate the whole file into
 * memory first, and rotated logs can be gigabytes.
 */
public final class LogFiles {

    private LogFiles() {
    }

    public static InputStream open(File file) throws IOException {
        InputStream in = new BufferedInputStream(Files.newInputStream(file.toPath()), 1 << 16);
        in.mark(2);
        int b1 = in.read();
        int b2 = in.read();
        in.reset();
        if (b1 == 0x1f && b2 == 0x8b) {
            return new GZIPInputStream(in, 1 << 16);
        }
        return in;
    }
}
