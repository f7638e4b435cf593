package mastodon.s3sync.recover;

import java.time.Instant;

/**
 * One request of an nginx access log in the "combined" format. {@code path} is the request target without its query
 * string; it is null when the request line is not {@code METHOD TARGET [PROTOCOL]} (a TLS handshake sent to the
 * plain-text port, say), which is a valid log line of a request that matches no rule.
 */
public record AccessLogEntry(String remoteAddr, Instant time, String method, String path, String query, int status,
                             String referer, String userAgent) {
}
