package mastodon.s3sync.copy;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

import mastodon.s3sync.testing.FaultProxy;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The copy-errors routeConfiguration of copy-errors.camel.yaml as copy-object meets it (copy.retries=1, the target
 * client without SDK retries, so every attempt is one PUT): a retryable answer is redelivered and the copy goes on, a
 * retryable answer every time ends the object as failed after the retries, and an answer that is not retryable fails
 * the object at once. NoSuchKey (missing at source) is {@link CopyObjectRouteTest}'s.
 */
class CopyErrorsRouteTest extends CopyRouteTestSupport {

    @Override
    boolean checkHeaders() {
        return false;
    }

    @Test
    void aPutAnsweredSlowDownOnceIsRedeliveredAndTheObjectCopied() {
        CopyTask t = task(50, 1000L, CopyTask.ABSENT);
        byte[] bytes = putSource(t, 1000, "image/png");
        AtomicInteger puts = new AtomicInteger();
        targetProxy.only(r -> r.method().equals("PUT") && puts.getAndIncrement() == 0)
                .rate(FaultProxy.Fault.SLOW_DOWN, 1.0);

        copy(t);

        assertThat(targetProxy.injected(FaultProxy.Fault.SLOW_DOWN)).isEqualTo(1);
        assertThat(accounts().copied.sum()).isEqualTo(1);
        assertThat(accounts().failed.sum()).isZero();
        assertThat(targetBytes(t)).isEqualTo(bytes);
        assertThat(requests(targetProxy, "PUT")).as("the PUT and its redelivery").isEqualTo(2);
        assertThat(requests(sourceProxy, "GET")).as("a redelivery repeats the whole transfer").isEqualTo(2);
    }

    @Test
    void aPutAnsweredSlowDownEveryTimeEndsTheObjectFailedAfterTheRetries() {
        CopyTask t = task(51, 1000L, CopyTask.ABSENT);
        putSource(t, 1000, "image/png");
        targetProxy.only(r -> r.method().equals("PUT")).rate(FaultProxy.Fault.SLOW_DOWN, 1.0);

        copy(t);

        assertThat(accounts().failed.sum()).isEqualTo(1);
        assertThat(accounts().copied.sum()).isZero();
        assertThat(requests(targetProxy, "PUT")).as("the first attempt and copy.retries=1 more").isEqualTo(2);
    }

    @Test
    void anAnswerThatIsNotRetryableFailsTheObjectAtOnce() {
        CopyTask t = task(52, 1000L, CopyTask.ABSENT);
        putSource(t, 1000, "image/png");
        try (S3Client s3 = targetStore.client()) {
            s3.deleteBucket(b -> b.bucket(targetBucket)); // every PUT: 404 NoSuchBucket
        }

        copy(t);

        assertThat(accounts().failed.sum()).isEqualTo(1);
        assertThat(accounts().missing.sum()).as("not NoSuchKey: not missing at source").isZero();
        assertThat(requests(targetProxy, "PUT")).as("no redelivery").isEqualTo(1);
    }
}
