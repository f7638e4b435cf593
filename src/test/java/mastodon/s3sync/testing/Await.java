package mastodon.s3sync.testing;

import java.time.Duration;
import java.util.concurrent.Callable;

/**
 * The one wait of the test kit for what NotifyBuilder cannot see (another process, a file, a server's state): checks
 * {@code condition} every 50 ms until it holds, and fails the test naming {@code what} once {@code limit} has passed.
 */
public final class Await {

    private Await() {
    }

    public static void until(Duration limit, Callable<Boolean> condition, String what) throws Exception {
        long end = System.nanoTime() + limit.toNanos();
        while (!Boolean.TRUE.equals(condition.call())) {
            if (System.nanoTime() > end) {
                throw new AssertionError("timed out after " + limit + " waiting for " + what);
            }
            Thread.sleep(50);
        }
    }
}
