package mastodon.s3sync.db;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Function;

/**
 * The SSH tunnel to the database host, from the {@code db.tunnel.*} settings (environment {@code DB_TUNNEL_*}). With a
 * tunnel, DB_HOST and DB_PORT name the database as seen from the SSH server (usually 127.0.0.1:5432 there).
 *
 * @param keyFile private key (OpenSSH or PEM; RSA, ECDSA or Ed25519)
 * @param keyPassphrase passphrase of an encrypted key, or empty
 * @param knownHosts the known_hosts file the server's host key must be in
 * @param strictHostKeyChecking false accepts any host key (never in production)
 */
public record TunnelConfig(String host, int port, String user, Path keyFile, String keyPassphrase, Path knownHosts,
        boolean strictHostKeyChecking) {

    /** The keys OpenSSH tries when no key file is given, in its order of preference. */
    static final List<String> DEFAULT_KEY_FILES = List.of("~/.ssh/id_ed25519", "~/.ssh/id_ecdsa", "~/.ssh/id_rsa");

    /** @return the tunnel settings, or null when {@code db.tunnel.host} is empty (no tunnel) */
    public static TunnelConfig from(Function<String, String> props) {
        String host = blankToNull(props.apply("db.tunnel.host"));
        if (host == null) {
            return null;
        }
        String port = blankToNull(props.apply("db.tunnel.port"));
        int p;
        try {
            p = port == null ? 22 : Integer.parseInt(port);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("db.tunnel.port (DB_TUNNEL_PORT) is '" + port + "', not a port number. "
                    + "Fix: set it to the SSH port of " + host + " (22 by default).");
        }
        String user = blankToNull(props.apply("db.tunnel.user"));
        if (user == null) {
            user = System.getProperty("user.name");
        }
        String key = blankToNull(props.apply("db.tunnel.key-file"));
        Path keyFile = key != null ? expand(key)
                : DEFAULT_KEY_FILES.stream().map(TunnelConfig::expand).filter(Files::isRegularFile).findFirst()
                        .orElse(expand(DEFAULT_KEY_FILES.get(0)));
        String pass = props.apply("db.tunnel.key-passphrase");
        String known = blankToNull(props.apply("db.tunnel.known-hosts"));
        String strict = blankToNull(props.apply("db.tunnel.strict-host-key-checking"));
        if (strict != null && !strict.equalsIgnoreCase("true") && !strict.equalsIgnoreCase("false")) {
            throw new IllegalArgumentException("db.tunnel.strict-host-key-checking (DB_TUNNEL_STRICT_HOST_KEY_CHECKING) is '"
                    + strict + "'. Fix: set it to true (default) or false.");
        }
        return new TunnelConfig(host, p, user, keyFile, pass == null ? "" : pass,
                expand(known == null ? "~/.ssh/known_hosts" : known), !"false".equalsIgnoreCase(strict));
    }

    /** {@code ~/x} is x under the home directory of the user running the tool. */
    static Path expand(String path) {
        if (path.equals("~") || path.startsWith("~/")) {
            return Path.of(System.getProperty("user.home"), path.substring(1).replaceFirst("^/", ""));
        }
        return Path.of(path);
    }

    private static String blankToNull(String v) {
        return v == null || v.isBlank() ? null : v.strip();
    }

    public String describe() {
        return user + "@" + host + ":" + port;
    }

    @Override
    public String toString() {
        return "SSH tunnel via " + describe() + " (key " + keyFile + ", known hosts " + knownHosts + ")"; // never the passphrase
    }
}
