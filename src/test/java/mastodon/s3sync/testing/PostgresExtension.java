package mastodon.s3sync.testing;

import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * One embedded PostgreSQL per test JVM for every class that asks for a {@link PostgresServer} parameter (a test,
 * {@code @BeforeAll} or constructor): each class keeps to databases of its own ({@link PostgresServer#createDatabase}).
 * A test that stops or restarts its server ({@link PostgresServer#restartable()}) starts one of its own instead.
 */
public final class PostgresExtension implements ParameterResolver {

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == PostgresServer.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        return server(context);
    }

    public static PostgresServer server(ExtensionContext context) {
        return Shared.get(context, "postgres", PostgresServer.class, PostgresServer::new);
    }
}
