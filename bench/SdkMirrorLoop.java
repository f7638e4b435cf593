import java.io.InputStream;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.DeleteMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.Message;

/**
 * The yardstick of bench/mirror-events.sh --sdk-loop: the plainest AWS SDK v2 mirror. N threads, each long-polling
 * the queue for up to 10 messages, then for each ObjectCreated record: the GET streamed into a temporary file in the
 * mapped directory, renamed over the file; then one DeleteMessageBatch for the poll. The clients are set as the
 * mirror's (MirrorSettings: the SQS client of SqsClients, the S3 client path-style with checksums only when required,
 * Apache 4). No order per key, no sequencer store, no hostile-input checks, no removals, no retries, no metrics, no
 * log line: what a mirror costs when everything around its requests is free.
 *
 * <pre>
 *   java -cp CLASSPATH SdkMirrorLoop --config FILE      (runs until killed)
 * </pre>
 * FILE is the mirror's JSON config ({"queue", "bucket", "sync": {"prefix/": "dir"}}); the endpoints, region, keys and
 * thread count come from the variables bench/MirrorBench gives the mirror (AWS_ENDPOINT_URL_SQS, AWS_ENDPOINT_URL_S3,
 * AWS_REGION, AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, MIRROR_CONCURRENT_CONSUMERS, MIRROR_WAIT_TIME_SECONDS).
 */
public final class SdkMirrorLoop {

    private SdkMirrorLoop() {
    }

    public static void main(String[] args) throws Exception {
        ObjectMapper json = new ObjectMapper();
        JsonNode config = json.readTree(Path.of(args[1]).toFile());
        Map<String, String> env = System.getenv();
        var credentials = StaticCredentialsProvider.create(AwsBasicCredentials.create(env.get("AWS_ACCESS_KEY_ID"),
                env.get("AWS_SECRET_ACCESS_KEY")));
        int threads = Integer.parseInt(env.getOrDefault("MIRROR_CONCURRENT_CONSUMERS", "2"));
        int wait = Integer.parseInt(env.getOrDefault("MIRROR_WAIT_TIME_SECONDS", "20"));
        SqsClient sqs = SqsClient.builder().region(Region.of(env.get("AWS_REGION")))
                .endpointOverride(URI.create(env.get("AWS_ENDPOINT_URL_SQS"))).credentialsProvider(credentials)
                .httpClientBuilder(ApacheHttpClient.builder().socketTimeout(Duration.ofSeconds(60))
                        .connectionTimeout(Duration.ofSeconds(10)).maxConnections(50))
                .build();
        S3Client s3 = S3Client.builder().region(Region.of(env.get("AWS_REGION")))
                .endpointOverride(URI.create(env.get("AWS_ENDPOINT_URL_S3"))).credentialsProvider(credentials)
                .forcePathStyle(true)
                .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
                .httpClientBuilder(ApacheHttpClient.builder().maxConnections(32).expectContinueEnabled(false))
                .build();
        String queueUrl = sqs.getQueueUrl(r -> r.queueName(config.get("queue").asText())).queueUrl();
        String bucket = config.get("bucket").asText();
        Map.Entry<String, JsonNode> mapping = config.get("sync").properties().iterator().next(); // the bench maps one prefix
        String prefix = mapping.getKey();
        Path dir = Path.of(mapping.getValue().asText());
        List<Thread> consumers = new ArrayList<>();
        for (int i = 0; i < threads; i++) {
            Thread t = new Thread(() -> {
                while (true) {
                    List<Message> messages = sqs.receiveMessage(r -> r.queueUrl(queueUrl).maxNumberOfMessages(10)
                            .waitTimeSeconds(wait)).messages();
                    List<DeleteMessageBatchRequestEntry> done = new ArrayList<>();
                    for (Message m : messages) {
                        try {
                            for (JsonNode record : json.readTree(m.body()).path("Records")) {
                                String key = URLDecoder.decode(record.path("s3").path("object").path("key").asText(),
                                        StandardCharsets.UTF_8);
                                if (!record.path("eventName").asText().startsWith("ObjectCreated:")
                                        || !key.startsWith(prefix)) {
                                    continue;
                                }
                                Path file = dir.resolve(key.substring(prefix.length()));
                                Files.createDirectories(file.getParent());
                                Path part = file.resolveSibling("." + file.getFileName() + ".part");
                                try (InputStream in = s3.getObject(r -> r.bucket(bucket).key(key))) {
                                    Files.copy(in, part, StandardCopyOption.REPLACE_EXISTING);
                                }
                                Files.move(part, file, StandardCopyOption.REPLACE_EXISTING,
                                        StandardCopyOption.ATOMIC_MOVE);
                            }
                            done.add(DeleteMessageBatchRequestEntry.builder().id(m.messageId())
                                    .receiptHandle(m.receiptHandle()).build());
                        } catch (Exception e) {
                            e.printStackTrace(); // the message comes back after its visibility timeout
                        }
                    }
                    if (!done.isEmpty()) {
                        sqs.deleteMessageBatch(r -> r.queueUrl(queueUrl).entries(done));
                    }
                }
            }, "mirror-loop-" + i);
            t.start();
            consumers.add(t);
        }
        for (Thread t : consumers) {
            t.join();
        }
    }
}
