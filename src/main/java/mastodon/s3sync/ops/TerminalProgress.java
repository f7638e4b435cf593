package mastodon.s3sync.ops;

import java.util.Locale;

import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

import mastodon.s3sync.copy.CopyProgress;

/**
 * The copy's progress on a terminal: one live bar (rows done of the total, rate, ETA) with the outcomes, the transfer
 * rate and the tables still moving beside it, redrawn in place as tootctl and rclone do. Drawn by the progressbar
 * library (me.tongfei:progressbar, terminal width through JLine) on stderr; in a log or a pipe the progress route
 * prints lines instead ({@link CopyProgress#progressLines}).
 */
public final class TerminalProgress implements AutoCloseable {

    private final String task;
    private ProgressBar bar;

    public TerminalProgress(String task) {
        this.task = task;
    }

    /** Whether this process talks to a person: stdin and stdout are a terminal (Java 17's {@code System.console}). */
    public static boolean isInteractive() {
        return System.console() != null;
    }

    /** Redraws the bar with this snapshot; the bar appears with the first moving table and stays until the end. */
    public synchronized void show(CopyProgress.Progress p) {
        if (bar == null) {
            if (p.moving().isEmpty()) {
                return;
            }
            bar = new ProgressBarBuilder().setTaskName(task).setInitialMax(Math.max(p.total(), 0))
                    .setStyle(ProgressBarStyle.COLORFUL_UNICODE_BLOCK).setUnit(" rows", 1).showSpeed()
                    .setUpdateIntervalMillis(500).setConsumer(new ConsoleProgressBarConsumer(System.err)).build();
        }
        if (p.total() >= 0) {
            bar.maxHint(p.total());
        }
        bar.stepTo(p.done());
        bar.setExtraMessage(String.format(Locale.ROOT, "%s | %.1f MB/s%s", p.outcomes(), p.bytesPerSec() / 1e6,
                p.moving().isEmpty() ? "" : " | " + String.join(", ", p.moving())));
    }

    /** Ends the bar (its last state stays on the screen, followed by a line break). */
    @Override
    public synchronized void close() {
        if (bar != null) {
            bar.close();
            bar = null;
        }
    }
}
