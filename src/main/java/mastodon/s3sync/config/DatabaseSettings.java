package mastodon.s3sync.config;

/**
 * The database settings (db.*): Mastodon's DB_* variables, with DATABASE_URL merged over them as Rails does (what the
 * URL names wins), and a port that is a port. Part of {@link Settings}.
 */
final class DatabaseSettings {

    private DatabaseSettings() {
    }

    static void resolve(Settings s) {
        Settings.Value host = s.first(false, "DB_HOST", "db.host", "localhost");
        Settings.Value port = s.first(false, "DB_PORT", "db.port", "5432");
        Settings.Value name = s.first(false, "DB_NAME", "db.name", "mastodon_production");
        Settings.Value user = s.first(false, "DB_USER", "db.user", "mastodon");
        Settings.Value pass = s.first(true, "DB_PASS", "db.password", "");
        Settings.Value ssl = s.first(false, "DB_SSLMODE", "db.sslmode", "prefer");
        Settings.Value url = s.first(true, "DATABASE_URL", "db.url", null);
        if (url.value() != null && !url.value().isBlank()) {
            // Rails merges DATABASE_URL over the other settings: what the URL names wins
            try {
                DatabaseUrl u = DatabaseUrl.parse(url.value().trim());
                host = merged(s, "db.host", u.host(), host, url);
                port = merged(s, "db.port", u.port(), port, url);
                name = merged(s, "db.name", u.name(), name, url);
                user = merged(s, "db.user", u.user(), user, url);
                pass = merged(s, "db.password", u.password(), pass, url);
                ssl = merged(s, "db.sslmode", u.sslmode(), ssl, url);
            } catch (IllegalArgumentException e) {
                s.problems.add("DATABASE_URL (" + url.origin() + ") is not a valid postgresql:// URL: " + e.getMessage()
                        + ". Fix: use postgresql://USER:PASSWORD@HOST:PORT/DATABASE or unset it and use DB_HOST, DB_PORT, "
                        + "DB_NAME, DB_USER, DB_PASS.");
            }
        }
        s.put("db.host", host);
        s.put("db.port", port);
        s.put("db.name", name);
        s.put("db.user", user);
        s.put("db.password", pass);
        s.put("db.sslmode", ssl);
        if (!port.value().matches("\\d{1,5}") || Integer.parseInt(port.value()) < 1 || Integer.parseInt(port.value()) > 65535) {
            String portName = s.sourceOf("db.port").name();
            String fix = switch (portName) {
                case "db.port" -> "set db.port=5432 in application.properties";
                case "DATABASE_URL" ->
                        "correct the port in DATABASE_URL (postgresql://USER:PASSWORD@HOST:5432/DATABASE)";
                default -> "set " + portName + "=5432";
            };
            s.problems.add(portName + " (" + port.origin() + ") is '" + port.value() + "', not a port number (1-65535). Fix: "
                    + fix + " (PostgreSQL's default port is 5432).");
        }
    }

    /** The URL's part when it names one (then DATABASE_URL is where the setting came from), else the setting as is. */
    private static Settings.Value merged(Settings s, String key, String fromUrl, Settings.Value current,
                                         Settings.Value url) {
        if (fromUrl == null) {
            return current;
        }
        s.sources.put(key, s.sourceOf("db.url"));
        return new Settings.Value(fromUrl, url.origin(), current.secret());
    }
}
