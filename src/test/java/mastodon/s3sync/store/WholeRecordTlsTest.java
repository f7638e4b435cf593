package mastodon.s3sync.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * What the S3 clients send over TLS: an upload in records of 16 KB, TLS's largest (bench/RESULTS.md, "TLS records").
 * A TLS server of the test's own counts the records of one PUT; the JDK returns one record's data per read.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class WholeRecordTlsTest {

    private static final int BODY = 200_000;

    @TempDir
    static Path dir;

    private static SSLContext serverTls;
    private static final String[] TRUST = {"javax.net.ssl.trustStore", "javax.net.ssl.trustStorePassword",
            "javax.net.ssl.trustStoreType"};
    private static final String[] saved = new String[TRUST.length];

    /** A key pair for 127.0.0.1 (the JDK's keytool), served by the test's server and trusted by the clients. */
    @BeforeAll
    static void keys() throws Exception {
        Path store = dir.resolve("server.p12");
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-genkeypair", "-alias", "s3", "-keyalg", "EC", "-groupname", "secp256r1", "-validity", "2",
                "-dname", "CN=127.0.0.1", "-ext", "SAN=ip:127.0.0.1", "-keystore", store.toString(),
                "-storetype", "PKCS12", "-storepass", "testpass").redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor()).as(out).isZero();
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(store)) {
            ks.load(in, "testpass".toCharArray());
        }
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(ks, "testpass".toCharArray());
        serverTls = SSLContext.getInstance("TLS");
        serverTls.init(kmf.getKeyManagers(), null, null);
        // the clients trust what the JVM's trust store holds, as they do for a user: that store is this one here
        String[] values = {store.toString(), "testpass", "PKCS12"};
        for (int i = 0; i < TRUST.length; i++) {
            saved[i] = System.getProperty(TRUST[i]);
            System.setProperty(TRUST[i], values[i]);
        }
    }

    @AfterAll
    static void restore() {
        for (int i = 0; i < TRUST.length; i++) {
            if (saved[i] == null) {
                System.clearProperty(TRUST[i]);
            } else {
                System.setProperty(TRUST[i], saved[i]);
            }
        }
    }

    @Test
    void anUploadGoesInFullRecords() throws Exception {
        List<Integer> records = recordsOfOnePut(port -> S3Stores.client(new StoreConfig("target", "bkt",
                "https://127.0.0.1:" + port, "us-east-1", true, "key", "secret", "", "public-read", "", 4), false));

        int body = records.stream().mapToInt(Integer::intValue).sum();
        assertThat(body).isGreaterThan(BODY);
        // the request's head, then 200,000 bytes in 13 records (12 full ones); the Apache client's 8 KB writes made 26
        assertThat(records).hasSizeLessThanOrEqualTo(body / WholeRecordSocket.RECORD + 2);
        assertThat(records).allSatisfy(r -> assertThat(r).isLessThanOrEqualTo(WholeRecordSocket.RECORD));
    }

    @Test
    void bytesGoOnAFullRecordAtATimeAndTheRestWhenFlushed() throws Exception {
        List<Integer> writes = new ArrayList<>();
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        OutputStream under = new OutputStream() {
            @Override
            public void write(int b) {
                writes.add(1);
                all.write(b);
            }

            @Override
            public void write(byte[] b, int off, int len) {
                writes.add(len);
                all.write(b, off, len);
            }
        };
        byte[] data = new byte[3 * WholeRecordSocket.RECORD + 100];
        new java.util.Random(7).nextBytes(data);
        OutputStream out = new WholeRecordSocket.Records(under);
        out.write(data[0]);
        out.write(data, 1, 8191);
        out.write(data, 8192, data.length - 8192 - 50);
        assertThat(writes).as("only full records before a flush").containsExactly(WholeRecordSocket.RECORD,
                WholeRecordSocket.RECORD, WholeRecordSocket.RECORD);
        out.write(data, data.length - 50, 50);
        out.flush();
        out.flush();
        assertThat(writes).as("the rest at the flush, nothing more at a second").endsWith(WholeRecordSocket.RECORD, 100);
        assertThat(all.toByteArray()).isEqualTo(data);
    }

    /** The plaintext size of each TLS record the server received for one PUT of BODY bytes from the client. */
    private static List<Integer> recordsOfOnePut(java.util.function.IntFunction<S3Client> client) throws Exception {
        try (SSLServerSocket server = (SSLServerSocket) serverTls.getServerSocketFactory()
                .createServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            CompletableFuture<List<Integer>> seen = CompletableFuture.supplyAsync(() -> serveOnePut(server));
            try (S3Client s3 = client.apply(server.getLocalPort())) {
                s3.putObject(b -> b.bucket("bkt").key("k"), RequestBody.fromBytes(new byte[BODY]));
            }
            return seen.get(30, TimeUnit.SECONDS);
        }
    }

    private static List<Integer> serveOnePut(SSLServerSocket server) {
        List<Integer> reads = new ArrayList<>();
        try (SSLSocket s = (SSLSocket) server.accept()) {
            InputStream in = s.getInputStream();
            ByteArrayOutputStream got = new ByteArrayOutputStream();
            byte[] buf = new byte[65536];
            int headEnd = -1;
            long want = Long.MAX_VALUE;
            while (got.size() < want) {
                int n = in.read(buf);
                if (n < 0) {
                    break;
                }
                reads.add(n);
                got.write(buf, 0, n);
                if (headEnd < 0) {
                    String text = got.toString(StandardCharsets.ISO_8859_1);
                    headEnd = text.indexOf("\r\n\r\n");
                    if (headEnd >= 0) {
                        String length = text.substring(0, headEnd).lines()
                                .filter(l -> l.toLowerCase().startsWith("content-length:")).findFirst().orElseThrow();
                        want = headEnd + 4 + Long.parseLong(length.substring(length.indexOf(':') + 1).strip());
                    }
                }
            }
            OutputStream out = s.getOutputStream();
            out.write("HTTP/1.1 200 OK\r\nETag: \"x\"\r\nContent-Length: 0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            return reads;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
