package mastodon.s3sync.mirror;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import mastodon.s3sync.testing.LogCapture;
import software.amazon.awssdk.services.sqs.model.Message;

/** QueueAcks against ElasticMQ: ten per request, the poll's end, and a delete SQS refuses. */
@MirrorServers
class QueueAcksTest {

    private static List<String> received(MirrorHarness h, String url, int n) {
        List<String> handles = new ArrayList<>();
        while (handles.size() < n) {
            for (Message m : h.q.receiveMessage(r -> r.queueUrl(url).maxNumberOfMessages(10).waitTimeSeconds(1))
                    .messages()) {
                handles.add(m.receiptHandle());
            }
        }
        return handles;
    }

    @Test
    void tenPerRequest(MirrorHarness h) {
        String queue = h.queue("acks", 30, null);
        String url = h.url(queue);
        for (int i = 0; i < 23; i++) {
            h.send(queue, "m" + i);
        }
        List<String> handles = received(h, url, 23);
        QueueAcks acks = new QueueAcks(h.q, () -> url);
        acks.delete(handles.subList(0, 20));
        assertThat(acks.requests()).isEqualTo(2);
        assertThat(acks.deleted()).isEqualTo(20);
        acks.delete(handles.subList(20, 23));
        assertThat(acks.requests()).isEqualTo(3);
        assertThat(acks.deleted()).isEqualTo(23);
        assertThat(h.pending(queue)).isZero();
        acks.delete(List.of()); // nothing: no request
        assertThat(acks.requests()).isEqualTo(3);
    }

    @Test
    void aDeleteSqsRefusesIsLoggedAndLosesNothingElse(MirrorHarness h) {
        String queue = h.queue("acks", 30, null);
        String url = h.url(queue);
        h.send(queue, "kept");
        String handle = received(h, url, 1).get(0);
        QueueAcks acks = new QueueAcks(h.q, () -> url);
        try (LogCapture log = new LogCapture("mastodon.s3sync.mirror")) {
            acks.delete(List.of("not-a-receipt-handle", handle));
            // the good one is deleted; the refused one is named at WARN, nothing is thrown
            assertThat(acks.deleted()).isEqualTo(1);
            assertThat(log.text()).contains("SQS did not delete 1 of 2 applied messages");
        }
        assertThat(h.pending(queue)).isZero();
    }
}
