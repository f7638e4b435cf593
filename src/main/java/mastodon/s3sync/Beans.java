package mastodon.s3sync;

import java.util.function.Function;

import org.apache.camel.CamelContext;

/**
 * The old name of {@link CommandSettings#of}, kept while CopyBeans, MirrorBeans and RecoverBeans (changed on other
 * branches) still call it. Remove once they call {@link CommandSettings#of}.
 */
final class Beans {

    private Beans() {
    }

    static Function<String, String> props(CamelContext ctx) {
        return CommandSettings.of(ctx);
    }
}
