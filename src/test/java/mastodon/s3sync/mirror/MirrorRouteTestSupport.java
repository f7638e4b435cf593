package mastodon.s3sync.mirror;

import static mastodon.s3sync.mirror.MirrorHarness.BUCKET;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

import org.apache.camel.builder.AdviceWith;
import org.apache.camel.builder.NotifyBuilder;
import org.apache.camel.main.MainConfigurationProperties;
import org.apache.camel.spi.Registry;
import org.apache.camel.test.junit5.CamelContextConfiguration;
import org.apache.camel.test.junit5.TestExecutionConfiguration;
import org.apache.camel.test.main.junit5.CamelMainTestSupport;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import mastodon.s3sync.JobControl;

/**
 * routes/mirror.camel.yaml and mirror-errors.camel.yaml on their own (Camel Main test kit), against ElasticMQ and
 * s3proxy, with the mirror's beans bound directly: a new context per test, started by the test (AdviceWith first).
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
@MirrorServers
abstract class MirrorRouteTestSupport extends CamelMainTestSupport {

    static MirrorHarness h;

    @TempDir
    static Path tmp;

    final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    Path a;
    Path b;
    static String queue;

    @BeforeAll
    static void servers(MirrorHarness shared) throws Exception {
        h = shared;
        queue = h.queue("routes", 2, null);
    }

    /** mirror.unmapped for this class. */
    abstract String unmapped();

    /** mirror.ack-wait: how long mirror-acks holds handles that are neither ten nor the end of a poll. */
    String ackWait() {
        return "1000";
    }

    /** mirror.file-log-level: the level of the line per file written or deleted (application.properties: INFO). */
    String fileLogLevel() {
        return "INFO";
    }

    @Override
    protected void configure(MainConfigurationProperties configuration) {
        configuration.withRoutesIncludePattern("file:routes/mirror.camel.yaml,file:routes/mirror-errors.camel.yaml");
    }

    @Override
    public void configureTest(TestExecutionConfiguration configuration) {
        super.configureTest(configuration);
        configuration.withUseAdviceWith(true);
    }

    @Override
    public void configureContext(CamelContextConfiguration configuration) {
        super.configureContext(configuration);
        Properties p = new Properties();
        p.setProperty("mirror.queue-name", queue);
        p.setProperty("mirror.queue-url", h.url(queue));
        p.setProperty("mirror.wait-time-seconds", "1");
        p.setProperty("mirror.concurrent-consumers", "2");
        p.setProperty("mirror.visibility-timeout", "2");
        p.setProperty("mirror.queue-autostartup", "true");
        p.setProperty("mirror.endpoint-bucket", BUCKET);
        p.setProperty("mirror.resync", "false");
        p.setProperty("mirror.unmapped", unmapped());
        p.setProperty("mirror.ack-wait", ackWait());
        p.setProperty("mirror.file-log-level", fileLogLevel());
        p.setProperty("camel.main.routes-reload-enabled", "false");
        p.setProperty("management.enabled", "false");
        p.setProperty("camel.metrics.enabled", "false");
        p.setProperty("management.jolokia-enabled", "false");
        configuration.withUseOverridePropertiesWithPropertiesComponent(p);
    }

    @Override
    protected void bindToRegistry(Registry registry) throws Exception {
        Path root = Files.createTempDirectory(tmp, "srv");
        a = root.resolve("a");
        b = root.resolve("b");
        PrefixMapping mapping = new PrefixMapping(Map.of("test-folder/", a, "test-folder/folder-01/", b));
        SequencerStore sequencers = new SequencerStore(root.resolve("state"), Duration.ofDays(1), Clock.systemUTC());
        registry.bind("mirrorSqs", h.q);
        registry.bind("mirrorAcks", new QueueAcks(h.q, () -> h.url(queue)));
        registry.bind("mirrorS3", h.s3c);
        registry.bind("mirrorParser", new S3EventParser());
        registry.bind("mirror", new Mirror(mapping, sequencers, 2_000, BUCKET));
        registry.bind("mirrorResync", new MirrorResync(h.s3c, BUCKET, mapping, true));
        registry.bind("jobControl", new JobControl(() -> { }));
        registry.bind("metricsRegistry", meters);
    }

    double count(String outcome) {
        Counter c = meters.find("mastodon.mirror.events").tag("outcome", outcome).counter();
        return c == null ? 0 : c.count();
    }

    /**
     * NotifyBuilder counts the parts of a split too, the copy of each message that mirror-queue's onCompletion hands
     * to mirror-acks, and the groups that route deletes: only whole messages (or the resync pass) here.
     */
    static final org.apache.camel.Predicate NOT_SPLIT = e -> e.getProperty(org.apache.camel.Exchange.SPLIT_INDEX) == null
            && !e.getProperty(org.apache.camel.Exchange.ON_COMPLETION, false, Boolean.class)
            && e.getProperty(org.apache.camel.Exchange.AGGREGATED_SIZE) == null;

    static S3Event event(String name, String bucket, String key, String sequencer) {
        return new S3Event(name, bucket, key, 1, "e", null, sequencer, null);
    }

    void apply(S3Event e) {
        template.sendBody("direct:mirror-apply", e);
    }
}
