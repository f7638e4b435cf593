package mastodon.s3sync.ops;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;

/**
 * The mirror's numbers as Prometheus meters, read from its statistics bean ({@code mirrorStats}) at scrape time. The
 * bean is a plain object; this binder reads its public no-argument methods (getters or record-style):
 * <ul>
 * <li>a method returning {@code Map<String, Number>} (or LongAdder/AtomicLong values), say {@code applied()}: one
 * counter per key, {@code mastodon_mirror_events_total{result="applied", type=KEY}}. Keys that appear later (a new
 * event type) are added at the next scrape.</li>
 * <li>a method returning a number whose name contains "lag", "age", "depth" or "size": a gauge
 * {@code mastodon_mirror_NAME} (say {@code lagSeconds()} -> {@code mastodon_mirror_lag_seconds})</li>
 * <li>any other number: a counter {@code mastodon_mirror_NAME_total}</li>
 * </ul>
 * Micrometer holds function counters weakly: whoever binds this keeps a reference to it while the meters are used.
 */
public final class MirrorMetrics implements MeterBinder {

    private final Object stats;
    private final Set<String> bound = ConcurrentHashMap.newKeySet();

    public MirrorMetrics(Object stats) {
        this.stats = stats;
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        for (Method m : stats.getClass().getMethods()) {
            if (m.getParameterCount() != 0 || Modifier.isStatic(m.getModifiers())
                    || m.getDeclaringClass() == Object.class || m.getName().equals("hashCode")) {
                continue;
            }
            m.trySetAccessible();
            String name = meterName(m.getName());
            if (Map.class.isAssignableFrom(m.getReturnType())) {
                bindMap(registry, m, name);
                // new keys (event types) become counters when they first appear
                Gauge.builder("mastodon.mirror.event.types", this, b -> b.bindMap(registry, m, name))
                        .description("event types seen, as " + name).tag("result", name).strongReference(true).register(registry);
            } else if (isNumber(m.getReturnType())) {
                boolean gauge = name.contains("lag") || name.contains("age") || name.contains("depth")
                        || name.contains("size");
                if (gauge) {
                    Gauge.builder("mastodon.mirror." + name, this, b -> b.read(m, null)).strongReference(true)
                            .register(registry);
                } else {
                    FunctionCounter.builder("mastodon.mirror." + name, this, b -> b.read(m, null)).register(registry);
                }
            }
        }
    }

    /** Registers a counter for each key not yet bound; returns how many keys the map has. */
    private int bindMap(MeterRegistry registry, Method m, String result) {
        Map<?, ?> map = (Map<?, ?>) invoke(m);
        if (map == null) {
            return 0;
        }
        for (Object key : map.keySet().toArray()) {
            String type = String.valueOf(key);
            if (bound.add(result + "/" + type)) {
                FunctionCounter.builder("mastodon.mirror.events", this, b -> b.read(m, key))
                        .description("mirror events by result and type").tag("result", result).tag("type", type)
                        .register(registry);
            }
        }
        return map.size();
    }

    private double read(Method m, Object key) {
        Object v = invoke(m);
        if (key != null) {
            v = v instanceof Map<?, ?> map ? map.get(key) : null;
        }
        return v instanceof Number n ? n.doubleValue() : Double.NaN;
    }

    private Object invoke(Method m) {
        try {
            return m.invoke(stats);
        } catch (ReflectiveOperationException | RuntimeException e) {
            return null;
        }
    }

    private static boolean isNumber(Class<?> c) {
        return Number.class.isAssignableFrom(c) || c == long.class || c == int.class || c == double.class;
    }

    /** getAppliedEvents -> applied_events; lagSeconds -> lag_seconds. */
    static String meterName(String method) {
        String n = method.startsWith("get") && method.length() > 3 ? method.substring(3) : method;
        return n.replaceAll("([a-z0-9])([A-Z])", "$1_$2").toLowerCase(Locale.ROOT);
    }
}
