package mastodon.s3sync.db;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.util.ArrayList;
import java.util.List;

import org.apache.sshd.common.NamedResource;
import org.apache.sshd.common.config.keys.FilePasswordProvider;
import org.apache.sshd.common.util.security.SecurityUtils;

import mastodon.s3sync.db.DatabaseTunnel.TunnelException;

/** The SSH key of the database tunnel's login. */
final class TunnelKeys {

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
            return out;
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
