package mastodon.s3sync.testing;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/** The shared source s3proxy ({@link S3Extension}); its credentials are {@link S3Extension#SOURCE_ACCESS}/SECRET. */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.PARAMETER)
public @interface SourceStore {
}
