package mastodon.s3sync.testing;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * One ElasticMQ per test JVM for {@link SqsServer} parameters. Tests use queue names of their own; when a class is
 * done every queue is deleted.
 */
public final class SqsExtension extends ByType<SqsServer> implements AfterAllCallback {

    public SqsExtension() {
        super(SqsServer.class);
    }

    @Override
    protected SqsServer resolve(ExtensionContext context) {
        return server(context);
    }

    public static SqsServer server(ExtensionContext context) {
        return Shared.get(context, "sqs", SqsServer.class, SqsServer::new);
    }

    @Override
    public void afterAll(ExtensionContext context) {
        if (context.getTestClass().map(c -> c.isAnnotationPresent(org.junit.jupiter.api.Nested.class)).orElse(false)) {
            return;
        }
        SqsServer s = Shared.ifStarted(context, "sqs", SqsServer.class);
        if (s != null) {
            s.deleteAllQueues();
        }
    }
}
