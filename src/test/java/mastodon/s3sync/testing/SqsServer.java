package mastodon.s3sync.testing;

import java.net.URI;
import java.util.HashMap;
import java.util.Map;

import org.elasticmq.rest.sqs.SQSRestServer;
import org.elasticmq.rest.sqs.SQSRestServerBuilder;

import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/** A real SQS-compatible server (ElasticMQ) on 127.0.0.1, in-process, on a free port. */
public final class SqsServer implements AutoCloseable {

    private final SQSRestServer server;
    private final int port;

    public SqsServer() {
        server = SQSRestServerBuilder.withInterface("127.0.0.1").withDynamicPort().start();
        port = server.waitUntilStarted().localAddress().getPort();
    }

    public String endpoint() {
        return "http://127.0.0.1:" + port;
    }

    public int port() {
        return port;
    }

    /** A client of this server (any credentials do). */
    public SqsClient client() {
        return SqsClient.builder().endpointOverride(URI.create(endpoint())).region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("x", "x"))).build();
    }

    /**
     * Creates {@code name} with its dead-letter queue {@code name-dlq} (RedrivePolicy, {@code maxReceiveCount}) and
     * the {@code attributes} given, as the work queue of copy --plan-to / --work-from needs it.
     *
     * @return the queue's URL
     */
    public static String workQueue(SqsClient c, String name, int maxReceiveCount,
                                   Map<QueueAttributeName, String> attributes) {
        String dlq = c.createQueue(r -> r.queueName(name + "-dlq")).queueUrl();
        String arn = c.getQueueAttributes(r -> r.queueUrl(dlq).attributeNames(QueueAttributeName.QUEUE_ARN))
                .attributes().get(QueueAttributeName.QUEUE_ARN);
        Map<QueueAttributeName, String> all = new HashMap<>(attributes);
        all.put(QueueAttributeName.REDRIVE_POLICY,
                "{\"deadLetterTargetArn\":\"" + arn + "\",\"maxReceiveCount\":\"" + maxReceiveCount + "\"}");
        return c.createQueue(r -> r.queueName(name).attributes(all)).queueUrl();
    }

    /** Deletes every queue: the server as it started. */
    public void deleteAllQueues() {
        try (SqsClient c = client()) {
            c.listQueues().queueUrls().forEach(url -> c.deleteQueue(r -> r.queueUrl(url)));
        }
    }

    @Override
    public void close() {
        server.stopAndWait();
    }
}
