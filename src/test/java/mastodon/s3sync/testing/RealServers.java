package mastodon.s3sync.testing;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The test kit's real servers, one of each per test JVM: {@link PostgresServer}, the {@link SourceStore} and
 * {@link TargetStore} s3proxy, {@link SqsServer} and {@link SshTunnelServer} parameters of tests, {@code @BeforeAll}
 * methods and constructors. A server is started the first time any class asks for it.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
@ExtendWith({PostgresExtension.class, S3Extension.class, SqsExtension.class, SshExtension.class})
public @interface RealServers {
}
