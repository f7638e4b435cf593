package mastodon.s3sync.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.RecordComponent;
import java.util.Arrays;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import mastodon.s3sync.testing.S3Server;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.endpoints.Endpoint;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.endpoints.S3EndpointParams;
import software.amazon.awssdk.services.s3.endpoints.S3EndpointProvider;

/**
 * S3's endpoint rules are evaluated once per bucket and client setting, not for every request, and answer what the
 * SDK's rules answer: path-style at an endpoint of its own (s3proxy here, B2, R2, MinIO...) and AWS's own
 * virtual-hosted addresses.
 */
@Timeout(60)
class CachedEndpointsTest {

    /** The SDK's rules, counting how often they run. */
    static final class Counting implements S3EndpointProvider {
        final AtomicInteger calls = new AtomicInteger();
        final S3EndpointProvider rules = S3EndpointProvider.defaultProvider();

        @Override
        public CompletableFuture<Endpoint> resolveEndpoint(S3EndpointParams params) {
            calls.incrementAndGet();
            return rules.resolveEndpoint(params);
        }
    }

    private static S3EndpointParams pathStyle(String bucket, String key) {
        return S3EndpointParams.builder().bucket(bucket).key(key).region(Region.US_EAST_1)
                .endpoint("http://127.0.0.1:9000").forcePathStyle(true).useFips(false).useDualStack(false)
                .accelerate(false).build();
    }

    private static S3EndpointParams aws(String bucket, String key, Region region) {
        return S3EndpointParams.builder().bucket(bucket).key(key).region(region).useFips(false).useDualStack(false)
                .accelerate(false).forcePathStyle(false).build();
    }

    @Test
    void theRulesRunOncePerBucketWhateverTheKeyAndAnswerAsTheSdkDoes() {
        Counting rules = new Counting();
        CachedEndpoints cached = new CachedEndpoints(rules);
        for (int i = 0; i < 50; i++) {
            Endpoint e = cached.resolveEndpoint(pathStyle("media", "cache/media_attachments/files/" + i + ".png"))
                    .join();
            assertThat(e.url().toString()).isEqualTo("http://127.0.0.1:9000/media");
        }
        assertThat(rules.calls).hasValue(1);

        Endpoint other = cached.resolveEndpoint(pathStyle("other", "k")).join();
        assertThat(other.url().toString()).isEqualTo("http://127.0.0.1:9000/other");
        Endpoint virtualHosted = cached.resolveEndpoint(aws("files-example", "a/b.png", Region.EU_WEST_1)).join();
        assertThat(virtualHosted.url()).isEqualTo(S3EndpointProvider.defaultProvider()
                .resolveEndpoint(aws("files-example", "x", Region.EU_WEST_1)).join().url());
        assertThat(virtualHosted.url().getHost()).isEqualTo("files-example.s3.eu-west-1.amazonaws.com");
        Endpoint otherRegion = cached.resolveEndpoint(aws("files-example", "a/b.png", Region.US_WEST_2)).join();
        assertThat(otherRegion.url().getHost()).isEqualTo("files-example.s3.us-west-2.amazonaws.com");
        assertThat(rules.calls).hasValue(4);
        assertThat(cached.size()).isEqualTo(4);
    }

    /**
     * A later SDK (a Camel upgrade brings one) may give the rules a new parameter: the key must then hold it too, or
     * two requests that differ in it would share an answer. Only the per-object ones stay out of the key.
     */
    @Test
    void theKeyHoldsEveryParameterButThePerObjectOnes() {
        Set<String> perObject = Set.of("key", "prefix", "copySource", "deleteObjectKeys");
        Set<String> parameters = Arrays.stream(S3EndpointParams.class.getDeclaredMethods())
                .filter(m -> Modifier.isPublic(m.getModifiers()) && !Modifier.isStatic(m.getModifiers())
                        && m.getParameterCount() == 0 && !m.isBridge())
                .map(Method::getName)
                .filter(n -> !Set.of("toBuilder", "equals", "hashCode", "toString").contains(n)
                        && !perObject.contains(n))
                .collect(java.util.stream.Collectors.toSet());
        Set<String> kept = Arrays.stream(CachedEndpoints.Key.class.getRecordComponents())
                .map(RecordComponent::getName).collect(java.util.stream.Collectors.toSet());
        assertThat(kept).containsExactlyInAnyOrderElementsOf(parameters);
    }

    @Test
    void aFailedResolutionIsNotKept() {
        Counting rules = new Counting();
        CachedEndpoints cached = new CachedEndpoints(rules);
        // S3's rules refuse path-style addressing with transfer acceleration
        S3EndpointParams refused = S3EndpointParams.builder().bucket("media").region(Region.US_EAST_1)
                .forcePathStyle(true).accelerate(true).useFips(false).useDualStack(false).build();
        for (int i = 0; i < 3; i++) {
            assertThatThrownBy(() -> cached.resolveEndpoint(refused).join()).hasMessageContaining("ccelerat");
        }
        assertThat(rules.calls).hasValue(3);
        assertThat(cached.size()).isZero();
    }

    @Test
    void theToolsClientsUseItAndTalkToARealStore(@TempDir Path dir) throws Exception {
        try (S3Server store = new S3Server("cached-key", "cached-secret", dir)) {
            store.createBucket("media");
            store.createBucket("other");
            StoreConfig c = new StoreConfig("target", "media", store.endpoint(), "us-east-1", true, store.accessKey,
                    store.secretKey, "", "public-read", "", 4);
            try (S3Client s3 = S3Stores.client(c)) {
                assertThat(s3.serviceClientConfiguration().endpointProvider()).get()
                        .isInstanceOf(CachedEndpoints.class);
                for (String bucket : new String[] {"media", "other"}) {
                    for (int i = 0; i < 5; i++) {
                        String key = "accounts/avatars/000/000/00" + i + "/original/a.png";
                        s3.putObject(r -> r.bucket(bucket).key(key), RequestBody.fromString(bucket + i));
                        int n = i;
                        assertThat(s3.getObjectAsBytes(r -> r.bucket(bucket).key(key)).asString(
                                StandardCharsets.UTF_8)).isEqualTo(bucket + n);
                    }
                }
                CachedEndpoints endpoints = (CachedEndpoints) s3.serviceClientConfiguration().endpointProvider()
                        .orElseThrow();
                assertThat(endpoints.size()).as("one answer per bucket").isEqualTo(2);
            }
        }
    }
}
