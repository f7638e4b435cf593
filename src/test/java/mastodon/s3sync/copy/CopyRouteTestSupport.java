package mastodon.s3sync.copy;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.camel.builder.NotifyBuilder;
import org.apache.camel.main.MainConfigurationProperties;
import org.apache.camel.spi.Registry;
import org.apache.camel.test.main.junit5.CamelMainTestSupport;
import org.apache.camel.util.FileUtil;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Timeout;

import mastodon.s3sync.store.S3Stores;
import mastodon.s3sync.store.StoreConfig;
import mastodon.s3sync.testing.FaultProxy;
import mastodon.s3sync.testing.MastodonFixture;
import mastodon.s3sync.testing.S3Server;
import mastodon.s3sync.testing.SourceStore;
import mastodon.s3sync.testing.TargetStore;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;

/**
 * Route-level tests of the per-object routes of copy.camel.yaml (copy-workers, copy-object, copy-attempts,
 * transfer-object, same-size, same-headers, get-source-bucket, put-target-bucket,
 * head-*) with copy-errors.camel.yaml, on their own in Camel Main, against two real s3proxy stores behind a
 * {@link FaultProxy} each (which records every request): one branch per test, the task planned as a page would.
 */
@Timeout(120)
@CopyServers
abstract class CopyRouteTestSupport extends CamelMainTestSupport {

    static S3Server sourceStore;
    static S3Server targetStore;
    static final AtomicInteger BUCKETS = new AtomicInteger();

    FaultProxy sourceProxy;
    FaultProxy targetProxy;
    String sourceBucket;
    String targetBucket;
    CopyJob job;
    FailureBudget budget;
    S3Client source;
    S3Client target;

    @BeforeAll
    static void stores(@SourceStore S3Server source, @TargetStore S3Server target) {
        sourceStore = source;
        targetStore = target;
    }

    /** copy.check-headers of this class's context. */
    abstract boolean checkHeaders();

    /** The routes loaded (the per-object routes of copy.camel.yaml; the repair tests load repair.camel.yaml's). */
    String routesUnderTest() {
        return "copy-workers,copy-object,copy-attempts,transfer-object,same-size,same-headers,head-*,"
                + "get-source-bucket,put-target-bucket";
    }

    /** The route files read, their error files first. */
    String routeFiles() {
        return "file:routes/copy-errors.camel.yaml,file:routes/copy.camel.yaml";
    }

    /** Settings of the job (CopyOptions) beyond the copy defaults here: the repair tests set copy.mode=repair. */
    void jobOptions(Map<String, String> options) {
    }

    /** copy.dry-run of this class's context. */
    boolean dryRun() {
        return false;
    }

    /** copy.part-size: an object above it is written in parts (S3's smallest part). */
    static final long COPY_PART_SIZE = 5L * 1024 * 1024;

    /** The size above which the repair copies an object in parts (repair.multipart-threshold). */
    static final long REPAIR_MULTIPART_THRESHOLD = 6L * 1024 * 1024;

    /** This test's copy.state-dir (checkpoints, reports), removed after it. */
    private Path state;

    @Override
    protected void doPreSetup() throws Exception {
        int n = BUCKETS.get();
        sourceStore.createBucket(sourceBucket);
        targetStore.createBucket(targetBucket);
        sourceProxy = new FaultProxy(sourceStore.port(), n);
        targetProxy = new FaultProxy(targetStore.port(), n + 1000);
        state = Files.createTempDirectory("copy-route-test");
        Map<String, String> p = new HashMap<>();
        p.put("copy.mode", "copy");
        p.put("copy.state-dir", state.toString());
        p.put("copy.only", "accounts");
        p.put("target.permission", "public-read");
        jobOptions(p);
        budget = new FailureBudget(Duration.ofMinutes(3), Map.of("source", "source", "target", "target"));
        job = new CopyJob(CopyOptions.from(p::get), new MastodonKeys(), null, null, budget);
        source = store("source", sourceStore, sourceBucket, sourceProxy, true);
        target = store("target", targetStore, targetBucket, targetProxy, false);
    }

    private static S3Client store(String side, S3Server s, String bucket, FaultProxy proxy, boolean sdkRetries) {
        return S3Stores.client(new StoreConfig(side, bucket, proxy.endpoint(), "us-east-1", true, s.accessKey,
                s.secretKey, "", "public-read", "", 16), sdkRetries);
    }

    @Override
    protected void doPostTearDown() throws Exception {
        source.close();
        target.close();
        sourceProxy.close();
        targetProxy.close();
        FileUtil.removeDir(state.toFile());
    }

    @Override
    protected void configure(MainConfigurationProperties configuration) {
        configuration.setRoutesIncludePattern(routeFiles());
        // the per-object routes only: no table is paged, no timer runs
        configuration.setRouteFilterIncludePattern(routesUnderTest());
        configuration.setStreamCachingEnabled(false);
    }

    @Override
    protected Properties useOverridePropertiesWithPropertiesComponent() {
        // (called while the test instance is constructed: each test gets its own buckets)
        if (sourceBucket == null) {
            int n = BUCKETS.incrementAndGet();
            sourceBucket = "route-source-" + n;
            targetBucket = "route-target-" + n;
        }
        Properties p = new Properties();
        p.put("source.bucket", sourceBucket);
        p.put("target.bucket", targetBucket);
        p.put("copy.check-headers", Boolean.toString(checkHeaders()));
        p.put("copy.force", "false");
        p.put("copy.dry-run", Boolean.toString(dryRun()));
        p.put("copy.requests-per-second", "1000");
        p.put("copy.object-log-level", "DEBUG");
        p.put("copy.concurrency", "2");
        p.put("copy.retries", "1");
        p.put("copy.retry-delay", "10");
        p.put("copy.part-size", Long.toString(COPY_PART_SIZE));
        p.put("management.enabled", "false");
        p.put("camel.main.routes-reload-enabled", "false");
        p.put("repair.multipart-threshold", Long.toString(REPAIR_MULTIPART_THRESHOLD));
        return p;
    }

    @Override
    protected void bindToRegistry(Registry registry) {
        registry.bind("copyJob", job);
        registry.bind("copyOutcomes", job.parts().outcomes());
        registry.bind("failureBudget", budget);
        registry.bind("retryPolicy", new RetryPolicy());
        registry.bind("recordFailure", (org.apache.camel.Processor) e -> budget.failure(
                e.getProperty("party", String.class), "test"));
        registry.bind("sourceS3", source);
        registry.bind("targetS3", target);
        registry.bind("partedCopy", new PartedCopy(new mastodon.s3sync.store.PartedUpload(target, targetBucket,
                COPY_PART_SIZE, 1, 10, new RetryPolicy()::isRetryable, f -> budget.failure(f.party(), "test"),
                budget::success), source, sourceBucket, null));
        registry.bind("objectRepair", new ObjectRepair(source, sourceBucket, CopyTask::cannedAcl, 5L * 1024 * 1024));
    }

    /** The task a page of one accounts row (a png avatar) plans, with the sizes its listings found. */
    CopyTask task(long id, Long sourceSize, Long targetSize) {
        Map<String, Object> row = new HashMap<>();
        row.put("id", id);
        row.put("avatar_file_name", "a" + id + ".png");
        row.put("avatar_content_type", "image/png");
        List<CopyTask> tasks = job.parts().planner().plan("accounts", 100, List.of(row));
        assertThat(tasks).hasSize(1);
        return tasks.get(0).listed(sourceSize, targetSize);
    }

    /** Sends the tasks through the copy queue as the page routes do; returns when all are done. */
    void copy(CopyTask... tasks) {
        assertThat(context.getRoute("transfer-object")).as("the per-object routes are loaded").isNotNull();
        NotifyBuilder done = new NotifyBuilder(context).fromRoute("copy-workers").whenDone(tasks.length).create();
        for (CopyTask t : tasks) {
            template.sendBody("seda:copy-queue", t);
        }
        assertThat(done.matches(30, TimeUnit.SECONDS)).as("all tasks done").isTrue();
    }

    byte[] putSource(CopyTask t, int size, String contentType) {
        byte[] bytes = MastodonFixture.bytes(t.key(), size);
        try (S3Client s3 = sourceStore.client()) {
            s3.putObject(b -> b.bucket(sourceBucket).key(t.sourceKey()).contentType(contentType),
                    RequestBody.fromBytes(bytes));
        }
        return bytes;
    }

    void putTarget(CopyTask t, byte[] bytes, String contentType, String cacheControl) {
        try (S3Client s3 = targetStore.client()) {
            s3.putObject(b -> b.bucket(targetBucket).key(t.targetKey()).contentType(contentType)
                    .cacheControl(cacheControl), RequestBody.fromBytes(bytes));
        }
    }

    byte[] targetBytes(CopyTask t) {
        try (S3Client s3 = targetStore.client()) {
            return s3.getObjectAsBytes(b -> b.bucket(targetBucket).key(t.targetKey())).asByteArray();
        }
    }

    HeadObjectResponse targetHead(CopyTask t) {
        try (S3Client s3 = targetStore.client()) {
            return s3.headObject(b -> b.bucket(targetBucket).key(t.targetKey()));
        }
    }

    static long requests(FaultProxy proxy, String method) {
        return proxy.seen().stream().filter(s -> s.method().equals(method) && s.onObject()).count();
    }

    TableProgress accounts() {
        return job.tables().get("accounts");
    }
}
