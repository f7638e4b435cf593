package mastodon.s3sync.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.net.ServerSocket;

import org.junit.jupiter.api.Test;

/** Ports.free: never from the range the other forks' port-0 servers draw from, and bindable. */
class PortsTest {

    @Test
    void aFreePortIsOutsideTheEphemeralRangeAndBindable() throws Exception {
        int[] ephemeral = Ports.ephemeralRange();
        for (int i = 0; i < 50; i++) {
            int port = Ports.free();
            assertThat(port).as("port %d against the ephemeral range %d-%d", port, ephemeral[0], ephemeral[1])
                    .satisfiesAnyOf(p -> assertThat(p).isLessThan(ephemeral[0]),
                            p -> assertThat(p).isGreaterThan(ephemeral[1]));
            try (ServerSocket s = new ServerSocket()) {
                s.bind(new InetSocketAddress(port));
            }
        }
    }

    @Test
    void aRangeThatStartsLowLeavesThePortsAboveIt() {
        assertThat(Ports.span(new int[] {32768, 60999})).containsExactly(10_000, 32767);
        assertThat(Ports.span(new int[] {1024, 65000})).containsExactly(65001, 65535);
    }
}
