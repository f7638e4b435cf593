package mastodon.s3sync.testing;

import java.io.StringWriter;

import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.WriterAppender;
import org.apache.logging.log4j.core.layout.PatternLayout;

/**
 * The one log appender of the test kit: what the loggers under {@code logger} (e.g. "mastodon.s3sync") write while
 * it is open, one line per event ({@code LEVEL logger message}). Loggers that are set more quietly than the
 * appender stay so. With the default layout ({@code LEVEL message}) a logged exception follows its line; a layout
 * given shows exceptions only as its pattern says.
 */
public final class LogCapture implements AutoCloseable {

    private static final java.util.concurrent.atomic.AtomicInteger N = new java.util.concurrent.atomic.AtomicInteger();

    private final StringWriter sink = new StringWriter();
    private final WriterAppender appender;
    private final String logger;

    public LogCapture(String logger) {
        this(logger, "%level %msg%n", true);
    }

    public LogCapture(String logger, String pattern) {
        this(logger, pattern, false);
    }

    private LogCapture(String logger, String pattern, boolean exceptions) {
        this.logger = logger;
        LoggerContext ctx = (LoggerContext) LogManager.getContext(false);
        var config = ctx.getConfiguration();
        appender = WriterAppender.newBuilder().setName("capture-" + N.incrementAndGet()).setTarget(sink)
                .setLayout(PatternLayout.newBuilder().withPattern(pattern).withAlwaysWriteExceptions(exceptions)
                        .withConfiguration(config).build()).build();
        appender.start();
        config.addAppender(appender);
        config.getLoggerConfig(logger).addAppender(appender, null, null);
        ctx.updateLoggers();
    }

    /** Everything captured so far. */
    public String text() {
        synchronized (sink) {
            return sink.toString();
        }
    }

    @Override
    public void close() {
        LoggerContext ctx = (LoggerContext) LogManager.getContext(false);
        ctx.getConfiguration().getLoggerConfig(logger).removeAppender(appender.getName());
        ctx.updateLoggers();
        appender.stop();
    }
}
