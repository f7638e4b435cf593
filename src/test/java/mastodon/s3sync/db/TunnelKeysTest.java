package mastodon.s3sync.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.KeyPair;
import java.util.List;

import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.keyprovider.KeyPairProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import mastodon.s3sync.db.DatabaseTunnel.TunnelException;
import mastodon.s3sync.testing.SshTunnelServer;

/** The tunnel's key file is decrypted once per process: the check at start and the routes' pool share it. */
class TunnelKeysTest {

    private static TunnelConfig config(Path key, String passphrase) {
        return new TunnelConfig("bastion", 22, "mastodon", key, passphrase, null, false);
    }

    @Test
    void theSameFileAndPassphraseAreDecryptedOnce(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("id_ed25519");
        SshTunnelServer.writePrivateKey(KeyUtils.generateKeyPair(KeyPairProvider.SSH_ED25519, 256), file, "pass one");
        List<KeyPair> first = TunnelKeys.load(config(file, "pass one"));
        List<KeyPair> again = TunnelKeys.load(config(file, "pass one"));
        assertThat(again).hasSize(1);
        assertThat(again.get(0)).isSameAs(first.get(0));
    }

    @Test
    void aWrongPassphraseFailsEvenAfterTheKeyWasRead(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("id_ed25519");
        SshTunnelServer.writePrivateKey(KeyUtils.generateKeyPair(KeyPairProvider.SSH_ED25519, 256), file, "right");
        assertThat(TunnelKeys.load(config(file, "right"))).hasSize(1);
        assertThatThrownBy(() -> TunnelKeys.load(config(file, "wrong"))).isInstanceOf(TunnelException.class)
                .hasMessageContaining("DB_TUNNEL_KEY_PASSPHRASE");
        assertThat(TunnelKeys.load(config(file, "right"))).hasSize(1);
    }

    @Test
    void aReplacedFileIsReadAgain(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("id_ed25519");
        KeyPair one = KeyUtils.generateKeyPair(KeyPairProvider.SSH_ED25519, 256);
        KeyPair two = KeyUtils.generateKeyPair(KeyPairProvider.SSH_ED25519, 256);
        SshTunnelServer.writePrivateKey(one, file, "pp");
        Files.setLastModifiedTime(file, FileTime.fromMillis(1_000_000_000L));
        assertThat(TunnelKeys.load(config(file, "pp")).get(0).getPublic()).isEqualTo(one.getPublic());
        SshTunnelServer.writePrivateKey(two, file, "pp");
        Files.setLastModifiedTime(file, FileTime.fromMillis(2_000_000_000L));
        assertThat(TunnelKeys.load(config(file, "pp")).get(0).getPublic()).isEqualTo(two.getPublic());
    }
}
