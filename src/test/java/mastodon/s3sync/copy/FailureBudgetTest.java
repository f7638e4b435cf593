package mastodon.s3sync.copy;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;

import org.junit.jupiter.api.Test;

/** An outage is a run of failures with no success in between; only one longer than the budget stops the job. */
class FailureBudgetTest {

    private Instant now = Instant.parse("2026-11-29T00:00:00Z");

    private final Clock clock = new Clock() {
        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    };

    private final FailureBudget budget = new FailureBudget(Duration.ofSeconds(60),
            Map.of("target", "the target store (https://s3.example, bucket media)"), clock);

    @Test
    void anOutageLongerThanTheBudgetNamesThePartyAndItsLastError() {
        assertThat(budget.failure("target", "HTTP 503 SlowDown: first")).isTrue();
        now = now.plusSeconds(30);
        assertThat(budget.failure("target", "ConnectException: refused")).isFalse();
        assertThat(budget.exhausted()).isNull();
        now = now.plusSeconds(31);
        assertThat(budget.exhausted()).startsWith("the target store (https://s3.example, bucket media) has failed every "
                + "request for 61 s").contains("Last error: ConnectException: refused");
    }

    @Test
    void oneSuccessEndsTheOutage() {
        budget.failure("target", "HTTP 503");
        now = now.plusSeconds(59);
        budget.success("target");
        now = now.plusSeconds(30);
        budget.failure("target", "HTTP 503");
        now = now.plusSeconds(30);
        assertThat(budget.exhausted()).isNull();
    }

    @Test
    void partiesAreCountedSeparatelyAndUnnamedOnesKeepTheirKey() {
        budget.failure("database", "PSQLException: connection refused");
        now = now.plusSeconds(10);
        budget.success("target");
        now = now.plusSeconds(51);
        assertThat(budget.exhausted()).startsWith("database has failed");
        assertThat(budget.failure(null, "no party")).isFalse();
    }
}
