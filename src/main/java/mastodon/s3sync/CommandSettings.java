package mastodon.s3sync;

import java.util.function.Function;

import org.apache.camel.CamelContext;

import mastodon.s3sync.config.SecretValues;

/**
 * The command's settings as the bean configurations read them: secrets from the {@link SecretValues} bean (Camel never
 * holds them, see there), every other key from Camel's properties. A bean whose settings hold no secret takes them
 * as {@code @PropertyInject} parameters instead.
 */
final class CommandSettings {

    private CommandSettings() {
    }

    static Function<String, String> of(CamelContext ctx) {
        SecretValues secrets = ctx.getRegistry().lookupByNameAndType(SecretValues.BEAN, SecretValues.class);
        return k -> secrets != null && secrets.holds(k) ? secrets.get(k)
                : ctx.getPropertiesComponent().resolveProperty(k).orElse(null);
    }
}
