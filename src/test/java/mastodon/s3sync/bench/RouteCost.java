package mastodon.s3sync.bench;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.camel.CamelContext;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.main.BaseMainSupport;
import org.apache.camel.main.Main;
import org.apache.camel.main.MainListenerSupport;

import mastodon.s3sync.CopyBeans;

import mastodon.s3sync.copy.CopyJob;
import mastodon.s3sync.copy.CopyOptions;
import mastodon.s3sync.copy.CopyTask;
import mastodon.s3sync.copy.FailureBudget;
import mastodon.s3sync.copy.MastodonKeys;
import mastodon.s3sync.copy.PartedCopy;
import mastodon.s3sync.copy.RetryPolicy;
import mastodon.s3sync.store.PartedUpload;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.core.sync.ResponseTransformer;
import software.amazon.awssdk.http.AbortableInputStream;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectRequest;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.HeadBucketRequest;
import software.amazon.awssdk.services.s3.model.HeadBucketResponse;
import software.amazon.awssdk.services.s3.model.ObjectCannedACL;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.PutObjectResponse;

/**
 * What the copy's routes cost per object, with the stores taken out: the per-object routes of copy.camel.yaml (with
 * copy-errors.camel.yaml, as {@code copy} runs them: the seda queue, its workers, the throttle, the error handler's
 * retries armed, the metrics timer, Camel's S3 producers) move tasks whose S3 clients answer from memory at once, and
 * the process's CPU time per object is compared with the same in-memory clients called directly, as the bare SDK loop
 * (bench/SdkCopyLoop.java) calls the real ones. The difference is what Camel and the routes add per object, without
 * the noise of two stores sharing the cores (what bench/copy-vs-rclone.sh cannot resolve below about 10 %).
 *
 * <p>Arguments: [OBJECTS_PER_ROUND [ROUNDS [THREADS]]] (20000, 5, 16). Each variant runs ROUNDS rounds after as many
 * warm-up rounds; the table gives the median. Run by bench/route-cost.sh with the launcher's JVM options.
 */
public final class RouteCost {

    /** Bytes of every object: small, so that what is measured is the cost per object, not per byte. */
    static final int SIZE = 1000;

    private RouteCost() {
    }

    public static void main(String[] args) throws Exception {
        int perRound = args.length > 0 ? Integer.parseInt(args[0]) : 20_000;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        int threads = args.length > 2 ? Integer.parseInt(args[2]) : 16;
        Path state = Files.createTempDirectory("route-cost");
        Map<String, String> p = new HashMap<>();
        p.put("copy.mode", "copy");
        p.put("copy.state-dir", state.toString());
        p.put("copy.only", "accounts");
        p.put("target.permission", "public-read");
        FailureBudget budget = new FailureBudget(Duration.ofMinutes(3), Map.of("source", "source", "target", "target"));
        CopyJob job = new CopyJob(CopyOptions.from(p::get), new MastodonKeys(), null, null, budget);
        S3Client source = new MemoryS3();
        S3Client target = new MemoryS3();

        Main main = new Main();
        main.configure().withRoutesIncludePattern("file:routes/copy-errors.camel.yaml,file:routes/copy.camel.yaml")
                .withRouteFilterIncludePattern("copy-workers,copy-object,copy-attempts,transfer-object,same-size,"
                        + "same-headers,head-*,get-source-bucket,put-target-bucket")
                .withStreamCachingEnabled(false).withJmxEnabled(false).withLoadHealthChecks(false);
        main.setDefaultPropertyPlaceholderLocation("file:application.properties");
        Map<String, String> o = new HashMap<>();
        o.put("source.bucket", "source");
        o.put("target.bucket", "target");
        o.put("copy.concurrency", Integer.toString(threads));
        // the throttle is measured, not allowed to pace: above what the rounds reach. (Camel's throttle holds one
        // permit object per request a period allows: 10,000,000 filled the heap)
        o.put("copy.requests-per-second", System.getProperty("copy.requests-per-second", "100000"));
        o.put("copy.object-log-level", "DEBUG");
        o.put("management.enabled", "false");
        o.put("camel.main.routes-reload-enabled", "false");
        // as a one-pass copy without its management port (CamelLauncher.onePass)
        o.put("camel.metrics.enable-route-policy", "false");
        o.forEach(main::addOverrideProperty);
        main.bind("copyJob", job);
        main.bind("copyOutcomes", job.parts().outcomes());
        main.bind("failureBudget", budget);
        main.bind("retryPolicy", new RetryPolicy());
        main.bind("recordFailure", (org.apache.camel.Processor) e -> budget.failure(
                e.getProperty("party", String.class), "bench"));
        main.bind("sourceS3", source);
        main.bind("targetS3", target);
        main.bind("partedCopy", new PartedCopy(new PartedUpload(target, "target", 16L << 20, 1, 10,
                new RetryPolicy()::isRetryable, f -> budget.failure(f.party(), "bench"), budget::success), source,
                "source", null));
        // what CopyBeans adds to the context for a copy (the job's parts by name, the enum conversions the routes
        // make per object), after Camel Main has configured it
        main.addMainListener(new MainListenerSupport() {
            @Override
            public void afterConfigure(BaseMainSupport m) {
                new CopyBeans().configure(m.getCamelContext());
            }
        });
        main.start();
        CamelContext ctx = main.getCamelContext();
        ProducerTemplate template = ctx.createProducerTemplate();
        AtomicInteger ids = new AtomicInteger();

        System.out.printf("%,d objects of %d B per round, %d rounds after %d of warm-up, %d threads; %s%n", perRound,
                SIZE, rounds, rounds, threads, ManagementFactory.getRuntimeMXBean().getInputArguments());
        List<String[]> rows = new ArrayList<>();

        double loop = measure("the same in-memory clients called directly (as the SDK loop)", rounds, perRound, rows,
                () -> directLoop(job, source, target, ids, perRound, threads));
        double routes = measure("the copy routes: seda:copy-queue and its workers", rounds, perRound, rows, () -> {
            List<CopyTask> tasks = plan(job, ids, perRound);
            // the end of the round from the job's own counters: a NotifyBuilder is an event notifier, and Camel would
            // create an event at every step of every object for it (bench/RESULTS.md, "Fewer regular expressions,
            // exchange copies and events per object")
            long end = done(job) + tasks.size();
            for (CopyTask t : tasks) {
                template.sendBody("seda:copy-queue", t);
            }
            long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(10);
            while (done(job) < end) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("the round did not end: " + (end - done(job)) + " objects left");
                }
                Thread.sleep(5);
            }
        });
        double direct = measure("the copy routes from direct:copy-object, without the queue", rounds, perRound, rows,
                () -> {
                    List<CopyTask> tasks = plan(job, ids, perRound);
                    parallel(threads, tasks, t -> template.sendBody("direct:copy-object", t));
                });
        long copied = job.tables().get("accounts").copied.sum();
        long failed = job.tables().get("accounts").failed.sum();
        main.stop();
        source.close();
        target.close();
        org.apache.camel.util.FileUtil.removeDir(state.toFile()); // the job's checkpoints and report

        System.out.println();
        System.out.println("| how the objects are moved | CPU µs per object (median) | rounds |");
        System.out.println("|---|---|---|");
        for (String[] r : rows) {
            System.out.printf("| %s | %s | %s |%n", (Object[]) r);
        }
        System.out.printf("%nroutes minus loop: %.0f µs per object; the queue's hand-off: %.0f µs; objects copied "
                + "%,d, failed %,d%n", routes - loop, routes - direct, copied, failed);
        if (failed > 0) {
            throw new IllegalStateException(failed + " objects failed: the figures are not of the copy's path");
        }
    }

    /** Objects ended so far, however. */
    static long done(CopyJob job) {
        var t = job.tables().get("accounts");
        return t == null ? 0 : t.copied.sum() + t.failed.sum() + t.skipped.sum() + t.missing.sum();
    }

    interface Round {
        void run() throws Exception;
    }

    /** Runs the warm-up rounds, then the measured ones; adds a row and returns the median CPU µs per object. */
    static double measure(String what, int rounds, int perRound, List<String[]> rows, Round round) throws Exception {
        var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        for (int i = 0; i < rounds; i++) {
            round.run();
        }
        double[] us = new double[rounds];
        for (int i = 0; i < rounds; i++) {
            long cpu = os.getProcessCpuTime();
            round.run();
            us[i] = (os.getProcessCpuTime() - cpu) / 1e3 / perRound;
        }
        double[] sorted = us.clone();
        Arrays.sort(sorted);
        double median = sorted[rounds / 2];
        StringBuilder each = new StringBuilder();
        for (double u : us) {
            each.append(each.length() == 0 ? "" : ", ").append(Math.round(u));
        }
        rows.add(new String[] {what, Long.toString(Math.round(median)), each.toString()});
        System.out.printf("%s: %.0f µs per object (%s)%n", what, median, each);
        return median;
    }

    /** A page of accounts rows (a png avatar each) planned as the page route plans it, absent from the target. */
    static List<CopyTask> plan(CopyJob job, AtomicInteger ids, int count) {
        List<CopyTask> tasks = new ArrayList<>(count);
        while (tasks.size() < count) {
            List<Map<String, Object>> page = new ArrayList<>();
            for (int i = 0; i < 1000 && tasks.size() + page.size() < count; i++) {
                int id = ids.incrementAndGet();
                Map<String, Object> row = new HashMap<>();
                row.put("id", (long) id);
                row.put("avatar_file_name", "a" + id + ".png");
                row.put("avatar_content_type", "image/png");
                page.add(row);
            }
            for (CopyTask t : job.parts().planner().plan("accounts", 1000, page)) {
                tasks.add(t.listed((long) SIZE, CopyTask.ABSENT));
            }
        }
        return tasks;
    }

    /** The bare loop's work per object (SdkCopyLoop): GET, then PUT of the GET's stream with the task's headers. */
    static void directLoop(CopyJob job, S3Client source, S3Client target, AtomicInteger ids, int count, int threads)
            throws Exception {
        List<CopyTask> tasks = plan(job, ids, count);
        parallel(threads, tasks, t -> {
            try (ResponseInputStream<GetObjectResponse> in = source.getObject(GetObjectRequest.builder()
                    .bucket("source").key(t.sourceKey()).build())) {
                target.putObject(PutObjectRequest.builder().bucket("target").key(t.targetKey())
                        .contentType(t.contentType()).cacheControl(CopyTask.CACHE_CONTROL).acl(t.cannedAcl() == null || t.cannedAcl().isEmpty() ? null
                                : ObjectCannedACL.valueOf(t.cannedAcl()))
                        .contentLength(in.response().contentLength()).build(),
                        RequestBody.fromInputStream(in, in.response().contentLength()));
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
            job.parts().outcomes().copied(t, (long) SIZE, false);
        });
    }

    interface Work {
        void on(CopyTask t) throws Exception;
    }

    static void parallel(int threads, List<CopyTask> tasks, Work work) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        AtomicInteger next = new AtomicInteger();
        List<Future<?>> all = new ArrayList<>();
        for (int i = 0; i < threads; i++) {
            all.add(pool.submit(() -> {
                for (int n; (n = next.getAndIncrement()) < tasks.size(); ) {
                    work.on(tasks.get(n));
                }
                return null;
            }));
        }
        for (Future<?> f : all) {
            f.get();
        }
        pool.shutdown();
    }

    /**
     * An S3 client that answers from memory at once: every GET the same {@link #SIZE} bytes (image/png), every PUT
     * read to its end. The measuring instrument of this bench only: no test uses it (they run real stores).
     */
    static final class MemoryS3 implements S3Client {
        private static final byte[] BYTES = new byte[SIZE];

        @Override
        public <T> T getObject(GetObjectRequest request, ResponseTransformer<GetObjectResponse, T> transformer)
                throws AwsServiceException, SdkClientException {
            GetObjectResponse response = GetObjectResponse.builder().contentLength((long) SIZE)
                    .contentType("image/png").eTag("\"e\"").build();
            try {
                return transformer.transform(response, AbortableInputStream.create(new ByteArrayInputStream(BYTES)));
            } catch (Exception e) {
                throw SdkClientException.create("in memory", e);
            }
        }

        @Override
        public PutObjectResponse putObject(PutObjectRequest request, RequestBody body) {
            try (InputStream in = body.contentStreamProvider().newStream()) {
                in.transferTo(java.io.OutputStream.nullOutputStream());
            } catch (IOException e) {
                throw SdkClientException.create("in memory", e);
            }
            return PutObjectResponse.builder().eTag("\"e\"").build();
        }

        @Override
        public HeadBucketResponse headBucket(HeadBucketRequest request) {
            return HeadBucketResponse.builder().build(); // Camel's S3 endpoint looks for its bucket when it starts
        }

        @Override
        public String serviceName() {
            return "s3";
        }

        @Override
        public void close() {
        }
    }
}
