package mastodon.s3sync.testing;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Two s3proxy stores per test JVM, a source and a target with different credentials (two providers), for parameters
 * of type {@link S3Server} marked {@link SourceStore} or {@link TargetStore}. Each class makes its own buckets; when
 * the class is done its buckets are emptied and deleted, so the next class starts from empty stores and the memory
 * they held is freed. A test that wraps a store (faults, outages, counting) starts one of its own.
 */
public final class S3Extension implements ParameterResolver, AfterAllCallback {

    public static final String SOURCE_ACCESS = "source-access-key";
    public static final String SOURCE_SECRET = "source-secret-key-do-not-print";
    public static final String TARGET_ACCESS = "target-access-key";
    public static final String TARGET_SECRET = "target-secret-key-do-not-print";

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == S3Server.class
                && (parameter.isAnnotated(SourceStore.class) || parameter.isAnnotated(TargetStore.class));
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.isAnnotated(SourceStore.class) ? source(context) : target(context);
    }

    public static S3Server source(ExtensionContext context) {
        return Shared.get(context, "s3-source", S3Server.class,
                () -> new S3Server(SOURCE_ACCESS, SOURCE_SECRET, null));
    }

    public static S3Server target(ExtensionContext context) {
        return Shared.get(context, "s3-target", S3Server.class,
                () -> new S3Server(TARGET_ACCESS, TARGET_SECRET, null));
    }

    @Override
    public void afterAll(ExtensionContext context) {
        if (context.getTestClass().map(c -> c.isAnnotationPresent(org.junit.jupiter.api.Nested.class)).orElse(false)) {
            return; // a @Nested class: its outer class cleans up
        }
        for (String key : new String[] {"s3-source", "s3-target"}) {
            S3Server s = Shared.ifStarted(context, key, S3Server.class);
            if (s != null) {
                s.deleteAllBuckets();
            }
        }
    }
}
