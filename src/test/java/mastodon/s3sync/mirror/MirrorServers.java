package mastodon.s3sync.mirror;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.junit.jupiter.api.extension.ExtendWith;

import mastodon.s3sync.testing.PostgresExtension;
import mastodon.s3sync.testing.S3Extension;
import mastodon.s3sync.testing.SqsExtension;

/**
 * A mirror test class on the kit's shared servers: {@link MirrorHarness} parameters (the source store and ElasticMQ),
 * and the kit's {@code PostgresServer} and {@code @TargetStore S3Server}; buckets and queues are removed after the class.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
@ExtendWith({PostgresExtension.class, S3Extension.class, SqsExtension.class, MirrorHarness.Resolver.class})
@interface MirrorServers {
}
