package mastodon.s3sync.ops;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicInteger;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

import org.apache.camel.CamelContext;
import org.apache.camel.Endpoint;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.micrometer.eventnotifier.MicrometerRouteEventNotifier;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.impl.event.DefaultEventFactory;
import org.apache.camel.spi.CamelEvent;
import org.apache.camel.spi.EventNotifier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The event notifiers of a running command want a few context and route events: the product's (live reload of
 * templated routes, the management wiring) and Camel's route meters (camel.metrics, which Camel Main adds). Camel
 * offers every event to every notifier that does not say it ignores its kind, creating it first: one that does not
 * ignore exchange and step events costs event objects at every step of every object copied.
 */
@Timeout(60)
class EventNotifiersTest {

    /** Counts the exchange and step events Camel creates to offer them to the notifiers. */
    static final class CountingEventFactory extends DefaultEventFactory {
        final AtomicInteger exchangeEvents = new AtomicInteger();

        @Override
        public CamelEvent createExchangeSendingEvent(Exchange exchange, Endpoint endpoint) {
            exchangeEvents.incrementAndGet();
            return super.createExchangeSendingEvent(exchange, endpoint);
        }

        @Override
        public CamelEvent createCamelExchangeAsyncProcessingStartedEvent(Exchange exchange) {
            exchangeEvents.incrementAndGet();
            return super.createCamelExchangeAsyncProcessingStartedEvent(exchange);
        }

        @Override
        public CamelEvent createExchangeCreatedEvent(Exchange exchange) {
            exchangeEvents.incrementAndGet();
            return super.createExchangeCreatedEvent(exchange);
        }

        @Override
        public CamelEvent createExchangeCompletedEvent(Exchange exchange) {
            exchangeEvents.incrementAndGet();
            return super.createExchangeCompletedEvent(exchange);
        }
    }

    @Test
    void theProductsNotifiersMakeCamelCreateNoEventPerExchangeOrStep() throws Exception {
        CamelContext ctx = new DefaultCamelContext();
        CountingEventFactory events = new CountingEventFactory();
        ctx.getManagementStrategy().setEventFactory(events);
        // as Camel Main adds it with camel.metrics.enabled (application.properties)
        MicrometerRouteEventNotifier routeMeters = new MicrometerRouteEventNotifier();
        routeMeters.setMeterRegistry(new SimpleMeterRegistry());
        ctx.getManagementStrategy().addEventNotifier(routeMeters);
        new ManagementWiring().configure(ctx);
        ctx.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:object").routeId("object").to("direct:step").setHeader("x", constant("y"));
                from("direct:step").routeId("step").setBody(constant("done"));
            }
        });
        try {
            ctx.start();
            assertThat(ctx.getManagementStrategy().getEventNotifiers()).as("the route meters' and ManagementWiring's")
                    .hasSizeGreaterThanOrEqualTo(3);
            for (EventNotifier n : ctx.getManagementStrategy().getEventNotifiers()) {
                assertThat(n.isIgnoreExchangeEvents()).as("%s ignores exchange events", n).isTrue();
                assertThat(n.isIgnoreStepEvents()).as("%s ignores step events", n).isTrue();
            }

            for (int i = 0; i < 10; i++) {
                ctx.createProducerTemplate().sendBody("direct:object", i);
            }

            assertThat(events.exchangeEvents).as("exchange events created for 10 messages").hasValue(0);
        } finally {
            ctx.stop();
        }
    }
}
