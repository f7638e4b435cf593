package mastodon.s3sync.testing;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;

import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.config.keys.PublicKeyEntry;
import org.apache.sshd.common.config.keys.writer.openssh.OpenSSHKeyPairResourceWriter;
import org.apache.sshd.common.keyprovider.KeyPairProvider;
import org.apache.sshd.server.Environment;
import org.apache.sshd.server.ExitCallback;
import org.apache.sshd.server.SshServer;
import org.apache.sshd.server.channel.ChannelSession;
import org.apache.sshd.server.command.Command;

/**
 * A real SSH server (Apache MINA SSHD) on 127.0.0.1 that accepts one user with one key, records every exec command
 * line it receives and answers each with the exit status and stderr that {@code answer} gives. Keys are generated
 * per server (ECDSA P-256), the client's private key written in OpenSSH format.
 */
public final class RecordingSshServer implements AutoCloseable {

    /** What the "remote" command does: its exit status and what it writes to stderr. */
    public record Answer(int exitStatus, String stderr) {
    }

    private final SshServer sshd;
    private final KeyPair hostKey;
    private final KeyPair clientKey;
    private final List<String> commands = new CopyOnWriteArrayList<>();

    public RecordingSshServer(String user, Function<String, Answer> answer) throws IOException, GeneralSecurityException {
        hostKey = newKey();
        clientKey = newKey();
        sshd = SshServers.newServer();
        sshd.setHost("127.0.0.1");
        sshd.setPort(0);
        sshd.setKeyPairProvider(KeyPairProvider.wrap(hostKey));
        sshd.setPasswordAuthenticator(null);
        sshd.setKeyboardInteractiveAuthenticator(null);
        sshd.setPublickeyAuthenticator((u, key, session) -> u.equals(user) && KeyUtils.compareKeys(key, clientKey.getPublic()));
        sshd.setCommandFactory((channel, command) -> new Recorded(command, answer));
        sshd.start();
    }

    public static KeyPair newKey() throws GeneralSecurityException {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec("secp256r1"));
        return g.generateKeyPair();
    }

    public int port() {
        return sshd.getPort();
    }

    /** Command lines received, in order. */
    public List<String> commands() {
        return List.copyOf(commands);
    }

    /** Writes the client's private key (OpenSSH format, unencrypted, mode 600) and returns its path. */
    public Path writeClientKey(Path file) throws IOException, GeneralSecurityException {
        try (OutputStream out = Files.newOutputStream(file)) {
            OpenSSHKeyPairResourceWriter.INSTANCE.writePrivateKey(clientKey, "recover-test", null, out);
        }
        file.toFile().setReadable(false, false);
        file.toFile().setReadable(true, true);
        return file;
    }

    /** A known_hosts line for this server as ssh writes it for a non-standard port. */
    public String knownHostsLine() {
        return knownHostsLine(hostKey);
    }

    /** A known_hosts line naming this server but with another key (a changed or spoofed host key). */
    public String knownHostsLine(KeyPair key) {
        return "[127.0.0.1]:" + port() + " " + PublicKeyEntry.toString(key.getPublic());
    }

    @Override
    public void close() throws IOException {
        sshd.stop(true);
    }

    private final class Recorded implements Command {
        private final String command;
        private final Function<String, Answer> answer;
        private OutputStream err;
        private ExitCallback exit;

        Recorded(String command, Function<String, Answer> answer) {
            this.command = command;
            this.answer = answer;
        }

        @Override
        public void setInputStream(java.io.InputStream in) {
        }

        @Override
        public void setOutputStream(OutputStream out) {
        }

        @Override
        public void setErrorStream(OutputStream err) {
            this.err = err;
        }

        @Override
        public void setExitCallback(ExitCallback callback) {
            this.exit = callback;
        }

        @Override
        public void start(ChannelSession channel, Environment env) throws IOException {
            commands.add(command);
            Answer a = answer.apply(command);
            if (!a.stderr().isEmpty()) {
                err.write(a.stderr().getBytes(StandardCharsets.UTF_8));
                err.flush();
            }
            exit.onExit(a.exitStatus());
        }

        @Override
        public void destroy(ChannelSession channel) {
        }
    }
}
