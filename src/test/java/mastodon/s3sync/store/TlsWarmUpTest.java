package mastodon.s3sync.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import org.junit.jupiter.api.Test;

class TlsWarmUpTest {

    /** Every record sealed and opened intact: the warm-up runs the JDK's AES-GCM, not a path that fails early. */
    @Test
    void sealsAndOpensEveryRecord() {
        assertThat(TlsWarmUp.run()).isEqualTo(TlsWarmUp.RECORDS);
    }

    @Test
    void onlyWhenSomethingSpeaksHttps() {
        assertThat(TlsWarmUp.wanted(Map.of("source.kind", "bucket", "source.endpoint", "https://s3.example.com",
                "target.kind", "bucket", "target.endpoint", "http://127.0.0.1:9000"))).isTrue();
        assertThat(TlsWarmUp.wanted(Map.of("source.kind", "bucket", "source.endpoint", "",
                "target.kind", "directory"))).as("AWS's own endpoint").isTrue();
        assertThat(TlsWarmUp.wanted(Map.of("source.kind", "bucket", "source.endpoint", "http://127.0.0.1:9000",
                "target.kind", "bucket", "target.endpoint", "HTTP://minio:9000"))).isFalse();
        assertThat(TlsWarmUp.wanted(Map.of("source.kind", "directory", "target.kind", "directory"))).isFalse();
        assertThat(TlsWarmUp.wanted(Map.of("mirror.s3-endpoint", ""))).as("the mirror on AWS").isTrue();
        assertThat(TlsWarmUp.wanted(Map.of("mirror.s3-endpoint", "http://127.0.0.1:9000",
                "mirror.sqs-endpoint", "https://sqs.eu-west-1.amazonaws.com"))).isTrue();
    }
}
