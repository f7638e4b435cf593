package mastodon.s3sync.ops;

import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import org.apache.camel.Route;
import org.apache.camel.health.HealthCheckResultBuilder;
import org.apache.camel.impl.health.AbstractHealthCheck;

/**
 * DOWN when routes that ran are gone: Camel removes the routes before it reloads an edited file, so a file that no
 * longer parses leaves nothing running (until it is fixed and saved again) while every remaining check stays UP.
 * The expected routes are those running at start and after each successful reload.
 */
final class RoutesLoadedHealthCheck extends AbstractHealthCheck {

    private volatile Set<String> expected = Set.of();

    RoutesLoadedHealthCheck() {
        super("mastodon", "routes-loaded");
    }

    /** The routes running now are the ones to expect (after start, after a successful reload). */
    void expectCurrentRoutes() {
        Set<String> ids = new TreeSet<>();
        getCamelContext().getRoutes().forEach(r -> ids.add(r.getRouteId()));
        expected = ids;
    }

    @Override
    protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
        Set<String> missing = new TreeSet<>(expected);
        getCamelContext().getRoutes().stream().map(Route::getRouteId).forEach(missing::remove);
        builder.detail("routes", expected.size() - missing.size());
        if (missing.isEmpty()) {
            builder.up();
        } else {
            builder.message(missing.size() + " route(s) not running, probably because an edited route file failed to "
                    + "load (see the log): " + String.join(", ", missing) + ". Fix the file and save it again.");
            builder.down();
        }
    }
}
