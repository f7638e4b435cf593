package mastodon.s3sync;

import java.util.concurrent.atomic.AtomicInteger;

/** Lets a route end a one-pass command with an exit code. */
public final class JobControl {

    private final AtomicInteger exitCode = new AtomicInteger(-1);
    private final Runnable stop;

    public JobControl(Runnable stop) {
        this.stop = stop;
    }

    public void finish(int code) {
        if (exitCode.compareAndSet(-1, code)) {
            stop.run();
        }
    }

    /** The code a route finished with, or the given one when none did (interrupted, stopped from outside). */
    public int exitCode(int whenUnfinished) {
        int c = exitCode.get();
        return c < 0 ? whenUnfinished : c;
    }
}
