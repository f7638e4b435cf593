package mastodon.s3sync.mirror;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.junit.jupiter.api.Test;

import mastodon.s3sync.testing.Await;

/**
 * Route mirror-acks (routes/mirror.camel.yaml): receipt handles are deleted ten per request, and a poll's rest when
 * its last message is done. The wait for anything else is set to a minute here, so that neither happens through it;
 * MirrorRoutesTest sees that wait at work (a failed last message).
 */
class MirrorAcksRouteTest extends MirrorRouteTestSupport {

    @Override
    String unmapped() {
        return "ack";
    }

    @Override
    String ackWait() {
        return "60000";
    }

    @Test
    void tensGoAtOnceAndAPollsRestAtItsEnd() throws Exception {
        context.start();
        context.getRouteController().stopRoute("mirror-queue");
        for (int i = 0; i < 24; i++) {
            h.send(queue, "m" + i);
        }
        List<String> handles = new ArrayList<>();
        while (handles.size() < 24) {
            h.q.receiveMessage(r -> r.queueUrl(h.url(queue)).maxNumberOfMessages(10).visibilityTimeout(120)
                    .waitTimeSeconds(1)).messages().forEach(m -> handles.add(m.receiptHandle()));
        }
        QueueAcks acks = context.getRegistry().lookupByNameAndType("mirrorAcks", QueueAcks.class);
        ProducerTemplate template = context.createProducerTemplate();
        for (int i = 0; i < 23; i++) {
            String handle = handles.get(i);
            template.send("direct:mirror-ack", e -> e.getMessage().setBody(handle));
        }
        // two full tens go (the aggregate hands them on asynchronously); three wait for the end of their poll
        Await.until(Duration.ofSeconds(20), () -> acks.deleted() == 20, "two tens to be deleted");
        assertThat(acks.requests()).isEqualTo(2);
        template.send("direct:mirror-ack", e -> {
            e.getMessage().setBody(handles.get(23));
            e.setProperty(Exchange.BATCH_COMPLETE, true);
        });
        Await.until(Duration.ofSeconds(20), () -> acks.deleted() == 24, "the poll's rest to be deleted");
        assertThat(acks.requests()).isEqualTo(3);
        assertThat(h.pending(queue)).isZero();
    }
}
