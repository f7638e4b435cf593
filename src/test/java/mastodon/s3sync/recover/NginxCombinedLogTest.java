package mastodon.s3sync.recover;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;

import org.junit.jupiter.api.Test;

class NginxCombinedLogTest {

    private final NginxCombinedLog log = new NginxCombinedLog();

    @Test
    void readsEveryFieldOfACombinedLine() {
        AccessLogEntry e = log.parse("203.0.113.7 - - [20/Nov/2026:09:15:02 +0000] \"POST /api/subscriptions/101?x=1 "
                + "HTTP/1.1\" 404 162 \"-\" \"http.rb/4.4.1 (Mastodon/PubSubHubbub; +https://peer.example/)\"");
        assertThat(e).isEqualTo(new AccessLogEntry("203.0.113.7", Instant.parse("2026-11-20T09:15:02Z"), "POST",
                "/api/subscriptions/101", "x=1", 404, "-", "http.rb/4.4.1 (Mastodon/PubSubHubbub; +https://peer.example/)"));
    }

    @Test
    void convertsTheLocalTimeOffsetToAnInstant() {
        AccessLogEntry e = log.parse("::1 - alice [31/Dec/2026:23:59:59 -0700] \"GET / HTTP/2.0\" 200 0 \"-\" \"curl/8\"");
        assertThat(e.time()).isEqualTo(Instant.parse("2027-01-01T06:59:59Z"));
        assertThat(e.remoteAddr()).isEqualTo("::1");
        assertThat(e.query()).isNull();
    }

    @Test
    void readsEscapedQuotesAndSpacesInQuotedFields() {
        // nginx writes a quote as \x22; other servers (and hand-edited logs) as \"
        AccessLogEntry nginx = log.parse("10.0.0.1 - - [20/Nov/2026:09:15:02 +0000] \"GET /a HTTP/1.1\" 302 5 "
                + "\"https://x.example/say \\x22hi\\x22\" \"Agent \\x22quoted\\x22 (Mastodon/PubSubHubbub)\"");
        assertThat(nginx.referer()).isEqualTo("https://x.example/say \"hi\"");
        assertThat(nginx.userAgent()).isEqualTo("Agent \"quoted\" (Mastodon/PubSubHubbub)");
        AccessLogEntry apache = log.parse("10.0.0.1 - - [20/Nov/2026:09:15:02 +0000] \"GET /a HTTP/1.1\" 302 - "
                + "\"-\" \"A \\\"b\\\" c \\\\ d\"");
        assertThat(apache.userAgent()).isEqualTo("A \"b\" c \\ d");
    }

    @Test
    void aGarbageRequestLineIsAValidEntryWithoutPath() {
        AccessLogEntry e = log.parse("198.51.100.9 - - [20/Nov/2026:09:15:02 +0000] \"\\x16\\x03\\x01\\x02\\x00\\x01\" "
                + "400 157 \"-\" \"-\"");
        assertThat(e).isNotNull();
        assertThat(e.path()).isNull();
        assertThat(e.status()).isEqualTo(400);
    }

    @Test
    void toleratesFieldsAppendedAfterTheUserAgentAndWindowsLineEnds() {
        assertThat(log.parse("10.0.0.1 - - [20/Nov/2026:09:15:02 +0000] \"GET /a HTTP/1.1\" 200 5 \"-\" \"ua\" "
                + "\"192.0.2.1\" rt=0.004\r").path()).isEqualTo("/a");
    }

    @Test
    void malformedLinesAreNull() {
        assertThat(log.parse("")).isNull();
        assertThat(log.parse("not a log line")).isNull();
        // the "common" format: no referer, no user agent
        assertThat(log.parse("10.0.0.1 - - [20/Nov/2026:09:15:02 +0000] \"GET /a HTTP/1.1\" 200 5")).isNull();
        // cut off in the middle (a partly written line)
        assertThat(log.parse("10.0.0.1 - - [20/Nov/2026:09:15:02 +0000] \"GET /api/subscriptions/1 HTTP/1.1\" 404 5 \"-\" \"Masto")).isNull();
        // impossible date, bad status
        assertThat(log.parse("10.0.0.1 - - [32/Nov/2026:09:15:02 +0000] \"GET /a HTTP/1.1\" 200 5 \"-\" \"ua\"")).isNull();
        assertThat(log.parse("10.0.0.1 - - [20/Nov/2026:09:15:02 +0000] \"GET /a HTTP/1.1\" 2000 5 \"-\" \"ua\"")).isNull();
        assertThat(log.parse(null)).isNull();
    }

    @Test
    void longFieldsAndManyEscapesDoNotOverflowTheStack() {
        String url = "/api/subscriptions/7?" + "q=x&".repeat(10_000);
        AccessLogEntry e = log.parse("10.0.0.1 - - [20/Nov/2026:09:15:02 +0000] \"POST " + url + " HTTP/1.1\" 404 0 "
                + "\"" + "\\x22".repeat(20_000) + "\" \"" + "Mastodon/PubSubHubbub ".repeat(2_000) + "\"");
        assertThat(e.path()).isEqualTo("/api/subscriptions/7");
        assertThat(e.referer()).hasSize(20_000);
        assertThat(log.parse("10.0.0.1 - - [20/Nov/2026:09:15:02 +0000] \"" + "\\".repeat(100_001))).isNull();
    }

    @Test
    void crashPaddingBeforeALineIsSkipped() {
        AccessLogEntry e = log.parse("\0".repeat(500) + "10.0.0.1 - - [20/Nov/2026:09:15:02 +0000] \"GET /a HTTP/1.1\" "
                + "200 5 \"-\" \"ua\"");
        assertThat(e.path()).isEqualTo("/a");
        assertThat(e.remoteAddr()).isEqualTo("10.0.0.1"); // not 500 NULs and the address
    }
}
