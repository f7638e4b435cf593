package mastodon.s3sync;

import java.time.Clock;

import org.apache.camel.BindToRegistry;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;

import mastodon.s3sync.mirror.Mirror;
import mastodon.s3sync.mirror.MirrorAction;
import mastodon.s3sync.mirror.MirrorResync;
import mastodon.s3sync.mirror.MirrorSettings;
import mastodon.s3sync.mirror.QueueAcks;
import mastodon.s3sync.mirror.S3EventParser;
import mastodon.s3sync.mirror.S3Notification;
import mastodon.s3sync.mirror.SequencerStore;
import mastodon.s3sync.ops.MirrorTotals;
import io.micrometer.core.instrument.MeterRegistry;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * The beans of routes/mirror.camel.yaml, built from the {@code mirror.*} properties (which the mirror command
 * resolved from the config file and the AWS variables). Lazy: only a command that loads the mirror routes builds them.
 */
public class MirrorBeans implements CamelConfiguration {

    static MirrorSettings settings(CamelContext ctx) {
        return MirrorSettings.resolve(Beans.props(ctx), java.util.Map.of());
    }

    @BindToRegistry(value = "mirrorSqs", lazy = true, destroyMethod = "close")
    public SqsClient mirrorSqs(CamelContext ctx) {
        return settings(ctx).sqsClient();
    }

    /** Deletes the applied messages, ten per request (route mirror-acks). */
    @BindToRegistry(value = "mirrorAcks", lazy = true)
    public QueueAcks mirrorAcks(CamelContext ctx) {
        String url = Beans.props(ctx).apply("mirror.queue-url");
        return new QueueAcks(ctx.getRegistry().lookupByNameAndType("mirrorSqs", SqsClient.class), () -> url);
    }

    @BindToRegistry(value = "mirrorS3", lazy = true, destroyMethod = "close")
    public S3Client mirrorS3(CamelContext ctx) {
        return settings(ctx).s3Client();
    }

    /** Not lazy: an event notifier that logs the route's counters once the routes have stopped. */
    @BindToRegistry("mirrorTotals")
    public MirrorTotals mirrorTotals(CamelContext ctx) {
        MirrorTotals totals = new MirrorTotals(() -> ctx.getRegistry().lookupByNameAndType("metricsRegistry",
                MeterRegistry.class));
        ctx.getManagementStrategy().addEventNotifier(totals);
        return totals;
    }

    @BindToRegistry(value = "mirrorSequencers", lazy = true, destroyMethod = "close")
    public SequencerStore mirrorSequencers(CamelContext ctx) {
        MirrorSettings s = settings(ctx);
        return new SequencerStore(s.stateDir(), s.sequencerRetention(), Clock.systemUTC());
    }

    @BindToRegistry(value = "mirrorParser", lazy = true)
    public S3EventParser mirrorParser() {
        return new S3EventParser();
    }

    @BindToRegistry(value = "mirror", lazy = true)
    public Mirror mirror(CamelContext ctx) {
        MirrorSettings s = settings(ctx);
        return new Mirror(s.config().mapping(), ctx.getRegistry().lookupByNameAndType("mirrorSequencers",
                SequencerStore.class), 60_000, s.bucket());
    }

    @BindToRegistry(value = "mirrorResync", lazy = true)
    public MirrorResync mirrorResync(CamelContext ctx) {
        MirrorSettings s = settings(ctx);
        return new MirrorResync(ctx.getRegistry().lookupByNameAndType("mirrorS3", S3Client.class), s.bucket(),
                s.config().mapping(), Boolean.parseBoolean(Beans.props(ctx).apply("mirror.delete")));
    }

    /** The route compares these enums with their names: see {@link EnumNames}. */
    @Override
    public void configure(CamelContext ctx) {
        EnumNames.register(ctx, MirrorAction.Placement.class, S3Notification.Kind.class);
    }
}
