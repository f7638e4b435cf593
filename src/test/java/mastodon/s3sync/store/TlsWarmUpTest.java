package mastodon.s3sync.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

class TlsWarmUpTest {

    private static final List<String> COPY = List.of("copy");

    /** Every record sealed and opened intact: the warm-up runs the JDK's AES-GCM, not a path that fails early. */
    @Test
    void sealsAndOpensEveryRecord() {
        assertThat(TlsWarmUp.run()).isEqualTo(TlsWarmUp.RECORDS);
    }

    @Test
    void onlyWhenSomethingSpeaksHttps() {
        assertThat(TlsWarmUp.wanted(COPY, Map.of("source.kind", "bucket", "source.endpoint", "https://s3.example.com",
                "target.kind", "bucket", "target.endpoint", "http://127.0.0.1:9000"))).isTrue();
        assertThat(TlsWarmUp.wanted(COPY, Map.of("source.kind", "bucket", "source.endpoint", "",
                "target.kind", "directory"))).as("AWS's own endpoint").isTrue();
        assertThat(TlsWarmUp.wanted(COPY, Map.of("source.kind", "bucket", "source.endpoint", "http://127.0.0.1:9000",
                "target.kind", "bucket", "target.endpoint", "HTTP://minio:9000"))).isFalse();
        assertThat(TlsWarmUp.wanted(COPY, Map.of("source.kind", "directory", "target.kind", "directory"))).isFalse();
        assertThat(TlsWarmUp.wanted(COPY, Map.of("mirror.s3-endpoint", ""))).as("the mirror on AWS").isTrue();
        assertThat(TlsWarmUp.wanted(COPY, Map.of("mirror.s3-endpoint", "http://127.0.0.1:9000",
                "mirror.sqs-endpoint", "https://sqs.eu-west-1.amazonaws.com"))).isTrue();
    }

    /** Commands that send no object over https start no warm-up, whatever the stores' settings. */
    @Test
    void notWhereNoObjectTravels() {
        Map<String, String> https = Map.of("source.kind", "bucket", "source.endpoint", "https://s3.example.com");
        assertThat(TlsWarmUp.wanted(COPY, https)).isTrue();
        assertThat(TlsWarmUp.wanted(List.of("recover-subscriptions"), https)).isFalse();
        assertThat(TlsWarmUp.wanted(COPY, Map.of("source.kind", "bucket", "source.endpoint", "https://s3.example.com",
                "copy.dry-run", "true"))).isFalse();
    }
}
