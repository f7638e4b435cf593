package mastodon.s3sync.testing;

import org.elasticmq.rest.sqs.SQSRestServer;
import org.elasticmq.rest.sqs.SQSRestServerBuilder;

/** A real SQS-compatible server (ElasticMQ) on 127.0.0.1, in-process, on a free port. */
public final class SqsServer implements AutoCloseable {

    private final SQSRestServer server;
    private final int port;

    public SqsServer() {
        server = SQSRestServerBuilder.withInterface("127.0.0.1").withDynamicPort().start();
        port = server.waitUntilStarted().localAddress().getPort();
    }

    public String endpoint() {
        return "http://127.0.0.1:" + port;
    }

    public int port() {
        return port;
    }

    @Override
    public void close() {
        server.stopAndWait();
    }
}
