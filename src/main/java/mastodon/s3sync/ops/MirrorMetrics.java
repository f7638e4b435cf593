package mastodon.s3sync.ops;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.Locale;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;

/**
 * The mirror's numbers as Prometheus meters, read at scrape time from its statistics bean ({@code mirrorStats}, a
 * plain object with a getter per counter), so a counter added there appears here without a change:
 * <ul>
 * <li>{@code getCreated()}, {@code getRemoved()}, {@code getStale()}, ... (events by what became of them):
 * {@code mastodon_mirror_events_total{outcome="created"}}, {@code outcome="removed"}, ...</li>
 * <li>{@code getResyncDownloaded()}, ...: {@code mastodon_mirror_resync_objects_total{outcome="downloaded"}}</li>
 * <li>a getter whose name ends in Lag..., Age... or Seconds is a level, not a count: a gauge
 * {@code mastodon_mirror_NAME} (say {@code getLagSeconds()} -> {@code mastodon_mirror_lag_seconds})</li>
 * </ul>
 * Micrometer holds function counters weakly: whoever binds this keeps a reference to it while the meters are used.
 */
public final class MirrorMetrics implements MeterBinder {

    private final Object stats;

    public MirrorMetrics(Object stats) {
        this.stats = stats;
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        for (Method m : stats.getClass().getMethods()) {
            if (m.getParameterCount() != 0 || Modifier.isStatic(m.getModifiers()) || !m.getName().startsWith("get")
                    || m.getName().equals("getClass") || !isNumber(m.getReturnType())) {
                continue;
            }
            String name = meterName(m.getName());
            if (name.contains("lag") || name.contains("age") || name.endsWith("seconds")) {
                Gauge.builder("mastodon.mirror." + name, this, b -> b.read(m)).strongReference(true)
                        .register(registry);
            } else if (name.startsWith("resync_")) {
                FunctionCounter.builder("mastodon.mirror.resync.objects", this, b -> b.read(m))
                        .description("objects handled by --resync, by outcome")
                        .tag("outcome", name.substring("resync_".length()).replace('_', '-')).register(registry);
            } else {
                FunctionCounter.builder("mastodon.mirror.events", this, b -> b.read(m))
                        .description("mirror events (records; malformed and test_events: messages) by outcome")
                        .tag("outcome", name.replace('_', '-')).register(registry);
            }
        }
    }

    private double read(Method m) {
        try {
            return m.invoke(stats) instanceof Number n ? n.doubleValue() : Double.NaN;
        } catch (ReflectiveOperationException | RuntimeException e) {
            return Double.NaN;
        }
    }

    private static boolean isNumber(Class<?> c) {
        return Number.class.isAssignableFrom(c) || c == long.class || c == int.class || c == double.class;
    }

    /** getResyncDownloaded -> resync_downloaded; getTestEvents -> test_events. */
    static String meterName(String getter) {
        return getter.substring(3).replaceAll("([a-z0-9])([A-Z])", "$1_$2").toLowerCase(Locale.ROOT);
    }
}
