package mastodon.s3sync;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import mastodon.s3sync.testing.FaultProxy;
import mastodon.s3sync.testing.PostgresServer;
import mastodon.s3sync.testing.RealServers;
import mastodon.s3sync.testing.S3Server;
import mastodon.s3sync.testing.SourceStore;
import mastodon.s3sync.testing.TargetStore;

/**
 * The stores and the database are checked while Camel reads and builds the routes (start-up: the checks no longer
 * come first), and still no route starts before the checks passed.
 */
@Timeout(180)
@RealServers
class PreflightOverlapTest {

    private static final long SLOW_MS = 6000;
    private static PostgresServer pg;
    private static S3Server source;
    private static S3Server target;

    @BeforeAll
    static void servers(PostgresServer sharedPg, @SourceStore S3Server sharedSource, @TargetStore S3Server sharedTarget)
            throws Exception {
        pg = sharedPg;
        source = sharedSource;
        target = sharedTarget;
        RequiredSettingsTest.mastodon(pg, "mastodon_overlap", source, target);
    }

    /**
     * A proxy in front of {@code store} that holds the first request on the bucket itself (the check's HEAD) SLOW_MS;
     * later ones (the routes' own) pass at once.
     */
    private static FaultProxy slowBucketChecks(S3Server store) throws Exception {
        FaultProxy proxy = new FaultProxy(store.port(), 7);
        proxy.latencyMillis = SLOW_MS;
        AtomicInteger bucketHeads = new AtomicInteger();
        proxy.only(r -> r.method().equals("HEAD") && r.key().isEmpty() && bucketHeads.getAndIncrement() == 0)
                .rate(FaultProxy.Fault.LATENCY, 1.0);
        return proxy;
    }

    @Test
    void theRoutesAreBuiltWhileTheStoresAreChecked(@TempDir Path dir) throws Exception {
        try (FaultProxy slowTarget = slowBucketChecks(target)) {
            Map<String, String> env = RequiredSettingsTest.complete(pg, "mastodon_overlap", source, target);
            env.put("TARGET_S3_ENDPOINT", slowTarget.endpoint());
            env.put("COPY_STATE_DIR", dir.resolve("state").toString());
            InProcessRunner.Running copy = new InProcessRunner(env, dir).start("copy");
            copy.context(Duration.ofSeconds(60));
            // before: the routes were read only after the checks had their answers
            assertThat(slowTarget.started()).as("the target check has begun").isNotEmpty();
            assertThat(slowTarget.seen()).as("and has no answer yet while the routes are ready").isEmpty();
            InProcessRunner.Result r = copy.await(Duration.ofSeconds(120));
            assertThat(r.code()).as(r.all()).isZero();
        }
    }

    @Test
    void aFailedCheckStillStartsNoRoute(@TempDir Path dir) throws Exception {
        try (FaultProxy slowSource = slowBucketChecks(source)) {
            Map<String, String> env = RequiredSettingsTest.complete(pg, "mastodon_overlap", source, target);
            env.put("S3_ENDPOINT", slowSource.endpoint());
            env.put("S3_BUCKET", "no-such-bucket");
            env.put("COPY_STATE_DIR", dir.resolve("state").toString());
            InProcessRunner.Running copy = new InProcessRunner(env, dir).start("copy");
            copy.context(Duration.ofSeconds(60));
            assertThat(slowSource.seen()).as("the routes were ready before the source answered").isEmpty();
            InProcessRunner.Result r = copy.await(Duration.ofSeconds(120));
            assertThat(r.code()).isEqualTo(Application.BAD_CONFIG);
            assertThat(r.err().strip()).startsWith("error: source bucket 'no-such-bucket'")
                    .contains("does not exist").doesNotContain("\nerror:");
            // the check's HEAD and nothing else: no page route listed the source, no worker asked it for an object
            assertThat(slowSource.seen()).extracting(FaultProxy.Seen::method).containsExactly("HEAD");
        }
    }
}
