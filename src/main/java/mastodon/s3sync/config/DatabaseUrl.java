package mastodon.s3sync.config;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * A libpq-style {@code postgresql://[user[:password]@][host][:port][/dbname][?param=value&...]} URL, as Rails reads
 * {@code DATABASE_URL}. Each part is null when the URL does not name it. The host may be a percent-encoded socket
 * directory ({@code %2Fvar%2Frun%2Fpostgresql}) or come from a {@code host=} parameter
 * ({@code postgresql://mastodon@/mastodon_production?host=/var/run/postgresql}). Parts are percent-decoded; a
 * {@code +} stays a {@code +} (this is not a form).
 */
record DatabaseUrl(String user, String password, String host, String port, String name, String sslmode) {

    static DatabaseUrl parse(String url) {
        int sep = url.indexOf("://");
        String scheme = sep < 0 ? "" : url.substring(0, sep);
        if (!scheme.equals("postgres") && !scheme.equals("postgresql")) {
            throw new IllegalArgumentException("scheme must be postgres:// or postgresql://");
        }
        String rest = url.substring(sep + 3);
        int hash = rest.indexOf('#');
        if (hash >= 0) {
            rest = rest.substring(0, hash);
        }
        String query = null;
        int q = rest.indexOf('?');
        if (q >= 0) {
            query = rest.substring(q + 1);
            rest = rest.substring(0, q);
        }
        int slash = rest.indexOf('/');
        String authority = slash >= 0 ? rest.substring(0, slash) : rest;
        String path = slash >= 0 ? rest.substring(slash + 1) : "";
        String user = null;
        String password = null;
        int at = authority.lastIndexOf('@');
        if (at >= 0) {
            String info = authority.substring(0, at);
            authority = authority.substring(at + 1);
            int colon = info.indexOf(':');
            user = emptyToNull(decode(colon >= 0 ? info.substring(0, colon) : info));
            password = colon >= 0 ? decode(info.substring(colon + 1)) : null;
        }
        String host;
        String port = null;
        if (authority.startsWith("[")) {
            int close = authority.indexOf(']');
            if (close < 0) {
                throw new IllegalArgumentException("unclosed '[' in the host");
            }
            host = authority.substring(1, close);
            String after = authority.substring(close + 1);
            if (after.startsWith(":")) {
                port = after.substring(1);
            } else if (!after.isEmpty()) {
                throw new IllegalArgumentException("unexpected '" + after + "' after the host");
            }
        } else {
            int colon = authority.lastIndexOf(':');
            host = colon >= 0 ? authority.substring(0, colon) : authority;
            port = colon >= 0 ? authority.substring(colon + 1) : null;
            host = decode(host);
        }
        if (port != null && port.isEmpty()) {
            port = null;
        }
        if (port != null && !port.matches("\\d{1,5}")) {
            throw new IllegalArgumentException("the port '" + port + "' is not a number");
        }
        String sslmode = null;
        if (query != null) {
            for (String kv : query.split("&")) {
                String[] p = kv.split("=", 2);
                if (p.length < 2) {
                    continue;
                }
                String k = decode(p[0]);
                String v = decode(p[1]);
                switch (k) {
                    case "sslmode" -> sslmode = v;
                    case "host" -> host = v;
                    case "port" -> port = v;
                    case "user" -> user = v;
                    case "password" -> password = v;
                    case "dbname" -> path = p[1];
                    default -> {
                        // other libpq parameters do not change where we connect
                    }
                }
            }
        }
        return new DatabaseUrl(user, password, emptyToNull(host), port, emptyToNull(decode(path)), sslmode);
    }

    private static String emptyToNull(String s) {
        return s == null || s.isEmpty() ? null : s;
    }

    /** Percent-decoding (RFC 3986), UTF-8. */
    static String decode(String s) {
        if (s.indexOf('%') < 0) {
            return s;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int i = 0;
        while (i < s.length()) {
            int pct = s.indexOf('%', i);
            String plain = pct < 0 ? s.substring(i) : s.substring(i, pct);
            out.writeBytes(plain.getBytes(StandardCharsets.UTF_8));
            if (pct < 0) {
                break;
            }
            if (pct + 2 >= s.length() || Character.digit(s.charAt(pct + 1), 16) < 0
                    || Character.digit(s.charAt(pct + 2), 16) < 0) {
                throw new IllegalArgumentException("bad percent-encoding in '" + s + "'");
            }
            out.write(Integer.parseInt(s.substring(pct + 1, pct + 3), 16));
            i = pct + 3;
        }
        return out.toString(StandardCharsets.UTF_8);
    }
}
