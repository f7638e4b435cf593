package mastodon.s3sync.testing;

import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * One embedded PostgreSQL per test JVM for every class that asks for a {@link PostgresServer} parameter (a test,
 * {@code @BeforeAll} or constructor): each class keeps to databases of its own ({@link PostgresServer#createDatabase}).
 * A test that stops or restarts its server ({@link PostgresServer#restartable()}) starts one of its own instead.
 */
public final class PostgresExtension extends ByType<PostgresServer> {

    public PostgresExtension() {
        super(PostgresServer.class);
    }

    @Override
    protected PostgresServer resolve(ExtensionContext context) {
        return server(context);
    }

    public static PostgresServer server(ExtensionContext context) {
        return Shared.get(context, "postgres", PostgresServer.class, PostgresServer::new);
    }
}
