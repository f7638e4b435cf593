package mastodon.s3sync.bench;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLServerSocketFactory;

import mastodon.s3sync.copy.CopyTask;
import mastodon.s3sync.testing.FaultProxy;
import mastodon.s3sync.testing.MastodonFixture;
import mastodon.s3sync.testing.PostgresServer;
import mastodon.s3sync.testing.S3Server;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Servers for the scripts under bench/: a PostgreSQL seeded with a synthetic Mastodon (rows in a real Mastodon
 * schema) and two s3proxy endpoints backed by directories, the source filled with the rows' objects. Writes the
 * settings to ENV_FILE (shell syntax), the source's keys to DATA_DIR/keys.txt, and, every 200 ms, the requests each
 * store has answered so far to DATA_DIR/requests ("SOURCE TARGET"); the time the first object of each target bucket
 * was written goes to DATA_DIR/first-write-BUCKET (epoch ms). Serves until killed.
 *
 * <p>Arguments: ENV_FILE DATA_DIR then options:
 * <ul>
 * <li>{@code --mix SCALE}: about 20,000 x SCALE objects, Mastodon-like sizes (seeded by key): 97% of 20-200 KB,
 * 2.9% of 1-5 MB, 0.1% of 30-100 MB</li>
 * <li>{@code --fixed ROWS_PER_TABLE SIZE}: every object SIZE bytes</li>
 * <li>{@code --big COUNT SIZE}: COUNT media rows whose originals have SIZE bytes (their other versions 1 KB); the
 * other tables' rows have no objects (copy them with --only media_attachments)</li>
 * <li>{@code --rows-only ROWS}: ROWS rows in all (a quarter per table) and no objects (for a dry run)</li>
 * <li>{@code --tls KEYSTORE PASSWORD}: both stores serve https with that key store</li>
 * <li>{@code --latency MS}: a proxy in front of each store holds every request MS before passing it on (the test
 * FaultProxy), as a distant provider would; with {@code --tls} the proxies speak TLS to the clients and plain HTTP to
 * the stores behind them</li>
 * </ul>
 * Requests are counted as the store operations s3proxy performs for them (GET, PUT, HEAD, list, each multipart
 * step), which is one per S3 request.
 */
public final class BenchServers {

    /** Objects per scale unit of --mix (before rounding to whole rows). */
    static final int MIX_OBJECTS = 20_000;
    /** Keys the fixture writes per row index (measured: its four tables, all styles). */
    static final double KEYS_PER_INDEX = 6.6;

    private BenchServers() {
    }

    public static void main(String[] args) throws Exception {
        Path envFile = Path.of(args[0]);
        Path data = Path.of(args[1]);
        String mode = null;
        double scale = 1;
        int rows = 0;
        long size = 0;
        int count = 0;
        Path keyStore = null;
        String password = null;
        long latency = 0;
        for (int i = 2; i < args.length; i++) {
            switch (args[i]) {
                case "--mix" -> {
                    mode = "mix";
                    scale = Double.parseDouble(args[++i]);
                }
                case "--fixed" -> {
                    mode = "fixed";
                    rows = Integer.parseInt(args[++i]);
                    size = Long.parseLong(args[++i]);
                }
                case "--big" -> {
                    mode = "big";
                    count = Integer.parseInt(args[++i]);
                    size = Long.parseLong(args[++i]);
                }
                case "--rows-only" -> {
                    mode = "rows";
                    rows = Integer.parseInt(args[++i]);
                }
                case "--tls" -> {
                    keyStore = Path.of(args[++i]);
                    password = args[++i];
                }
                case "--latency" -> latency = Long.parseLong(args[++i]);
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        if (mode == null) {
            throw new IllegalArgumentException("one of --mix, --fixed, --big, --rows-only is needed");
        }
        // with latency over https the proxies speak TLS to the clients and plain HTTP to the stores behind them
        SSLServerSocketFactory proxyTls = null;
        if (latency > 0 && keyStore != null) {
            proxyTls = serverTls(keyStore, password);
            keyStore = null;
        }
        Files.createDirectories(data.resolve("source"));
        Files.createDirectories(data.resolve("target"));
        AtomicLong sourceRequests = new AtomicLong();
        AtomicLong targetRequests = new AtomicLong();
        PostgresServer pg = new PostgresServer();
        S3Server source = new S3Server("bench-source-key", "bench-source-secret", data.resolve("source"),
                s -> new RequestCountingStore(s, sourceRequests, null), keyStore, password);
        S3Server target = new S3Server("bench-target-key", "bench-target-secret", data.resolve("target"),
                s -> new RequestCountingStore(s, targetRequests, data), keyStore, password);
        pg.createDatabase("mastodon_bench");
        source.createBucket("source");
        for (String b : new String[] {"target-camel", "target-rclone", "target-sdk"}) {
            target.createBucket(b);
        }
        MastodonFixture fixture = new MastodonFixture(pg.dataSource("mastodon_bench"));
        fixture.createSchema();
        List<String> keys = new ArrayList<>();
        AtomicLong bytes = new AtomicLong();
        String how = mode;
        long each = size;
        try (S3Client s3 = source.client()) {
            ExecutorService uploads = Executors.newFixedThreadPool(4);
            List<Future<?>> pending = new ArrayList<>();
            switch (mode) {
                case "rows" -> fixture.generateRows(Math.max(1, rows / 4), 1, 3, row -> { });
                case "big" -> {
                    int[] left = {count};
                    fixture.generateRows(count, (int) Math.min(size, Integer.MAX_VALUE), 3, row -> {
                        if (left[0] > 0 && row.get(0).table().equals("media_attachments")) {
                            left[0]--;
                            for (CopyTask t : row) { // the original, big; its smaller versions, 1 KB
                                long n = t == row.get(0) ? each : 1000;
                                keys.add(t.key());
                                bytes.addAndGet(n);
                                pending.add(uploads.submit(() -> put(s3, t.key(), n)));
                            }
                        }
                    });
                }
                default -> {
                    int rowsPerTable = how.equals("mix")
                            ? (int) Math.max(1, Math.round(MIX_OBJECTS * scale / KEYS_PER_INDEX)) : rows;
                    fixture.generateRows(rowsPerTable, 100_000, 3, row -> {
                        for (CopyTask t : row) {
                            long n = how.equals("mix") ? mixSize(t.key()) : each;
                            keys.add(t.key());
                            bytes.addAndGet(n);
                            pending.add(uploads.submit(() -> put(s3, t.key(), n)));
                        }
                    });
                }
            }
            for (Future<?> f : pending) {
                f.get();
            }
            uploads.shutdown();
        }
        String sourceEndpoint = source.endpoint();
        String targetEndpoint = target.endpoint();
        if (latency > 0) {
            for (int i = 0; i < 2; i++) {
                S3Server store = i == 0 ? source : target;
                FaultProxy proxy = new FaultProxy(store.port(), 1, proxyTls).rate(FaultProxy.Fault.LATENCY, 1.0);
                proxy.latencyMillis = latency;
                if (i == 0) {
                    sourceEndpoint = proxy.endpoint();
                } else {
                    targetEndpoint = proxy.endpoint();
                }
            }
        }
        Files.write(data.resolve("keys.txt"), keys);
        String env = String.join("\n",
                "export DB_HOST=" + pg.host(), "export DB_PORT=" + pg.port(), "export DB_NAME=mastodon_bench",
                "export DB_USER=" + pg.user(), "export DB_SSLMODE=disable",
                "export S3_BUCKET=source", "export S3_ENDPOINT=" + sourceEndpoint,
                "export AWS_ACCESS_KEY_ID=" + source.accessKey, "export AWS_SECRET_ACCESS_KEY=" + source.secretKey,
                "export TARGET_S3_ENDPOINT=" + targetEndpoint,
                "export TARGET_AWS_ACCESS_KEY_ID=" + target.accessKey,
                "export TARGET_AWS_SECRET_ACCESS_KEY=" + target.secretKey,
                "export BENCH_OBJECTS=" + keys.size(),
                "export BENCH_BYTES=" + bytes.get(), "");
        Path tmp = envFile.resolveSibling(envFile.getFileName() + ".tmp");
        Files.writeString(tmp, env);
        Files.move(tmp, envFile);
        System.out.println("bench servers ready: " + keys.size() + " objects, " + bytes.get() + " bytes");
        Path counts = data.resolve("requests");
        Path countsTmp = data.resolve("requests.tmp");
        while (true) {
            Files.writeString(countsTmp, sourceRequests.get() + " " + targetRequests.get() + "\n");
            Files.move(countsTmp, counts, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            Thread.sleep(200);
        }
    }

    /** The server side of TLS with this PKCS12 key store (the one the https stores would use). */
    private static SSLServerSocketFactory serverTls(Path keyStore, String password) throws Exception {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (var in = Files.newInputStream(keyStore)) {
            ks.load(in, password.toCharArray());
        }
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(ks, password.toCharArray());
        SSLContext tls = SSLContext.getInstance("TLS");
        tls.init(kmf.getKeyManagers(), null, null);
        return tls.getServerSocketFactory();
    }

    /** The size of one object of the Mastodon-like mix, fixed by its key. */
    static long mixSize(String key) {
        Random r = new Random(key.hashCode() * 31L + 7);
        double p = r.nextDouble();
        if (p < 0.001) {
            return 30_000_000L + r.nextInt(70_000_001);
        }
        if (p < 0.03) {
            return 1_000_000L + r.nextInt(4_000_001);
        }
        return 20_000L + r.nextInt(180_001);
    }

    /** One object of n pseudo-random bytes (a repeated block, shifted by the key), streamed. */
    private static void put(S3Client s3, String key, long n) {
        byte[] block = new byte[1 << 20];
        new Random(key.hashCode()).nextBytes(block);
        s3.putObject(r -> r.bucket("source").key(key).contentType("binary/octet-stream"),
                RequestBody.fromContentProvider(() -> new InputStream() {
                    long left = n;
                    int at;

                    @Override
                    public int read() {
                        if (left == 0) {
                            return -1;
                        }
                        left--;
                        int b = block[at] & 0xff;
                        at = (at + 1) % block.length;
                        return b;
                    }

                    @Override
                    public int read(byte[] buf, int off, int len) {
                        if (left == 0) {
                            return -1;
                        }
                        int k = (int) Math.min(Math.min(len, left), block.length - at);
                        System.arraycopy(block, at, buf, off, k);
                        at = (at + k) % block.length;
                        left -= k;
                        return k;
                    }
                }, n, "binary/octet-stream"));
    }
}
