package mastodon.s3sync.bench;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import mastodon.s3sync.testing.S3Server;
import mastodon.s3sync.testing.SqsServer;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry;

/**
 * bench/mirror-events.sh: ElasticMQ and s3proxy (in memory) on 127.0.0.1, and the mirror command as a child process
 * (the command line after {@code --}, with {@code --config FILE} appended), measured two ways:
 * <ol>
 * <li>throughput: EVENTS objects of SIZE bytes are uploaded and their ObjectCreated:Put notifications (one record per
 * message, as S3 sends them) are queued before the mirror starts; events/s = files that appeared / time from the
 * first file to the last;</li>
 * <li>latency: then, for SECONDS, RATE uploads per second, each followed by its notification; the time from the start
 * of the upload to the file being visible in the mirrored directory (polled every 2 ms), p50 / p99 / max.</li>
 * </ol>
 * Prints one table row. Arguments: WORK_DIR EVENTS SIZE CONSUMERS RATE SECONDS -- COMMAND...
 */
public final class MirrorBench {

    private MirrorBench() {
    }

    public static void main(String[] args) throws Exception {
        Path work = Path.of(args[0]);
        int events = Integer.parseInt(args[1]);
        int size = Integer.parseInt(args[2]);
        int consumers = Integer.parseInt(args[3]);
        int rate = Integer.parseInt(args[4]);
        int seconds = Integer.parseInt(args[5]);
        List<String> command = new ArrayList<>(List.of(args).subList(7, args.length));
        Path dir = Files.createDirectories(work.resolve("mirrored"));
        byte[] body = new byte[size];
        new java.util.Random(1).nextBytes(body);

        try (S3Server s3 = new S3Server("bench-key", "bench-secret", null); SqsServer sqs = new SqsServer();
             S3Client s3c = s3.client();
             SqsClient q = SqsClient.builder().endpointOverride(URI.create(sqs.endpoint())).region(Region.US_EAST_1)
                     .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("x", "x")))
                     .build()) {
            s3.createBucket("media");
            String url = q.createQueue(r -> r.queueName("mirror-bench")
                    .attributes(Map.of(QueueAttributeName.VISIBILITY_TIMEOUT, "60"))).queueUrl();
            ExecutorService pool = Executors.newFixedThreadPool(8);
            List<Future<?>> puts = new ArrayList<>();
            for (int i = 0; i < events; i++) {
                String key = "bench/t/obj-" + i;
                puts.add(pool.submit(() -> s3c.putObject(r -> r.bucket("media").key(key), RequestBody.fromBytes(body))));
            }
            for (Future<?> f : puts) {
                f.get();
            }
            for (int i = 0; i < events; i += 10) {
                List<SendMessageBatchRequestEntry> batch = IntStream.range(i, Math.min(events, i + 10))
                        .mapToObj(n -> SendMessageBatchRequestEntry.builder().id("m" + n)
                                .messageBody(notification("bench/t/obj-" + n, size, n)).build())
                        .toList();
                q.sendMessageBatch(r -> r.queueUrl(url).entries(batch));
            }
            Path config = Files.writeString(work.resolve("mirror.json"),
                    "{\"queue\": \"mirror-bench\", \"bucket\": \"media\", \"sync\": {\"bench/\": \"" + dir + "\"}}");
            command.add("--config");
            command.add(config.toString());
            ProcessBuilder pb = new ProcessBuilder(command).directory(work.toFile())
                    .redirectErrorStream(true).redirectOutput(work.resolve("mirror.log").toFile());
            Map<String, String> env = pb.environment();
            env.put("AWS_ENDPOINT_URL_SQS", sqs.endpoint());
            env.put("AWS_ENDPOINT_URL_S3", s3.endpoint());
            env.put("AWS_ACCESS_KEY_ID", s3.accessKey);
            env.put("AWS_SECRET_ACCESS_KEY", s3.secretKey);
            env.put("AWS_REGION", "us-east-1");
            env.put("MIRROR_CONCURRENT_CONSUMERS", Integer.toString(consumers));
            env.put("MIRROR_WAIT_TIME_SECONDS", "1");
            env.put("MIRROR_STATE_DIR", work.resolve("state").toString());
            env.put("MANAGEMENT_ENABLED", "false");
            Process mirror = pb.start();
            try {
                Path t = dir.resolve("t");
                long first = 0;
                long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(10);
                int seen = 0;
                while (seen < events && System.nanoTime() < deadline && mirror.isAlive()) {
                    seen = count(t);
                    if (seen > 0 && first == 0) {
                        first = System.nanoTime();
                    }
                    Thread.sleep(10);
                }
                long last = System.nanoTime();
                if (seen < events) {
                    throw new IllegalStateException("only " + seen + " of " + events + " files appeared; see "
                            + work.resolve("mirror.log"));
                }
                double perSecond = (events - 1) / ((last - first) / 1e9);
                Duration cpuAfterBurst = mirror.toHandle().info().totalCpuDuration().orElse(Duration.ZERO);

                long[] latencies = latency(s3c, q, url, dir, body, rate, seconds);
                List<Long> sorted = new ArrayList<>();
                for (long l : latencies) {
                    sorted.add(l);
                }
                sorted.sort(null);
                long lost = sorted.stream().filter(l -> l < 0).count();
                List<Long> ok = sorted.stream().filter(l -> l >= 0).toList();
                System.out.printf("%-9d %-7d %-8d %-10.0f %-12.1f %-6d %-8.0f %-8.0f %-8.0f %-5d%n", consumers, events,
                        size / 1000, perSecond, cpuAfterBurst.toMillis() / 1000.0, rate, pct(ok, 50), pct(ok, 99),
                        ok.isEmpty() ? Double.NaN : ok.get(ok.size() - 1) / 1e6, lost);
            } finally {
                mirror.destroy();
                if (!mirror.waitFor(30, TimeUnit.SECONDS)) {
                    mirror.destroyForcibly();
                }
                pool.shutdownNow();
            }
        }
    }

    /** RATE uploads + notifications per second for SECONDS; nanoseconds from upload start to file visible (-1 lost). */
    private static long[] latency(S3Client s3c, SqsClient q, String url, Path dir, byte[] body, int rate, int seconds)
            throws Exception {
        int n = rate * seconds;
        long[] started = new long[n];
        long[] visible = new long[n];
        Map<Integer, Path> pending = new ConcurrentHashMap<>();
        ExecutorService senders = Executors.newFixedThreadPool(16);
        ScheduledExecutorService clock = Executors.newSingleThreadScheduledExecutor();
        long period = 1_000_000_000L / rate;
        long t0 = System.nanoTime() + 100_000_000L;
        for (int i = 0; i < n; i++) {
            int k = i;
            clock.schedule(() -> senders.submit(() -> {
                String key = "bench/l/obj-" + k;
                started[k] = System.nanoTime();
                pending.put(k, dir.resolve("l/obj-" + k));
                s3c.putObject(r -> r.bucket("media").key(key), RequestBody.fromBytes(body));
                q.sendMessage(r -> r.queueUrl(url).messageBody(notification(key, body.length, 1_000_000 + k)));
                return null;
            }), t0 + k * period - System.nanoTime(), TimeUnit.NANOSECONDS);
        }
        long end = t0 + n * period + TimeUnit.SECONDS.toNanos(30);
        int done = 0;
        while (done < n && System.nanoTime() < end) {
            for (Map.Entry<Integer, Path> e : pending.entrySet()) {
                if (Files.exists(e.getValue())) {
                    visible[e.getKey()] = System.nanoTime();
                    pending.remove(e.getKey());
                    done++;
                }
            }
            Thread.sleep(2);
        }
        clock.shutdownNow();
        senders.shutdownNow();
        long[] out = new long[n];
        for (int i = 0; i < n; i++) {
            out[i] = visible[i] == 0 ? -1 : visible[i] - started[i];
        }
        return out;
    }

    private static double pct(List<Long> sorted, int p) {
        if (sorted.isEmpty()) {
            return Double.NaN;
        }
        int i = (int) Math.ceil(p / 100.0 * sorted.size()) - 1;
        return sorted.get(Math.max(0, i)) / 1e6;
    }

    private static int count(Path dir) throws Exception {
        if (!Files.isDirectory(dir)) {
            return 0;
        }
        try (Stream<Path> s = Files.list(dir)) {
            return (int) s.filter(p -> !p.getFileName().toString().startsWith(".")).count();
        }
    }

    private static String notification(String key, int size, int sequence) {
        return "{\"Records\":[{\"eventVersion\":\"2.1\",\"eventSource\":\"aws:s3\",\"awsRegion\":\"us-east-1\","
                + "\"eventTime\":\"2026-11-29T10:00:00.000Z\",\"eventName\":\"ObjectCreated:Put\","
                + "\"s3\":{\"s3SchemaVersion\":\"1.0\",\"bucket\":{\"name\":\"media\"},\"object\":{\"key\":\"" + key
                + "\",\"size\":" + size + ",\"eTag\":\"0123\",\"sequencer\":\"" + String.format("%016X", sequence)
                + "\"}}}]}";
    }
}
