package mastodon.s3sync.bench;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import mastodon.s3sync.testing.SqsServer;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * The work queue of bench/scale-out.sh.
 * <ul>
 * <li>{@code serve ENV_FILE QUEUES...}: ElasticMQ on 127.0.0.1, each queue created with its dead-letter queue
 * (maxReceiveCount 5, visibility 60 s); writes {@code export AWS_ENDPOINT_URL_SQS=...} to ENV_FILE; serves until
 * killed.</li>
 * <li>{@code drained ENDPOINT QUEUE}: waits until nothing waits in or is held from the queue (two readings 100 ms
 * apart), prints the epoch ms of the first empty reading.</li>
 * </ul>
 */
public final class QueueBench {

    private QueueBench() {
    }

    static SqsClient client(String endpoint) {
        return SqsClient.builder().endpointOverride(URI.create(endpoint)).region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("x", "x"))).build();
    }

    public static void main(String[] args) throws Exception {
        if (args[0].equals("serve")) {
            SqsServer server = new SqsServer();
            try (SqsClient c = client(server.endpoint())) {
                for (int i = 2; i < args.length; i++) {
                    String name = args[i];
                    SqsServer.workQueue(c, name, 5, Map.of(QueueAttributeName.VISIBILITY_TIMEOUT, "60"));
                }
            }
            Path env = Path.of(args[1]);
            Path tmp = env.resolveSibling(env.getFileName() + ".tmp");
            Files.writeString(tmp, "export AWS_ENDPOINT_URL_SQS=" + server.endpoint() + "\n");
            Files.move(tmp, env);
            Thread.currentThread().join();
        }
        try (SqsClient c = client(args[1])) {
            String url = c.getQueueUrl(r -> r.queueName(args[2])).queueUrl();
            long firstEmpty = 0;
            while (true) {
                Map<QueueAttributeName, String> a = c.getQueueAttributes(r -> r.queueUrl(url).attributeNames(
                        QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES,
                        QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE)).attributes();
                long left = Long.parseLong(a.get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES))
                        + Long.parseLong(a.get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE));
                long now = System.currentTimeMillis();
                if (left > 0) {
                    firstEmpty = 0;
                } else if (firstEmpty == 0) {
                    firstEmpty = now;
                } else {
                    System.out.println(firstEmpty);
                    return;
                }
                Thread.sleep(100);
            }
        }
    }
}
