package mastodon.s3sync.queue;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;

import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * The work queue of a scale-out copy ({@code copy --plan-to QUEUE}, {@code copy --work-from QUEUE}). Each value comes
 * from, highest first: its {@code queue.*} property (environment {@code QUEUE_REGION}, ...), the AWS SDK's standard
 * variable ({@code AWS_REGION}, {@code AWS_ENDPOINT_URL_SQS}, {@code AWS_ACCESS_KEY_ID}), the default (AWS itself,
 * us-east-1, the SDK's credential chain).
 *
 * @param queue     the queue's name or URL, as given on the command line
 * @param region    the region of the queue
 * @param endpoint  the SQS endpoint, empty for AWS's own
 * @param accessKey empty: the SDK's default credential chain
 */
public record QueueSettings(String queue, String region, String endpoint, String accessKey, String secretKey) {

    public static QueueSettings resolve(String queue, Function<String, String> props, Map<String, String> env) {
        Function<String, String> p = k -> {
            String v = props.apply(k);
            return v == null || v.isBlank() ? null : v.strip();
        };
        String region = first(p.apply("queue.region"), env.get("AWS_REGION"), env.get("AWS_DEFAULT_REGION"),
                "us-east-1");
        String endpoint = first(p.apply("queue.endpoint"), env.get("AWS_ENDPOINT_URL_SQS"), env.get("AWS_ENDPOINT_URL"),
                "");
        String access = first(p.apply("queue.access-key"), env.get("AWS_ACCESS_KEY_ID"), "");
        String secret = first(p.apply("queue.secret-key"), env.get("AWS_SECRET_ACCESS_KEY"), "");
        return new QueueSettings(queue.strip(), region, endpoint, access, access.isEmpty() ? "" : secret);
    }

    /** True when the queue was given as its URL rather than its name. */
    public boolean isUrl() {
        return queue.startsWith("https://") || queue.startsWith("http://");
    }

    /** The queue's name: the last path segment of its URL, or the name as given. */
    public String name() {
        String q = queue.endsWith("/") ? queue.substring(0, queue.length() - 1) : queue;
        return isUrl() ? q.substring(q.lastIndexOf('/') + 1) : q;
    }

    /** Where the queue is, for messages: the endpoint, or AWS SQS and the region. */
    public String where() {
        return endpoint.isEmpty() ? "AWS SQS (" + region + ")" : endpoint;
    }

    /** The settings the Camel beans read (what the command's check found), the queue URL included. */
    public Map<String, String> asProperties(String queueUrl) {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("queue.name", name());
        m.put("queue.url", queueUrl);
        m.put("queue.region", region);
        m.put("queue.endpoint", endpoint);
        if (!accessKey.isEmpty()) {
            m.put("queue.access-key", accessKey);
            m.put("queue.secret-key", secretKey);
        }
        return m;
    }

    public SqsClient sqsClient() {
        return mastodon.s3sync.queue.SqsClients.build(region, endpoint, accessKey, secretKey, 50);
    }

    private static String first(String... values) {
        for (String v : values) {
            if (v != null && !v.isBlank()) {
                return v.strip();
            }
        }
        return values[values.length - 1];
    }
}
