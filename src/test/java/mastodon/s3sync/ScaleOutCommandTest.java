package mastodon.s3sync;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import mastodon.s3sync.testing.SqsServer;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * copy --plan-to / --work-from up to the launch: the options that exclude each other, the queue check's exit 2, and
 * what a worker starts with. Both sides are directories (a worker needs no database), the queue is ElasticMQ.
 */
@Timeout(60)
class ScaleOutCommandTest {

    static SqsServer sqs;

    record Launch(List<String> files, Map<String, String> props) {
    }

    record Result(int code, String err, List<Launch> launches) {
    }

    @BeforeAll
    static void start() {
        sqs = new SqsServer();
        try (SqsClient c = SqsClient.builder().endpointOverride(java.net.URI.create(sqs.endpoint()))
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("x", "x"))).build()) {
            c.createQueue(r -> r.queueName("plain"));
            SqsServer.workQueue(c, "tasks", 5, Map.of());
        }
    }

    @AfterAll
    static void stop() {
        sqs.close();
    }

    static Result run(Path dir, String... args) throws Exception {
        Files.createDirectories(dir.resolve("source"));
        Files.createDirectories(dir.resolve("target"));
        Map<String, String> env = new HashMap<>();
        env.put("S3_ENABLED", "false");
        env.put("PAPERCLIP_ROOT_PATH", dir.resolve("source").toString());
        env.put("TARGET_S3_ENABLED", "false");
        env.put("TARGET_PAPERCLIP_ROOT_PATH", dir.resolve("target").toString());
        env.put("AWS_ENDPOINT_URL_SQS", sqs.endpoint());
        env.put("AWS_ACCESS_KEY_ID", "x");
        env.put("AWS_SECRET_ACCESS_KEY", "x");
        env.put("COPY_STATE_DIR", dir.resolve("state").toString());
        List<Launch> launches = new ArrayList<>();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = new Application(env, new PrintStream(new ByteArrayOutputStream()), new PrintStream(err, true,
                StandardCharsets.UTF_8), dir).launcher((files, props) -> {
                    launches.add(new Launch(files, Map.copyOf(props)));
                    return 0;
                }).run(args);
        return new Result(code, err.toString(StandardCharsets.UTF_8), launches);
    }

    @Test
    void planningAndWorkingInOneProcessIsRefused(@TempDir Path dir) throws Exception {
        Result r = run(dir, "copy", "--plan-to", "tasks", "--work-from", "tasks");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("error: --plan-to and --work-from exclude each other").contains("Fix:");
        assertThat(r.launches()).isEmpty();
        Result noWait = run(dir, "copy", "--work-from", "tasks", "--no-wait");
        assertThat(noWait.code()).isEqualTo(2);
        assertThat(noWait.err()).contains("--no-wait is the planner's");
        assertThat(noWait.launches()).isEmpty();
    }

    @Test
    void aWorkQueueWithoutDeadLetterQueueStopsTheWorkerWithExit2(@TempDir Path dir) throws Exception {
        Result r = run(dir, "copy", "--work-from", "plain");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("error: the work queue 'plain' has no dead-letter queue (RedrivePolicy)")
                .contains("aws sqs set-queue-attributes");
        assertThat(r.launches()).isEmpty();
        Result missing = run(dir, "copy", "--work-from", "nowhere");
        assertThat(missing.code()).isEqualTo(2);
        assertThat(missing.err()).contains("'nowhere' does not exist at " + sqs.endpoint());
    }

    @Test
    void aWorkerStartsTheQueueRoutesWithoutPagingOrDatabase(@TempDir Path dir) throws Exception {
        Result r = run(dir, "copy", "--work-from", "tasks");
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.launches()).singleElement().satisfies(l -> {
            assertThat(l.files()).containsExactly("copy", "copy-queue");
            assertThat(l.props()).containsEntry("copy.mode", "work")
                    .containsEntry("queue.name", "tasks")
                    .containsEntry("queue.url", sqs.endpoint() + "/000000000000/tasks")
                    .containsEntry("queue.dead-letter-url", sqs.endpoint() + "/000000000000/tasks-dlq");
            assertThat(l.props().get("camel.main.route-filter-exclude-pattern")).contains("page-*", "plan-wait");
            assertThat(l.props().get("queue.worker-id")).isNotBlank();
        });
    }
}
