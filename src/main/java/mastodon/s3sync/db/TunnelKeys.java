package mastodon.s3sync.db;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.apache.sshd.common.NamedResource;
import org.apache.sshd.common.config.keys.FilePasswordProvider;
import org.apache.sshd.common.util.security.SecurityUtils;

import mastodon.s3sync.db.DatabaseTunnel.TunnelException;

/**
 * The SSH key of the database tunnel's login. A command opens the tunnel twice (the check at start, then the routes'
 * pool), and a passphrase-protected key costs a bcrypt derivation each time it is read (OpenSSH's default 16 rounds:
 * about 0.17 s of CPU once warm, more at start), so the keys read are kept for this process: again for the same
 * file (path, size, modification time) and the same passphrase, read again otherwise.
 */
final class TunnelKeys {

    /** What one key file gave; no toString: it holds the passphrase. */
    private static final class Loaded {
        final long size;
        final long modified;
        final String passphrase;
        final List<KeyPair> keys;

        Loaded(long size, long modified, String passphrase, List<KeyPair> keys) {
            this.size = size;
            this.modified = modified;
            this.passphrase = passphrase;
            this.keys = keys;
        }
    }

    private static final Map<Path, Loaded> LOADED = new ConcurrentHashMap<>();

    private TunnelKeys() {
    }

    /**
     * Reads the private key(s) of the database tunnel's SSH login from its key file, decrypted with its passphrase.
     *
     * @throws TunnelException naming the file and the fix: missing or unreadable, no private key in it, encrypted
     *                         without (or with the wrong) passphrase
     */
    static List<KeyPair> load(TunnelConfig config) throws TunnelException {
        Path file = config.keyFile();
        if (!Files.isReadable(file)) {
            throw new TunnelException("the SSH key file " + file + " does not exist or cannot be read. Fix: set "
                    + "DB_TUNNEL_KEY_FILE (db.tunnel.key-file) to the private key that may log in to "
                    + config.describe() + ".", null);
        }
        Path key = file.toAbsolutePath().normalize();
        BasicFileAttributes attrs;
        try {
            attrs = Files.readAttributes(key, BasicFileAttributes.class);
        } catch (IOException e) {
            attrs = null;
        }
        Loaded before = LOADED.get(key);
        if (attrs != null && before != null && before.size == attrs.size()
                && before.modified == attrs.lastModifiedTime().toMillis()
                && before.passphrase.equals(config.keyPassphrase())) {
            return before.keys;
        }
        List<KeyPair> keys = read(config, file);
        if (attrs != null) {
            LOADED.put(key, new Loaded(attrs.size(), attrs.lastModifiedTime().toMillis(), config.keyPassphrase(),
                    keys));
        }
        return keys;
    }

    private static List<KeyPair> read(TunnelConfig config, Path file) throws TunnelException {
        FilePasswordProvider passphrase = config.keyPassphrase().isEmpty() ? FilePasswordProvider.EMPTY
                : FilePasswordProvider.of(config.keyPassphrase());
        try (InputStream in = Files.newInputStream(file)) {
            List<KeyPair> out = new ArrayList<>();
            Iterable<KeyPair> loaded = SecurityUtils.loadKeyPairIdentities(null, NamedResource.ofName(file.toString()),
                    in, passphrase);
            if (loaded != null) {
                loaded.forEach(out::add);
            }
            if (out.isEmpty()) {
                throw new TunnelException("the SSH key file " + file + " holds no private key. Fix: point "
                        + "DB_TUNNEL_KEY_FILE at a private key (RSA, ECDSA or Ed25519), not a .pub file.", null);
            }
            return List.copyOf(out);
        } catch (TunnelException e) {
            throw e;
        } catch (IOException | GeneralSecurityException | RuntimeException e) {
            String hint = config.keyPassphrase().isEmpty()
                    ? " Fix: if the key is encrypted, set DB_TUNNEL_KEY_PASSPHRASE."
                    : " Fix: check DB_TUNNEL_KEY_PASSPHRASE and that the file is an RSA, ECDSA or Ed25519 private key.";
            throw new TunnelException("cannot read the SSH key file " + file + ": " + DatabaseTunnel.rootMessage(e) + "." + hint, e);
        }
    }
}
