package mastodon.s3sync.ops;

import java.util.LinkedHashMap;
import java.util.Map;

import org.apache.camel.CamelContext;
import org.apache.camel.RoutesBuilder;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.spi.CamelEvent;
import org.apache.camel.spi.Resource;
import org.apache.camel.support.PluginHelper;
import org.apache.camel.support.SimpleEventNotifierSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Live reload of a route file in Camel 4.17 re-adds the file's routes and route templates but not the routes made
 * from templates ({@code templatedRoute:}, such as page-backups and head-target-object): they are removed and never
 * made again (RouteBuilder.updateRoutesToCamelContext skips them). This makes them from the reloaded file, with the
 * reloaded templates, once the batch of reloaded routes is complete.
 */
final class TemplatedRoutesReload extends SimpleEventNotifierSupport {

    private static final Logger LOG = LoggerFactory.getLogger("mastodon.s3sync.reload");

    private final CamelContext ctx;
    private final Runnable afterReload;
    private final Map<String, Resource> reloaded = new LinkedHashMap<>();

    /** @param afterReload runs once the reloaded routes and the ones made from templates are in place */
    TemplatedRoutesReload(CamelContext ctx, Runnable afterReload) {
        this.ctx = ctx;
        this.afterReload = afterReload;
    }

    @Override
    public boolean isEnabled(CamelEvent event) {
        return event instanceof CamelEvent.RouteReloadedEvent;
    }

    @Override
    public synchronized void notify(CamelEvent event) throws Exception {
        CamelEvent.RouteReloadedEvent r = (CamelEvent.RouteReloadedEvent) event;
        Resource resource = r.getRoute().getSourceResource();
        if (resource != null) {
            reloaded.putIfAbsent(resource.getLocation(), resource);
        }
        if (r.getIndex() < r.getTotal()) {
            return; // act once, after the last route of the batch
        }
        int before = ctx.getRoutesSize();
        try {
            for (Resource res : reloaded.values()) {
                for (RoutesBuilder b : PluginHelper.getRoutesLoader(ctx).findRoutesBuilders(res)) {
                    if (b instanceof RouteBuilder rb) {
                        rb.configureRoutes(ctx); // reads the file; adds nothing to the context
                        rb.addTemplatedRoutesToCamelContext(ctx);
                    }
                }
            }
        } catch (Exception e) {
            LOG.warn("routes reloaded, but the routes made from templates could not be made again: {}. Fix the "
                    + "route file (it reloads on save) or restart.", e.getMessage());
            return;
        } finally {
            reloaded.clear();
        }
        int made = ctx.getRoutesSize() - before;
        LOG.info("routes reloaded: {} routes, {} of them made from templates", ctx.getRoutesSize(), made);
        afterReload.run();
    }
}
