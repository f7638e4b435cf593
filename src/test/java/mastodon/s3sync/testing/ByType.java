package mastodon.s3sync.testing;

import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/** A parameter resolver for one type: every parameter of that type gets {@link #resolve}'s answer. */
public abstract class ByType<T> implements ParameterResolver {

    private final Class<T> type;

    protected ByType(Class<T> type) {
        this.type = type;
    }

    protected abstract T resolve(ExtensionContext context);

    @Override
    public final boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == type;
    }

    @Override
    public final Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        return resolve(context);
    }
}
