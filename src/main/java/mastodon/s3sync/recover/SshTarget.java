package mastodon.s3sync.recover;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Function;

import org.apache.sshd.client.keyverifier.AcceptAllServerKeyVerifier;
import org.apache.sshd.client.keyverifier.KnownHostsServerKeyVerifier;
import org.apache.sshd.client.keyverifier.RejectAllServerKeyVerifier;
import org.apache.sshd.client.keyverifier.ServerKeyVerifier;

/**
 * The Mastodon host the resubscribe commands run on ({@code recover.ssh.*}), and how its host key is checked: with
 * strict checking (the default) the key must be in the known_hosts file (plain or hashed entries, any key type;
 * unknown or changed keys are refused and nothing is written to the file); without it any key is accepted.
 */
public record SshTarget(String host, int port, String user, Path keyFile, Path knownHosts, boolean strictHostKeyChecking) {

    public static SshTarget from(Function<String, String> props) {
        String port = blankToNull(props.apply("recover.ssh.port"));
        int p;
        try {
            p = port == null ? 22 : Integer.parseInt(port);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("recover.ssh.port '" + port + "' is not a number. Fix: e.g. 22.");
        }
        String known = blankToNull(props.apply("recover.ssh.known-hosts"));
        String key = blankToNull(props.apply("recover.ssh.key-file"));
        String strict = blankToNull(props.apply("recover.ssh.strict-host-key-checking"));
        return new SshTarget(blankToNull(props.apply("recover.ssh.host")), p, blankToNull(props.apply("recover.ssh.user")),
                key == null ? null : expand(key), expand(known == null ? "~/.ssh/known_hosts" : known),
                strict == null || !strict.equalsIgnoreCase("false"));
    }

    /** @return null when commands can be run with these settings, else the problem and its fix */
    public String problem() {
        if (host == null) {
            return "--resubscribe needs the Mastodon host. Fix: set RECOVER_SSH_HOST (recover.ssh.host).";
        }
        if (user == null) {
            return "--resubscribe needs the SSH user on " + host + ". Fix: set RECOVER_SSH_USER (recover.ssh.user), "
                    + "usually mastodon.";
        }
        if (keyFile == null || !Files.isReadable(keyFile)) {
            return "--resubscribe needs a readable private key file" + (keyFile == null ? "" : " (" + keyFile + " is not)")
                    + ". Fix: set RECOVER_SSH_KEY_FILE (recover.ssh.key-file) to an unencrypted key whose public half is "
                    + "in ~" + user + "/.ssh/authorized_keys on " + host + ".";
        }
        if (strictHostKeyChecking && !Files.isReadable(knownHosts)) {
            return "the known_hosts file " + knownHosts + " cannot be read, so the host key of " + host + " cannot be "
                    + "checked. Fix: run 'ssh-keyscan -p " + port + " " + host + " >> " + knownHosts + "' and compare the "
                    + "fingerprint with the server's, or set RECOVER_SSH_KNOWN_HOSTS (recover.ssh.known-hosts).";
        }
        if (port < 1 || port > 65535) {
            return "recover.ssh.port " + port + " is out of range. Fix: e.g. 22.";
        }
        return null;
    }

    public String describe() {
        return (user == null ? "" : user + "@") + (host == null ? "(recover.ssh.host not set)" : host) + ":" + port;
    }

    public ServerKeyVerifier serverKeyVerifier() {
        return strictHostKeyChecking
                ? new KnownHostsServerKeyVerifier(RejectAllServerKeyVerifier.INSTANCE, knownHosts)
                : AcceptAllServerKeyVerifier.INSTANCE;
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.strip();
    }

    static Path expand(String path) {
        if (path.equals("~") || path.startsWith("~/")) {
            return Path.of(System.getProperty("user.home") + path.substring(1)).toAbsolutePath();
        }
        return Path.of(path).toAbsolutePath();
    }
}
