package mastodon.s3sync.testing;

import java.util.concurrent.Callable;

import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The servers of the test kit: one of a kind per test JVM (surefire fork), kept in the root
 * {@link ExtensionContext.Store} and closed when that JVM's run ends. The extensions ({@link PostgresExtension},
 * {@link S3Extension}, {@link SqsExtension}, {@link SshExtension}) hand them to tests; a test isolates itself by fresh
 * names (database, bucket, queue), not by a server of its own.
 */
final class Shared {

    private static final ExtensionContext.Namespace NS = ExtensionContext.Namespace.create(Shared.class);

    private Shared() {
    }

    /** The server under {@code key} in this JVM, started by {@code start} the first time it is asked for. */
    static <T extends AutoCloseable> T get(ExtensionContext context, String key, Class<T> type, Callable<T> start) {
        Held held = context.getRoot().getStore(NS).getOrComputeIfAbsent(key, k -> {
            try {
                return new Held(start.call());
            } catch (Exception e) {
                throw new IllegalStateException("could not start the shared " + key + " server", e);
            }
        }, Held.class);
        return type.cast(held.server);
    }

    /** The server under {@code key} if one was started in this JVM, else null. */
    static <T extends AutoCloseable> T ifStarted(ExtensionContext context, String key, Class<T> type) {
        Held held = context.getRoot().getStore(NS).get(key, Held.class);
        return held == null ? null : type.cast(held.server);
    }

    private record Held(AutoCloseable server) implements ExtensionContext.Store.CloseableResource {
        @Override
        public void close() throws Throwable {
            server.close();
        }
    }
}
