package mastodon.s3sync.recover;

import java.io.BufferedInputStream;
import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.zip.GZIPInputStream;

/**
 * Opens an access log for line-by-line reading: gzip-rotated files ({@code access.log.2.gz}, recognised by their
 * content, not their name) are inflated as they stream. Camel's gzip data format would inflate the whole file into
 * memory first, and rotated logs can be gigabytes. Bytes that are not UTF-8 (another server's log, a damaged file)
 * become U+FFFD instead of ending the read: the lines after them still count.
 */
public final class LogFiles {

    private LogFiles() {
    }

    public static Reader open(File file) throws IOException {
        InputStream in = new BufferedInputStream(Files.newInputStream(file.toPath()), 1 << 16);
        in.mark(2);
        int b1 = in.read();
        int b2 = in.read();
        in.reset();
        InputStream bytes = b1 == 0x1f && b2 == 0x8b ? new GZIPInputStream(in, 1 << 16) : in;
        // InputStreamReader with a Charset replaces malformed input (a CharsetDecoder of its own would throw)
        return new BufferedReader(new InputStreamReader(bytes, StandardCharsets.UTF_8), 1 << 16);
    }
}
