package mastodon.s3sync.copy;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * The per-object routes with copy.check-headers=true (copy --check-headers): an object the target has is HEADed there
 * and rewritten when its Content-Type or Cache-Control is not Mastodon's, even when the listings show equal sizes.
 */
class CopyCheckHeadersRouteTest extends CopyRouteTestSupport {

    @Override
    boolean checkHeaders() {
        return true;
    }

    @Test
    void anObjectWithGenericHeadersIsHeadedAndRewrittenWithMastodons() {
        CopyTask t = task(20, 1500L, 1500L);
        byte[] bytes = putSource(t, 1500, "binary/octet-stream");
        putTarget(t, bytes, "binary/octet-stream", null);

        copy(t);

        assertThat(accounts().copied.sum()).isEqualTo(1);
        assertThat(accounts().contentTypeRepaired.sum()).isEqualTo(1);
        assertThat(targetHead(t).contentType()).isEqualTo("image/png");
        assertThat(targetHead(t).cacheControl()).isEqualTo(CopyTask.CACHE_CONTROL);
        assertThat(requests(targetProxy, "HEAD")).isEqualTo(1);
        // the target's type is not Mastodon's rule's: the source's own type is asked for
        assertThat(requests(sourceProxy, "HEAD")).isEqualTo(1);
    }

    @Test
    void anObjectWithMastodonsHeadersIsSkippedAfterOneHead() {
        CopyTask t = task(21, 1600L, 1600L);
        byte[] bytes = putSource(t, 1600, "image/png");
        putTarget(t, bytes, "image/png", CopyTask.CACHE_CONTROL);

        copy(t);

        assertThat(accounts().skipped.sum()).isEqualTo(1);
        assertThat(requests(targetProxy, "HEAD")).isEqualTo(1);
        assertThat(requests(sourceProxy, "HEAD")).as("the source's size comes from its listing").isZero();
        assertThat(requests(sourceProxy, "GET")).isZero();
    }

    @Test
    void aMissingCacheControlIsRepaired() {
        CopyTask t = task(22, 1700L, 1700L);
        byte[] bytes = putSource(t, 1700, "image/png");
        putTarget(t, bytes, "image/png", null);

        copy(t);

        assertThat(accounts().copied.sum()).isEqualTo(1);
        assertThat(targetHead(t).cacheControl()).isEqualTo(CopyTask.CACHE_CONTROL);
    }
}
