package mastodon.s3sync.ops;

import java.util.function.LongSupplier;
import java.util.function.ToDoubleFunction;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;

import mastodon.s3sync.copy.CopyJob;
import mastodon.s3sync.copy.CopyOutcomes;
import mastodon.s3sync.copy.TableProgress;

/**
 * The copy job's own numbers as Prometheus meters, read from the {@code copyJob} bean at scrape time (so they follow
 * the bean, which survives a route reload):
 * <ul>
 * <li>{@code mastodon_copy_objects_total{table, outcome}}: the outcomes of {@link mastodon.s3sync.copy.CopyOutcomes#names()}, named as
 * in the summary and the report. copy: copied, skipped (target already up to date), missing_at_source, failed;
 * verify: ok, missing_at_source, missing_in_target, different, failed; dry run: listed, failed</li>
 * <li>{@code mastodon_copy_bytes_total{table}}: bytes written to the target (verify: bytes checked)</li>
 * <li>{@code mastodon_copy_rows_done{table}}, {@code mastodon_copy_rows_expected{table}} (NaN while unknown)</li>
 * <li>{@code mastodon_copy_checkpoint_id{table}}: the last id such that every row up to it is done. Prometheus values
 * are doubles: a Mastodon snowflake id (above 2^53) shows rounded, as 1.0934876347534568E17; the exact id is in the
 * report and the checkpoint file</li>
 * <li>{@code mastodon_copy_checkpoint_created_seconds{table}}: when the checkpoint's row was created, read from its
 * snowflake id (Unix seconds; NaN for a table with plain serial ids): how far back in time the copy has come</li>
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
            for (String o : job.parts().outcomes().names()) {
                outcome(registry, t, o, p -> CopyOutcomes.count(p, o));
            }
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
            Gauge.builder("mastodon.copy.checkpoint.created", t, p -> snowflakeSeconds(p.watermark()))
                    .description("creation time of the checkpoint's row, from its snowflake id (NaN: not a "
                            + "snowflake id)").baseUnit("seconds").tag("table", t.table).register(registry);
        }
        Gauge.builder("mastodon.copy.queue.depth", queueDepth, LongSupplier::getAsLong)
                .description("object copies waiting for a worker").strongReference(true).register(registry);
    }

    /**
     * Mastodon's snowflake ids hold the creation time in milliseconds above 16 bits of sequence. An id whose time
     * falls before 2016 (Mastodon's start) is a plain serial id: NaN.
     */
    static double snowflakeSeconds(long id) {
        long ms = id >> 16;
        return ms < 1_451_606_400_000L ? Double.NaN : ms / 1000.0;
    }

    private static void outcome(MeterRegistry registry, TableProgress t, String outcome,
            ToDoubleFunction<TableProgress> f) {
        FunctionCounter.builder("mastodon.copy.objects", t, f).description("objects by outcome")
                .tag("table", t.table).tag("outcome", outcome).register(registry);
    }
}
