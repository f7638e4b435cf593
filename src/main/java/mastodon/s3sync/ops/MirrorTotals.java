package mastodon.s3sync.ops;

import java.util.List;
import java.util.function.Supplier;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.camel.spi.CamelEvent;
import org.apache.camel.support.EventNotifierSupport;
import org.slf4j.LoggerFactory;

/**
 * When the mirror's routes have stopped (before Camel's services, the meter registry among them, go), one log line with every outcome counted since the start, read from the counters the
 * route increments ({@code mastodon.mirror.events} and {@code mastodon.mirror.resync.objects}, tag {@code outcome}):
 * {@code mirror: stopped; since the start: created=3, removed=1, ...}.
 */
public final class MirrorTotals extends EventNotifierSupport {

    /** The outcomes of mastodon.mirror.events, in the order of the line (the route's mirror-metrics-init names them). */
    static final List<String> EVENTS = List.of("created", "removed", "stale", "gone", "ignored", "rejected",
            "unmapped", "failed", "malformed", "test-events");
    static final List<String> RESYNC = List.of("downloaded", "deleted", "failed");

    private final Supplier<MeterRegistry> registry;

    /** @param registry looked up at the stop (Camel creates its registry after the beans) */
    public MirrorTotals(Supplier<MeterRegistry> registry) {
        this.registry = registry;
        // only the context's own events: Camel creates no event per exchange or step for this notifier
        setIgnoreExchangeEvents(true);
        setIgnoreRouteEvents(true);
        setIgnoreServiceEvents(true);
        setIgnoreStepEvents(true);
        setIgnoreCamelContextInitEvents(true);
    }

    public String line() {
        StringBuilder sb = new StringBuilder();
        for (String o : EVENTS) {
            sb.append(sb.isEmpty() ? "" : ", ").append(o).append('=').append(count("mastodon.mirror.events", o));
        }
        for (String o : RESYNC) {
            sb.append(", resync-").append(o).append('=').append(count("mastodon.mirror.resync.objects", o));
        }
        return sb.toString();
    }

    private long count(String name, String outcome) {
        MeterRegistry r = registry.get();
        return r == null ? 0 : Math.round(r.find(name).tag("outcome", outcome).counters().stream()
                .mapToDouble(Counter::count).sum());
    }

    @Override
    public boolean isEnabled(CamelEvent event) {
        return event instanceof CamelEvent.CamelContextRoutesStoppedEvent;
    }

    @Override
    public void notify(CamelEvent event) {
        logTotals();
    }

    public void logTotals() {
        LoggerFactory.getLogger("mastodon.s3sync.mirror").info("mirror: stopped; since the start: {}", line());
    }
}
