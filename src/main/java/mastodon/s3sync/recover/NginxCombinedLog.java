package mastodon.s3sync.recover;

import java.time.DateTimeException;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parses lines of nginx's default "combined" log format:
 * <pre>$remote_addr - $remote_user [$time_local] "$request" $status $body_bytes_sent "$http_referer" "$http_user_agent"</pre>
 * nginx writes {@code "} and non-printable bytes inside quoted fields as {@code \x22}-style escapes; other servers
 * write {@code \"}. Both are read back. Fields appended after the user agent (a common local extension) are ignored.
 * NUL bytes before a line (the padding a crash leaves in the file) are skipped.
 */
public final class NginxCombinedLog {

    // "unrolled" and possessive: a per-character alternation, (?:[^"\\]|\\.)*, recurses once per character in
    // java.util.regex and overflows the stack on a quoted field of a few thousand characters (a long URL)
    private static final String QUOTED = "\"([^\"\\\\]*+(?:\\\\.[^\"\\\\]*+)*+)\"";
    private static final Pattern LINE = Pattern.compile(
            "^(\\S+) \\S+ (\\S+) \\[([^\\]]+)\\] " + QUOTED + " (\\d{3}) (?:\\d+|-) " + QUOTED + " " + QUOTED
                    + "(?:\\s.*)?$");
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("dd/MMM/yyyy:HH:mm:ss Z", Locale.ENGLISH);

    /** @return the entry, or null when the line is not in the combined format (counted as malformed by the caller) */
    public AccessLogEntry parse(String line) {
        if (line == null) {
            return null;
        }
        String l = line.endsWith("\r") ? line.substring(0, line.length() - 1) : line;
        // a crash leaves the log padded with NUL bytes, and nginx appends its next line right after them
        int start = 0;
        while (start < l.length() && l.charAt(start) == '\0') {
            start++;
        }
        l = l.substring(start);
        Matcher m = LINE.matcher(l);
        if (!m.matches()) {
            return null;
        }
        OffsetDateTime time;
        try {
            time = OffsetDateTime.parse(m.group(3), TIME);
        } catch (DateTimeException e) {
            return null;
        }
        String request = unescape(m.group(4));
        String method = null;
        String path = null;
        String query = null;
        String[] parts = request.split(" ");
        if ((parts.length == 2 || parts.length == 3) && !parts[0].isEmpty() && parts[1].startsWith("/")) {
            method = parts[0];
            String target = parts[1];
            int q = target.indexOf('?');
            path = q < 0 ? target : target.substring(0, q);
            query = q < 0 ? null : target.substring(q + 1);
        }
        return new AccessLogEntry(m.group(1), time.toInstant(), method, path, query, Integer.parseInt(m.group(5)),
                unescape(m.group(6)), unescape(m.group(7)));
    }

    /** Reads back nginx's {@code \xHH} escapes and the {@code \"} / {@code \\} of other servers. */
    static String unescape(String s) {
        if (s.indexOf('\\') < 0) {
            return s;
        }
        StringBuilder sb = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\' && i + 1 < s.length()) {
                char n = s.charAt(i + 1);
                if (n == 'x' && i + 3 < s.length() && isHex(s.charAt(i + 2)) && isHex(s.charAt(i + 3))) {
                    sb.append((char) Integer.parseInt(s.substring(i + 2, i + 4), 16));
                    i += 3;
                    continue;
                }
                if (n == '"' || n == '\\') {
                    sb.append(n);
                    i++;
                    continue;
                }
            }
            sb.append(c);
        }
        return sb.toString();
    }

    private static boolean isHex(char c) {
        return Character.digit(c, 16) >= 0;
    }
}
