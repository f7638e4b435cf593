package mastodon.s3sync.copy;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.junit.jupiter.api.extension.ExtendWith;

import mastodon.s3sync.testing.PostgresExtension;
import mastodon.s3sync.testing.S3Extension;

/**
 * A copy test class on the kit's shared servers: {@link CopyEnvironment} parameters (and the kit's
 * {@code PostgresServer}, {@code @SourceStore}/{@code @TargetStore S3Server} ones); buckets are removed after the class.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
@ExtendWith({PostgresExtension.class, S3Extension.class, CopyEnvironment.Resolver.class})
@interface CopyServers {
}
