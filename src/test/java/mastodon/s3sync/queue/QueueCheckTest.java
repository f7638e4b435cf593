package mastodon.s3sync.queue;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import mastodon.s3sync.testing.SqsServer;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/** The work queue's check at start, against ElasticMQ. */
@Timeout(60)
class QueueCheckTest {

    static SqsServer server;
    static SqsClient sqs;

    @BeforeAll
    static void start() {
        server = new SqsServer();
        sqs = settings("x").sqsClient();
    }

    @AfterAll
    static void stop() {
        sqs.close();
        server.close();
    }

    static QueueSettings settings(String queue) {
        return QueueSettings.resolve(queue, k -> null, Map.of("AWS_ENDPOINT_URL_SQS", server.endpoint(),
                "AWS_ACCESS_KEY_ID", "x", "AWS_SECRET_ACCESS_KEY", "y"));
    }

    static String withDeadLetterQueue(String name, int maxReceive) {
        return SqsServer.workQueue(sqs, name, maxReceive, Map.of());
    }

    @Test
    void aQueueWithADeadLetterQueuePassesByNameOrUrl() {
        String url = withDeadLetterQueue("good", 5);
        QueueCheck.Result byName = QueueCheck.check(settings("good"), sqs);
        assertThat(byName.problem()).isNull();
        assertThat(byName.url()).isEqualTo(url);
        assertThat(byName.deadLetterUrl()).endsWith("/good-dlq");
        assertThat(byName.maxReceiveCount()).isEqualTo(5);
        assertThat(byName.warnings()).isEmpty();
        QueueCheck.Result byUrl = QueueCheck.check(settings(url), sqs);
        assertThat(byUrl.problem()).isNull();
        assertThat(byUrl.url()).isEqualTo(url);
    }

    @Test
    void aQueueWithoutRedrivePolicyIsRefusedWithTheCommandThatSetsIt() {
        sqs.createQueue(r -> r.queueName("no-dlq"));
        QueueCheck.Result r = QueueCheck.check(settings("no-dlq"), sqs);
        assertThat(r.ok()).isFalse();
        assertThat(r.problem()).contains("no dead-letter queue (RedrivePolicy)").contains("Fix:")
                .contains("aws sqs set-queue-attributes --queue-url").contains("deadLetterTargetArn")
                .contains("maxReceiveCount");
    }

    @Test
    void aMissingQueueNamesTheCreateCommandAndTheEndpoint() {
        QueueCheck.Result r = QueueCheck.check(settings("nowhere"), sqs);
        assertThat(r.problem()).contains("'nowhere' does not exist at " + server.endpoint())
                .contains("aws sqs create-queue --queue-name nowhere-dlq").contains("AWS_ENDPOINT_URL_SQS");
    }

    @Test
    void aFifoQueueIsRefused() {
        sqs.createQueue(r -> r.queueName("tasks.fifo").attributes(Map.of(QueueAttributeName.FIFO_QUEUE, "true")));
        assertThat(QueueCheck.check(settings("tasks.fifo"), sqs).problem()).contains("FIFO");
    }

    @Test
    void aLowMaxReceiveCountIsAWarning() {
        withDeadLetterQueue("eager", 1);
        QueueCheck.Result r = QueueCheck.check(settings("eager"), sqs);
        assertThat(r.ok()).isTrue();
        assertThat(r.warnings()).singleElement().asString().contains("maxReceiveCount is 1");
    }

    @Test
    void settingsComeFromQueuePropertiesThenTheAwsVariables() {
        QueueSettings s = QueueSettings.resolve("https://sqs.eu-west-1.amazonaws.com/123/tasks",
                k -> k.equals("queue.region") ? "eu-west-1" : null, Map.of("AWS_REGION", "us-west-2"));
        assertThat(s.region()).isEqualTo("eu-west-1");
        assertThat(s.name()).isEqualTo("tasks");
        assertThat(s.isUrl()).isTrue();
        assertThat(s.where()).isEqualTo("AWS SQS (eu-west-1)");
        assertThat(s.accessKey()).isEmpty();
        assertThat(s.asProperties("u")).doesNotContainKey("queue.secret-key");
    }
}
