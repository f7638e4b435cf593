package mastodon.s3sync.testing;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A TCP port for a server that a test starts later, or for a port on which nothing is to listen. {@code new
 * ServerSocket(0)} hands out a port from the kernel's ephemeral range, which the servers the other test forks start on
 * port 0 draw from too (surefire runs four): between the moment a test closed its probe and the moment its server
 * bound the port, another fork's server could take it, and the test then spoke HTTP to an SSH server
 * (OperationsTest, 2026-12-01: {@code Invalid status line: "SSH-2.0-APACHE-SSHD-2.16.0"}). These ports are drawn at
 * random from below the ephemeral range (Linux: {@code /proc/sys/net/ipv4/ip_local_port_range}, 32768-60999 unless
 * changed), where no port-0 server lands, and checked free on every address.
 */
public final class Ports {

    private static final Path RANGE = Path.of("/proc/sys/net/ipv4/ip_local_port_range");

    private Ports() {
    }

    /** A port free on every address now, outside the ephemeral range. */
    public static int free() throws IOException {
        int[] span = span(ephemeralRange());
        if (span[1] < span[0]) { // every port is ephemeral: the kernel's choice, as before
            try (ServerSocket s = new ServerSocket(0)) {
                return s.getLocalPort();
            }
        }
        for (int attempt = 0; attempt < 500; attempt++) {
            int port = ThreadLocalRandom.current().nextInt(span[0], span[1] + 1);
            if (isFree(port)) {
                return port;
            }
        }
        throw new IOException("no free TCP port between " + span[0] + " and " + span[1]);
    }

    /** The kernel's ephemeral ports, low and high (Linux's default when it does not say). */
    public static int[] ephemeralRange() {
        try {
            String[] parts = Files.readString(RANGE).trim().split("\\s+");
            return new int[] {Integer.parseInt(parts[0]), Integer.parseInt(parts[1])};
        } catch (IOException | RuntimeException e) {
            return new int[] {32768, 60999};
        }
    }

    /** Where to draw from: 10000 up to the ephemeral range, or above it when it starts too low to leave room. */
    static int[] span(int[] ephemeral) {
        if (ephemeral[0] - 1 - 10_000 >= 2_000) {
            return new int[] {10_000, ephemeral[0] - 1};
        }
        return new int[] {ephemeral[1] + 1, 65_535};
    }

    private static boolean isFree(int port) {
        try (ServerSocket s = new ServerSocket()) {
            s.setReuseAddress(false);
            s.bind(new InetSocketAddress(port)); // the wildcard address: nothing on any address holds the port
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
