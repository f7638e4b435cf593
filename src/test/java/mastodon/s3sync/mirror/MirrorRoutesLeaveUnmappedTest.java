package mastodon.s3sync.mirror;

import static mastodon.s3sync.mirror.MirrorHarness.BUCKET;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.apache.camel.CamelExecutionException;
import org.junit.jupiter.api.Test;

/** mirror-place's UNMAPPED branch with mirror.unmapped=leave: the record fails, so its message stays in the queue. */
class MirrorRoutesLeaveUnmappedTest extends MirrorRouteTestSupport {

    @Override
    String unmapped() {
        return "leave";
    }

    @Test
    void unmappedFailsTheRecord() throws Exception {
        context.start();
        assertThatThrownBy(() -> apply(event("ObjectCreated:Put", BUCKET, "elsewhere/x.txt", "0010")))
                .isInstanceOf(CamelExecutionException.class).hasRootCauseInstanceOf(Mirror.UnmappedKeyException.class);
        assertThat(count("unmapped")).isEqualTo(1);
        assertThat(count("failed")).isZero();
    }
}
