package mastodon.s3sync.ops;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.sql.DataSource;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;

import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.Endpoint;
import org.apache.camel.PropertyInject;
import org.apache.camel.component.aws2.s3.AWS2S3Endpoint;
import org.apache.camel.component.aws2.sqs.Sqs2Endpoint;
import org.apache.camel.component.micrometer.eventnotifier.MicrometerRouteEventNotifier;
import org.apache.camel.component.platform.http.main.ManagementHttpServer;
import org.apache.camel.component.seda.SedaEndpoint;
import org.apache.camel.component.sql.SqlEndpoint;
import org.apache.camel.health.HealthCheckRegistry;
import org.apache.camel.spi.CamelEvent;
import org.apache.camel.spi.EventNotifier;
import org.apache.camel.spi.ManagementAgent;
import org.apache.camel.support.SimpleEventNotifierSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import mastodon.s3sync.copy.CopyJob;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * Wires the management port once the routes have started: health checks for what the routes use (the database of the
 * sql endpoints, the bucket of each aws2-s3 endpoint, the queue of each aws2-sqs endpoint), the product's meters
 * (copy job, mirror statistics, queue depth) on the registry Camel's Prometheus endpoint serves, the copy job's
 * MBeans, the Origin guard in front of Jolokia, and the routes-loaded check that a route reload keeps current.
 */
public class ManagementWiring implements CamelConfiguration {

    private static final Logger LOG = LoggerFactory.getLogger("mastodon.s3sync.ops");

    /** The addresses Hawtio is opened at: Jolokia requests from any other web page's Origin get 403. */
    @PropertyInject(value = "management.jolokia-origins", defaultValue = "")
    private String jolokiaOrigins;

    @Override
    public void configure(CamelContext ctx) {
        stepMBeans(ctx, ctx.getPropertiesComponent().resolveProperty("management.step-mbeans").orElse("named"));
        if (agent(ctx) != null) {
            SharedMBeanInfo.install(ctx); // (no agent: JMX is off, as for copy and verify, and nothing is described)
        }
        RoutesLoadedHealthCheck routesLoaded = new RoutesLoadedHealthCheck();
        routesLoaded.setCamelContext(ctx);
        ctx.getManagementStrategy().addEventNotifier(new TemplatedRoutesReload(ctx, routesLoaded::expectCurrentRoutes));
        ctx.getManagementStrategy().addEventNotifier(new SimpleEventNotifierSupport() {
            // Micrometer holds function counters weakly: the binders live as long as the context
            private final List<MeterBinder> binders = new ArrayList<>();
            private final CopyProgressMBeans copyMBeans = new CopyProgressMBeans();

            @Override
            public boolean isEnabled(CamelEvent event) {
                return event instanceof CamelEvent.CamelContextStartedEvent
                        || event instanceof CamelEvent.CamelContextStoppedEvent;
            }

            @Override
            public void notify(CamelEvent event) throws Exception {
                if (event instanceof CamelEvent.CamelContextStoppedEvent) {
                    copyMBeans.unregister();
                    return;
                }
                routeMetersIgnoreExchanges(ctx);
                guardJolokia(ctx, jolokiaOrigins);
                healthChecks(ctx);
                routesLoaded.expectCurrentRoutes();
                HealthCheckRegistry health = HealthCheckRegistry.get(ctx);
                if (health != null) {
                    health.register(routesLoaded);
                }
                binders.addAll(meters(ctx));
                if (copying(ctx) && ctx.getManagementStrategy().getManagementAgent() != null) {
                    copyMBeans.register(ctx.getRegistry().lookupByNameAndType("copyJob", CopyJob.class));
                }
            }
        });
    }

    /**
     * Camel's route meters (camel.metrics: camel_routes_added, camel_routes_running) come from a notifier that takes
     * route events only, yet does not say it ignores the others: to offer them to it, Camel created an event object for
     * every exchange and every step sent (created, sending, sent, completed), about a dozen per object copied. Said for
     * it here; a notifier of any other class keeps what it asked for.
     */
    static void routeMetersIgnoreExchanges(CamelContext ctx) {
        for (EventNotifier n : ctx.getManagementStrategy().getEventNotifiers()) {
            if (n instanceof MicrometerRouteEventNotifier) {
                n.setIgnoreExchangeEvents(true);
                n.setIgnoreStepEvents(true);
            }
        }
    }

    /**
     * management.step-mbeans: {@code named} (the default) registers a JMX MBean only for the steps the routes give an
     * {@code id} (copy-throttle, get-source, page-media-attachments-query, ...), {@code all} one for every step (about
     * 420 for {@code run}, most of them setHeader and filter steps of the eight page routes). Registering them was
     * about 0.3-0.4 s of {@code run}'s start, about 0.05 s since {@link SharedMBeanInfo} (bench/RESULTS.md). Set before the
     * routes start, which is when Camel registers.
     */
    static void stepMBeans(CamelContext ctx, String setting) {
        ManagementAgent agent = agent(ctx);
        if (agent != null) {
            agent.setOnlyRegisterProcessorWithCustomId(!"all".equals(setting.strip()));
        }
    }

    /** Camel's JMX agent, or null when JMX is off. */
    private static ManagementAgent agent(CamelContext ctx) {
        return ctx.getManagementStrategy() == null ? null : ctx.getManagementStrategy().getManagementAgent();
    }

    /** Puts {@link JolokiaOriginGuard} in front of the management server's Jolokia endpoint. */
    static void guardJolokia(CamelContext ctx, String origins) {
        ManagementHttpServer server = ctx.hasService(ManagementHttpServer.class);
        if (server == null || !server.isJolokiaEnabled() || server.getRouter() == null) {
            return;
        }
        server.getRouter().route(server.getJolokiaPath() + "/*").order(-1000)
                .handler(new JolokiaOriginGuard(Arrays.stream(origins.split(",")).map(String::strip).toList()));
    }

    private static boolean copying(CamelContext ctx) {
        return ctx.getRoute("copy-object") != null || ctx.getRoute("verify-object") != null;
    }

    static void healthChecks(CamelContext ctx) {
        HealthCheckRegistry health = HealthCheckRegistry.get(ctx);
        if (health == null) {
            return;
        }
        // named after the bean in the endpoint URI; looking beans up by type would build lazy ones a command never uses
        Map<String, ProbeHealthCheck> checks = new LinkedHashMap<>();
        for (Endpoint e : ctx.getEndpoints()) {
            if (e instanceof SqlEndpoint sql && sql.getDataSource() != null) {
                DataSource ds = sql.getDataSource();
                String id = "database-" + beanName(e, "dataSource", "db");
                checks.putIfAbsent(id, new ProbeHealthCheck(id, () -> selectOne(ds)));
            } else if (e instanceof AWS2S3Endpoint s3 && s3.getConfiguration().getAmazonS3Client() != null) {
                S3Client client = s3.getConfiguration().getAmazonS3Client();
                String bean = beanName(e, "amazonS3Client", "s3");
                String bucket = storeBucket(ctx, bean, s3.getConfiguration().getBucketName());
                if (bucket == null) {
                    continue; // each request names its bucket (the mirror without mirror.bucket): nothing to HEAD
                }
                String id = "store-" + bean + "-" + bucket;
                checks.putIfAbsent(id, new ProbeHealthCheck(id, () -> {
                    client.headBucket(r -> r.bucket(bucket));
                    return "HeadBucket " + bucket;
                }));
            } else if (e instanceof Sqs2Endpoint q && q.getClient() != null) {
                SqsClient client = q.getClient();
                String queue = q.getConfiguration().getQueueName();
                String id = "queue-" + queue;
                checks.putIfAbsent(id, new ProbeHealthCheck(id, () -> {
                    client.getQueueAttributes(r -> r.queueUrl(queueUrl(q)));
                    return "GetQueueAttributes " + queue;
                }));
            }
        }
        checks.values().forEach(c -> {
            c.setCamelContext(ctx);
            health.register(c);
        });
        // Camel's check of the route controller, by name: the class-path scan that would find it is off (it read the
        // whole jar at every start; application.properties)
        if (health.getCheck("route-controller").isEmpty()) {
            Object routeController = health.resolveById("route-controller");
            if (routeController != null) {
                health.register(routeController);
            }
        }
        LOG.debug("health checks: {}", checks.keySet());
    }

    static List<MeterBinder> meters(CamelContext ctx) {
        List<MeterBinder> binders = new ArrayList<>();
        MeterRegistry registry = ctx.getRegistry().lookupByNameAndType("metricsRegistry", MeterRegistry.class);
        if (registry == null) {
            return binders; // camel.metrics.enabled=false
        }
        if (copying(ctx)) {
            CopyJob job = ctx.getRegistry().lookupByNameAndType("copyJob", CopyJob.class);
            binders.add(new CopyMetrics(job, () -> sedaQueueSize(ctx, "seda://copy-queue")));
        }
        // the mirror's counters are steps of its route (micrometer:counter:mastodon.mirror.*)
        for (Endpoint e : ctx.getEndpoints()) {
            if (e instanceof Sqs2Endpoint q && q.getClient() != null) {
                binders.add(new QueueDepth(q.getClient(), q.getConfiguration().getQueueName(), () -> queueUrl(q)));
            }
        }
        binders.forEach(b -> b.bindTo(registry));
        return binders;
    }

    /** Looked up at each scrape: a route reload replaces the endpoints. */
    private static long sedaQueueSize(CamelContext ctx, String baseUri) {
        for (Endpoint e : ctx.getEndpoints()) {
            if (e instanceof SedaEndpoint s && s.getEndpointBaseUri().equals(baseUri) && s.isStarted()) {
                return s.getCurrentQueueSize();
            }
        }
        return 0;
    }

    /**
     * The bucket a store bean serves: the setting {@code <side>.bucket} of a bean named {@code <side>S3} (sourceS3 ->
     * source.bucket) when there is one, else the endpoint's; null when that setting is empty (no fixed bucket).
     */
    static String storeBucket(CamelContext ctx, String bean, String endpointBucket) {
        if (bean.endsWith("S3")) {
            var configured = ctx.getPropertiesComponent().resolveProperty(bean.substring(0, bean.length() - 2)
                    + ".bucket");
            if (configured.isPresent()) {
                return configured.get().isBlank() ? null : configured.get().strip();
            }
        }
        return endpointBucket;
    }

    /** The bean an endpoint option refers to ({@code amazonS3Client=#sourceS3} -> sourceS3). */
    static String beanName(Endpoint e, String option, String otherwise) {
        Matcher m = Pattern.compile("[?&]" + option + "=(?:%23|#)([A-Za-z0-9_.-]+)").matcher(e.getEndpointUri());
        return m.find() ? m.group(1) : otherwise;
    }

    private static String selectOne(DataSource ds) throws Exception {
        try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
            s.setQueryTimeout(10);
            try (ResultSet rs = s.executeQuery("SELECT 1")) {
                rs.next();
            }
            return "SELECT 1";
        }
    }

    private static String queueUrl(Sqs2Endpoint q) {
        String url = q.getConfiguration().getQueueUrl();
        if (url != null && !url.isBlank()) {
            return url;
        }
        String name = q.getConfiguration().getQueueName();
        if (name.startsWith("https://") || name.startsWith("http://")) {
            return name;
        }
        return q.getClient().getQueueUrl(r -> r.queueName(name)).queueUrl();
    }
}
