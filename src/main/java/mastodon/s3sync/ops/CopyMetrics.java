package mastodon.s3sync.ops;

import java.util.function.LongSupplier;
import java.util.function.ToDoubleFunction;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;

import mastodon.s3sync.copy.CopyJob;
import mastodon.s3sync.copy.TableProgress;

/**
 * The copy job's own numbers as Prometheus meters, read from the {@code copyJob} bean at scrape time (so they follow
 * the bean, which survives a route reload):
 * <ul>
 * <li>{@code mastodon_copy_objects_total{table, outcome}}: outcome copied (verify: ok; dry run: listed), skipped
 * (target already up to date), missing (absent at the source), failed (verify: bad)</li>
 * <li>{@code mastodon_copy_bytes_total{table}}: bytes written to the target (verify: bytes checked)</li>
 * <li>{@code mastodon_copy_rows_done{table}}, {@code mastodon_copy_rows_expected{table}} (NaN while unknown)</li>
 * <li>{@code mastodon_copy_checkpoint_id{table}}: the last id such that every row up to it is done</li>
 * <li>{@code mastodon_copy_queue_depth}: object copies waiting for a worker</li>
 * </ul>
 */
public final class CopyMetrics implements MeterBinder {

    private final CopyJob job;
    private final LongSupplier queueDepth;

    public CopyMetrics(CopyJob job, LongSupplier queueDepth) {
        this.job = job;
        this.queueDepth = queueDepth;
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        for (TableProgress t : job.tables().values()) {
            outcome(registry, t, "copied", p -> p.copied.sum());
            outcome(registry, t, "skipped", p -> p.skipped.sum());
            outcome(registry, t, "missing", p -> p.missing.sum());
            outcome(registry, t, "failed", p -> p.failed.sum());
            FunctionCounter.builder("mastodon.copy.bytes", t, p -> p.bytes.sum())
                    .description("bytes copied to the target").baseUnit("bytes").tag("table", t.table)
                    .register(registry);
            Gauge.builder("mastodon.copy.rows.done", t, TableProgress::rowsDone)
                    .description("rows whose objects are all done in this pass").tag("table", t.table)
                    .register(registry);
            Gauge.builder("mastodon.copy.rows.expected", t, p -> p.total() < 0 ? Double.NaN : p.total())
                    .description("rows this pass expects (estimated on big tables)").tag("table", t.table)
                    .register(registry);
            Gauge.builder("mastodon.copy.checkpoint.id", t, TableProgress::watermark)
                    .description("last id such that every row up to it is done").tag("table", t.table)
                    .register(registry);
        }
        Gauge.builder("mastodon.copy.queue.depth", queueDepth, LongSupplier::getAsLong)
                .description("object copies waiting for a worker").strongReference(true).register(registry);
    }

    private static void outcome(MeterRegistry registry, TableProgress t, String outcome,
            ToDoubleFunction<TableProgress> f) {
        FunctionCounter.builder("mastodon.copy.objects", t, f).description("objects by outcome")
                .tag("table", t.table).tag("outcome", outcome).register(registry);
    }
}
