import java.io.InputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;

/**
 * What a TLS record's size costs the JDK: 1 GiB sent over a loopback pair of JDK TLS sockets in writes of 8 KB (what
 * the AWS SDK's Apache client hands its socket) and of 16,367 bytes (one full TLS 1.3 record, what the tool's S3
 * clients hand it since WholeRecordSocket), the sender's and the receiver's thread CPU per GiB, medians of the runs.
 * The receiver stands for the store (s3proxy and most Java stores decrypt with the same JDK code).
 *
 *   java bench/TlsRecords.java [RUNS=5]
 */
public final class TlsRecords {

    private static final long GIB = 1L << 30;

    public static void main(String[] args) throws Exception {
        int runs = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        SSLContext tls = context();
        int[] sizes = {8192, 16_367};
        List<List<Long>> sender = List.of(new ArrayList<>(), new ArrayList<>());
        List<List<Long>> receiver = List.of(new ArrayList<>(), new ArrayList<>());
        for (int run = 0; run <= runs; run++) { // run 0 warms up
            for (int i = 0; i < sizes.length; i++) {
                long[] cpu = send(tls, sizes[i]);
                if (run > 0) {
                    sender.get(i).add(cpu[0]);
                    receiver.get(i).add(cpu[1]);
                }
            }
        }
        System.out.printf("%n| write size | sender CPU ms per GiB | receiver CPU ms per GiB |%n|---|---|---|%n");
        for (int i = 0; i < sizes.length; i++) {
            System.out.printf("| %,d | %d | %d |%n", sizes[i], median(sender.get(i)), median(receiver.get(i)));
        }
        System.out.printf("(%s, %d runs each, %d cores)%n", System.getProperty("java.version"), runs,
                Runtime.getRuntime().availableProcessors());
    }

    /** Sends 1 GiB in writes of {@code size} bytes; the sender's and the receiver's thread CPU in ms. */
    private static long[] send(SSLContext tls, int size) throws Exception {
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        try (SSLServerSocket server = (SSLServerSocket) tls.getServerSocketFactory()
                .createServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            long[] received = new long[1];
            Thread t = new Thread(() -> {
                try (SSLSocket s = (SSLSocket) server.accept()) {
                    InputStream in = s.getInputStream();
                    byte[] b = new byte[65536];
                    long start = mx.getCurrentThreadCpuTime();
                    long got = 0;
                    for (int n; got < GIB && (n = in.read(b)) > 0; ) {
                        got += n;
                    }
                    received[0] = mx.getCurrentThreadCpuTime() - start;
                    s.getOutputStream().write(1);
                    s.getOutputStream().flush();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            t.start();
            try (SSLSocket c = (SSLSocket) tls.getSocketFactory().createSocket("127.0.0.1", server.getLocalPort())) {
                c.startHandshake();
                OutputStream out = c.getOutputStream();
                byte[] b = new byte[size];
                long start = mx.getCurrentThreadCpuTime();
                for (long sent = 0; sent < GIB; sent += size) {
                    out.write(b, 0, (int) Math.min(size, GIB - sent));
                }
                out.flush();
                long spent = mx.getCurrentThreadCpuTime() - start;
                c.getInputStream().read();
                t.join();
                return new long[] {spent / 1_000_000, received[0] / 1_000_000};
            }
        }
    }

    /** A throw-away key pair for 127.0.0.1 (the JDK's keytool), trusted by the client. */
    private static SSLContext context() throws Exception {
        Path dir = Files.createTempDirectory("tls-records");
        Path store = dir.resolve("key.p12");
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-genkeypair", "-alias", "k", "-keyalg", "EC", "-groupname", "secp256r1", "-validity", "1",
                "-dname", "CN=127.0.0.1", "-ext", "SAN=ip:127.0.0.1", "-keystore", store.toString(),
                "-storetype", "PKCS12", "-storepass", "records").inheritIO().start();
        if (p.waitFor() != 0) {
            throw new IllegalStateException("keytool failed");
        }
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(store)) {
            ks.load(in, "records".toCharArray());
        }
        Files.delete(store);
        Files.delete(dir);
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(ks, "records".toCharArray());
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(ks);
        SSLContext tls = SSLContext.getInstance("TLS");
        tls.init(kmf.getKeyManagers(), tmf.getTrustManagers(), null);
        return tls;
    }

    private static long median(List<Long> values) {
        List<Long> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        return sorted.get(sorted.size() / 2);
    }
}
