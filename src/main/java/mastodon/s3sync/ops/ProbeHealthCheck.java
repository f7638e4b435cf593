package mastodon.s3sync.ops;

import java.util.Map;
import java.util.concurrent.Callable;

import org.apache.camel.health.HealthCheckResultBuilder;
import org.apache.camel.impl.health.AbstractHealthCheck;

import mastodon.s3sync.copy.RetryPolicy;

/**
 * UP when a small request to a resource the routes use (the database, a bucket, a queue) succeeds, DOWN with a
 * one-line reason (no stack trace, no secret) when it fails.
 */
final class ProbeHealthCheck extends AbstractHealthCheck {

    private final Callable<String> probe;

    ProbeHealthCheck(String id, Callable<String> probe) {
        super("mastodon", id);
        this.probe = probe;
    }

    @Override
    protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
        try {
            builder.detail("checked", probe.call());
            builder.up();
        } catch (Exception e) {
            builder.message(RetryPolicy.describe(e));
            builder.down();
        }
    }
}
