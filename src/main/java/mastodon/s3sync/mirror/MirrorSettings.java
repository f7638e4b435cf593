package mastodon.s3sync.mirror;

import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;

import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sqs.SqsClient;

import mastodon.s3sync.store.S3Stores;
import mastodon.s3sync.store.StoreConfig;

/**
 * The mirror's effective settings. Each value comes from, highest first: its {@code mirror.*} property (command
 * line, environment in Camel's form, application.properties), the config file, the AWS SDK's standard variable
 * ({@code AWS_REGION}, {@code AWS_ENDPOINT_URL_SQS}, {@code AWS_ENDPOINT_URL_S3}, {@code AWS_ACCESS_KEY_ID},
 * {@code AWS_SECRET_ACCESS_KEY}), the default.
 */
public record MirrorSettings(MirrorConfig config, String queue, String bucket, String region, String sqsEndpoint,
                             String s3Endpoint, String accessKey, String secretKey, Path stateDir,
                             Duration sequencerRetention, boolean leaveUnmapped) {

    public static MirrorSettings resolve(Function<String, String> props, Map<String, String> env) {
        Function<String, String> p = k -> {
            String v = props.apply(k);
            return v == null || v.isBlank() ? null : v.strip();
        };
        String file = p.apply("mirror.config");
        if (file == null) {
            throw new IllegalArgumentException("the mirror needs a config file. Fix: pass --config FILE.json (or set "
                    + "mirror.config / MIRROR_CONFIG).");
        }
        MirrorConfig c = MirrorConfig.read(Path.of(file));
        String region = first(p.apply("mirror.region"), c.region(), env.get("AWS_REGION"), env.get("AWS_DEFAULT_REGION"),
                "us-east-1");
        String sqs = first(p.apply("mirror.sqs-endpoint"), c.sqsEndpoint(), env.get("AWS_ENDPOINT_URL_SQS"),
                env.get("AWS_ENDPOINT_URL"), "");
        String s3 = first(p.apply("mirror.s3-endpoint"), c.s3Endpoint(), env.get("AWS_ENDPOINT_URL_S3"),
                env.get("AWS_ENDPOINT_URL"), "");
        String access = first(p.apply("mirror.access-key"), env.get("AWS_ACCESS_KEY_ID"), p.apply("source.access-key"), "");
        String secret = first(p.apply("mirror.secret-key"), env.get("AWS_SECRET_ACCESS_KEY"),
                p.apply("source.secret-key"), "");
        // empty: the command chooses (StateLocation), and sets it before the routes start
        Path state = Path.of(first(p.apply("mirror.state-dir"), ""));
        String unmapped = first(p.apply("mirror.unmapped"), "ack");
        if (!unmapped.equals("ack") && !unmapped.equals("leave")) {
            throw new IllegalArgumentException("mirror.unmapped must be 'ack' or 'leave', not '" + unmapped + "'.");
        }
        long days;
        try {
            days = Long.parseLong(first(p.apply("mirror.sequencer-retention-days"), "14"));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("mirror.sequencer-retention-days must be a whole number of days.");
        }
        return new MirrorSettings(c, first(p.apply("mirror.queue"), c.queue()), first(p.apply("mirror.bucket"),
                c.bucket(), ""), region, sqs, s3, access, secret, state, Duration.ofDays(days),
                unmapped.equals("leave"));
    }

    /** The resolved values as properties, so that Camel's beans see what the preflight saw. */
    public Map<String, String> asProperties() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("mirror.queue", queue);
        m.put("mirror.queue-name", MirrorConfig.queueName(queue));
        m.put("mirror.bucket", bucket);
        m.put("mirror.region", region);
        m.put("mirror.sqs-endpoint", sqsEndpoint);
        m.put("mirror.s3-endpoint", s3Endpoint);
        m.put("mirror.state-dir", stateDir.toString());
        if (!accessKey.isEmpty()) {
            m.put("mirror.access-key", accessKey);
            m.put("mirror.secret-key", secretKey);
        }
        return m;
    }

    public SqsClient sqsClient() {
        return mastodon.s3sync.queue.SqsClients.build(region, sqsEndpoint, accessKey, secretKey, 50);
    }

    public StoreConfig store() {
        return new StoreConfig("mirror", bucket, s3Endpoint, region, !s3Endpoint.isEmpty(), accessKey, secretKey, "",
                "private", "", 32);
    }

    public S3Client s3Client() {
        return S3Stores.client(store());
    }

    private static String first(String... values) {
        for (String v : values) {
            if (v != null && !v.isBlank()) {
                return v.strip();
            }
        }
        return values[values.length - 1]; // the default, even when empty
    }
}
