package mastodon.s3sync.mirror;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import org.apache.camel.CamelContext;
import org.apache.camel.builder.NotifyBuilder;
import org.junit.jupiter.api.extension.ExtensionContext;

import mastodon.s3sync.InProcessRunner;
import mastodon.s3sync.testing.Await;
import mastodon.s3sync.testing.ByType;
import mastodon.s3sync.testing.LogCapture;
import mastodon.s3sync.testing.S3Extension;
import mastodon.s3sync.testing.S3Server;
import mastodon.s3sync.testing.SqsExtension;
import mastodon.s3sync.testing.SqsServer;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * Real servers (s3proxy, ElasticMQ) and helpers for the mirror's end-to-end tests: queues, event messages as S3 sends
 * them, and runs of the mirror command in-process, ended as soon as their messages are done ({@link #runUntilDone}).
 */
final class MirrorHarness implements AutoCloseable {

    static final String BUCKET = "media";
    private static final AtomicInteger QUEUES = new AtomicInteger();

    final S3Server s3;
    final SqsServer sqs;
    final S3Client s3c;
    final SqsClient q;
    /** XDG_STATE_HOME of every run: the mirror's default state lands here, never in the real home. */
    final Path stateHome;

    /** On the kit's shared servers (a {@code MirrorHarness} parameter, {@link MirrorServers}). */
    MirrorHarness(S3Server s3, SqsServer sqs) {
        this.s3 = s3;
        this.sqs = sqs;
        try {
            stateHome = Files.createTempDirectory("mirror-state-home");
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        s3c = s3.client();
        if (s3c.listBuckets().buckets().stream().noneMatch(b -> b.name().equals(BUCKET))) {
            s3.createBucket(BUCKET);
        }
        q = sqs.client();
    }

    /** A {@code MirrorHarness} parameter of a test or {@code @BeforeAll} method: the source store and ElasticMQ. */
    static final class Resolver extends ByType<MirrorHarness> {
        Resolver() {
            super(MirrorHarness.class);
        }

        @Override
        protected MirrorHarness resolve(ExtensionContext context) {
            MirrorHarness h = new MirrorHarness(S3Extension.source(context), SqsExtension.server(context));
            // its clients close with the class or test that asked; the servers stay for the next
            context.getStore(ExtensionContext.Namespace.create(MirrorHarness.class)).put(h,
                    (ExtensionContext.Store.CloseableResource) h::close);
            return h;
        }
    }

    /** A new queue (name unique per test) with a short visibility timeout; with a dead-letter queue when asked. */
    String queue(String base, int visibilitySeconds, Integer maxReceiveCount) {
        String name = base + "-" + QUEUES.incrementAndGet();
        Map<QueueAttributeName, String> attrs = new HashMap<>();
        attrs.put(QueueAttributeName.VISIBILITY_TIMEOUT, Integer.toString(visibilitySeconds));
        if (maxReceiveCount != null) {
            String dlq = q.createQueue(r -> r.queueName(name + "-dlq")).queueUrl();
            String arn = q.getQueueAttributes(r -> r.queueUrl(dlq).attributeNames(QueueAttributeName.QUEUE_ARN))
                    .attributes().get(QueueAttributeName.QUEUE_ARN);
            attrs.put(QueueAttributeName.REDRIVE_POLICY, "{\"deadLetterTargetArn\":\"" + arn
                    + "\",\"maxReceiveCount\":\"" + maxReceiveCount + "\"}");
        }
        q.createQueue(r -> r.queueName(name).attributes(attrs));
        return name;
    }

    String url(String queue) {
        return q.getQueueUrl(r -> r.queueName(queue)).queueUrl();
    }

    void send(String queue, String body) {
        String url = url(queue);
        q.sendMessage(r -> r.queueUrl(url).messageBody(body));
    }

    /** Messages in the queue, visible or in flight. */
    int pending(String queue) {
        String url = url(queue);
        Map<QueueAttributeName, String> a = q.getQueueAttributes(r -> r.queueUrl(url).attributeNames(
                QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES,
                QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE)).attributes();
        return Integer.parseInt(a.get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES))
                + Integer.parseInt(a.get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE));
    }

    void put(String key, String content) {
        s3c.putObject(r -> r.bucket(BUCKET).key(key), RequestBody.fromString(content));
    }

    void put(String key, byte[] content) {
        s3c.putObject(r -> r.bucket(BUCKET).key(key), RequestBody.fromBytes(content));
    }

    void delete(String key) {
        s3c.deleteObject(r -> r.bucket(BUCKET).key(key));
    }

    /** One record as S3 writes it; {@code rawKey} is already form-encoded, as S3 sends it. */
    static String record(String eventName, String bucket, String rawKey, long size, String sequencer) {
        return "{\"eventVersion\":\"2.1\",\"eventSource\":\"aws:s3\",\"awsRegion\":\"us-east-1\","
                + "\"eventTime\":\"2026-11-21T10:00:00.000Z\",\"eventName\":\"" + eventName + "\","
                + "\"userIdentity\":{\"principalId\":\"AWS:X\"},\"requestParameters\":{\"sourceIPAddress\":\"127.0.0.1\"},"
                + "\"responseElements\":{\"x-amz-request-id\":\"R\",\"x-amz-id-2\":\"H\"},"
                + "\"s3\":{\"s3SchemaVersion\":\"1.0\",\"configurationId\":\"mirror\","
                + "\"bucket\":{\"name\":\"" + bucket + "\",\"ownerIdentity\":{\"principalId\":\"X\"},"
                + "\"arn\":\"arn:aws:s3:::" + bucket + "\"},\"object\":{\"key\":\"" + rawKey + "\""
                + (size >= 0 ? ",\"size\":" + size : "") + ",\"eTag\":\"0123456789abcdef\",\"sequencer\":\""
                + sequencer + "\"}}}";
    }

    static String created(String rawKey, long size, String sequencer) {
        return record("ObjectCreated:Put", BUCKET, rawKey, size, sequencer);
    }

    static String removed(String rawKey, String sequencer) {
        return record("ObjectRemoved:Delete", BUCKET, rawKey, -1, sequencer);
    }

    static String message(String... records) {
        return "{\"Records\":[" + String.join(",", records) + "]}";
    }

    /** A work directory of its own for the runs (their ./state, their application.properties). */
    static Path workDir(Path root) throws IOException {
        return Files.createDirectories(root.resolve("work"));
    }

    Map<String, String> env(Map<String, String> extra) {
        Map<String, String> env = new HashMap<>();
        env.put("XDG_STATE_HOME", stateHome.toString());
        env.put("AWS_ENDPOINT_URL_SQS", sqs.endpoint());
        env.put("AWS_ENDPOINT_URL_S3", s3.endpoint());
        env.put("AWS_ACCESS_KEY_ID", s3.accessKey);
        env.put("AWS_SECRET_ACCESS_KEY", s3.secretKey);
        env.put("AWS_REGION", "us-east-1");
        env.put("MIRROR_WAIT_TIME_SECONDS", "1");
        env.put("MIRROR_VISIBILITY_TIMEOUT", "2");
        env.putAll(extra);
        return env;
    }

    /** The outcome of one run of the command, with what the mastodon.s3sync loggers wrote during it. */
    record Run(InProcessRunner.Result result, String log) {
        int code() {
            return result.code();
        }

        String out() {
            return result.out();
        }

        String err() {
            return result.err();
        }
    }

    /** Runs {@code args} in-process ({@link InProcessRunner}) until the command ends by itself (bounded). */
    Run run(Path workDir, Map<String, String> extraEnv, Duration limit, String... args) throws Exception {
        try (LogCapture capture = new LogCapture("mastodon.s3sync")) {
            InProcessRunner.Result r = new InProcessRunner(env(extraEnv), workDir).start(args).await(limit);
            return new Run(r, capture.text());
        }
    }

    /**
     * Runs the mirror (or {@code run} with a mirror) in-process and ends it as soon as its work is done, each step
     * bounded by {@code limit}: the resync pass when {@code --resync} is asked (NotifyBuilder on mirror-resync), then
     * {@code messages} whole SQS messages done, applied or failed (NotifyBuilder on mirror-queue; a redelivery counts
     * again), then {@code queue} holds nothing, visible or in flight (the queue moves a message to its dead-letter
     * queue on the receive after the last allowed one, which Camel does not see). Then it stops the command as
     * SIGTERM would: the in-flight exchanges finish, the exit code is a stop's.
     */
    Run runUntilDone(Path workDir, Map<String, String> extraEnv, Duration limit, String queue, int messages,
                     String... args) throws Exception {
        try (LogCapture capture = new LogCapture("mastodon.s3sync")) {
            InProcessRunner.Running running = new InProcessRunner(env(extraEnv), workDir).start(args);
            CamelContext context = running.context(limit);
            try {
                NotifyBuilder resync = new NotifyBuilder(context).fromRoute("mirror-resync").whenDone(1).create();
                NotifyBuilder done = new NotifyBuilder(context).fromRoute("mirror-queue")
                        .filter(MirrorRouteTestSupport.NOT_SPLIT).whenDone(messages).create();
                if (List.of(args).contains("--resync")) {
                    assertThat(resync.matches(limit.toMillis(), TimeUnit.MILLISECONDS))
                            .as("the resync pass done within " + limit).isTrue();
                }
                assertThat(done.matches(limit.toMillis(), TimeUnit.MILLISECONDS))
                        .as(messages + " message(s) done within " + limit).isTrue();
                Await.until(limit, () -> pending(queue) == 0, "the queue " + queue + " to hold nothing");
            } finally {
                running.stop();
            }
            return new Run(running.await(limit), capture.text());
        }
    }

    /** Every regular file under {@code root}, as relative path -> content. */
    static Map<String, String> tree(Path root) throws IOException {
        Map<String, String> m = new TreeMap<>();
        if (!Files.exists(root)) {
            return m;
        }
        try (Stream<Path> s = Files.walk(root)) {
            for (Path p : s.filter(Files::isRegularFile).toList()) {
                m.put(root.relativize(p).toString(), Files.readString(p, StandardCharsets.UTF_8));
            }
        }
        return m;
    }

    /** Every directory under {@code root}, relative. */
    static java.util.List<String> dirs(Path root) throws IOException {
        try (Stream<Path> s = Files.walk(root)) {
            return s.filter(Files::isDirectory).filter(p -> !p.equals(root)).map(p -> root.relativize(p).toString())
                    .sorted().toList();
        }
    }

    static Path config(Path dir, String json) throws IOException {
        return Files.writeString(dir.resolve("mirror.json"), json);
    }

    /** Closes the clients; the servers are the kit's. */
    @Override
    public void close() {
        q.close();
        s3c.close();
        try (var files = Files.walk(stateHome)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        } catch (java.io.IOException e) {
            // a temporary directory: nothing to keep
        }
    }
}
