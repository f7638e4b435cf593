package mastodon.s3sync.ops;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;

import org.junit.jupiter.api.Test;

/** The checkpoint's creation time, read from a Mastodon snowflake id; NaN for serial ids. */
class CopyMetricsTest {

    @Test
    void snowflakeIdsGiveTheirCreationTimeSerialIdsGiveNaN() {
        // 109348763475345678 >> 16 = 1668529716115 ms
        assertThat(CopyMetrics.snowflakeSeconds(109348763475345678L)).isEqualTo(1668529716.115);
        assertThat(Instant.ofEpochSecond((long) CopyMetrics.snowflakeSeconds(109348763475345678L)).toString())
                .isEqualTo("2022-11-15T16:28:36Z");
        assertThat(CopyMetrics.snowflakeSeconds(464472)).isNaN();
        assertThat(CopyMetrics.snowflakeSeconds(0)).isNaN();
    }
}
