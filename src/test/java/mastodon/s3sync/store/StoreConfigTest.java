package mastodon.s3sync.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import org.junit.jupiter.api.Test;

class StoreConfigTest {

    @Test
    void connectionsAreNeverFewerThanTheWorkersAndTheTablesListingsNeed() {
        assertThat(StoreConfig.connections(null, null)).isEqualTo(64);
        assertThat(StoreConfig.connections("32", "16")).isEqualTo(32);
        // 100 workers each holding a connection while they stream, and eight page listings
        assertThat(StoreConfig.connections("64", "100")).isEqualTo(108);
        assertThat(StoreConfig.connections("", "100")).isEqualTo(108);
        assertThat(StoreConfig.connections("64", "many")).isEqualTo(64);
        assertThat(StoreConfig.from("target", Map.of("copy.max-connections", "10", "copy.concurrency", "16")::get)
                .maxConnections()).isEqualTo(24);
    }
}
