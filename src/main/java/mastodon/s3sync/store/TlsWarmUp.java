package mastodon.s3sync.store;

import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Gets the JVM's AES-GCM code compiled by its optimizing compiler before the first object travels over https.
 *
 * <p>Every https byte passes through AES-GCM, and the JVM computes its GHASH with a CPU instruction (PCLMULQDQ) only in
 * code its optimizing compiler (C2) produced; until then GHASH runs as plain Java, about thirty times slower. In a copy
 * C2 reaches the cipher late: it has one thread on a 2-core machine, shared with sixteen busy copy workers, and a long
 * queue of hotter methods. A JFR recording of a 9,887-object https copy: C2 compiled {@code GCMDecrypt.doFinal} 15 s
 * after the start, and until then GHASH in plain Java was 45 % of the copy workers' samples (22 % of the whole copy's;
 * bench/RESULTS.md, "AES-GCM in plain Java for the first 15 s").
 *
 * <p>This thread seals and opens a few thousand small records the way the JDK's TLS does ({@code Cipher.doFinal} on
 * heap buffers) while Camel starts, so that the cipher's methods are hot, and queued for C2, before anything else is.
 * It costs about 0.15 s of CPU, and the first object over https came no later for it (bench/RESULTS.md, "The
 * warm-up's cost at the start").
 *
 * <p>Alone it was not enough: while Camel starts, C2's queue is long, and C2 raises its thresholds with the length of
 * its queue, so in some runs the warm-up's calls did not get {@code GHASH.update} compiled and GHASH stayed in Java for
 * up to 41 s of a copy (34–41 s in 3 of 7 starts at concurrency 64, 10 s in 1 of 2 at 16). The launcher
 * (bin/mastodon-s3-sync) therefore also lowers C2's thresholds for the JDK's cipher classes alone; with both, C2
 * compiles GHASH 0.6–1.5 s after the start in every run (bench/RESULTS.md, "AES-GCM in Java at concurrency 64").
 */
public final class TlsWarmUp {

    /**
     * Records sealed and opened. GHASH.update, where the intrinsic is, runs four times per record: 12,000 calls, past
     * C2's threshold of 5,000 with margin (1,500 records were not enough in a JVM doing nothing else).
     */
    static final int RECORDS = 3_000;

    /** Small records: the calls make the methods hot, not the bytes. */
    private static final int RECORD = 256;

    private TlsWarmUp() {
    }

    /**
     * Whether the objects these routes move travel over https: an endpoint given as https, or a bucket or mirror with
     * no endpoint (the provider's own, which is https). Not over plain http or between directories, not for a dry
     * run (it prints keys and sends no object), not for recover-subscriptions (SSH and a database only).
     */
    public static boolean wanted(List<String> routeFiles, Map<String, String> props) {
        if (routeFiles.stream().allMatch(f -> f.startsWith("recover"))
                || Boolean.parseBoolean(props.get("copy.dry-run"))) {
            return false;
        }
        for (Map.Entry<String, String> e : props.entrySet()) {
            if (e.getKey().endsWith("endpoint") && e.getValue() != null
                    && e.getValue().strip().toLowerCase(Locale.ROOT).startsWith("https:")) {
                return true;
            }
        }
        for (String side : List.of("source", "target")) {
            if ("bucket".equals(props.get(side + ".kind")) && blank(props.get(side + ".endpoint"))) {
                return true;
            }
        }
        return props.containsKey("mirror.s3-endpoint") && blank(props.get("mirror.s3-endpoint"));
    }

    private static boolean blank(String value) {
        return value == null || value.isBlank();
    }

    /**
     * Starts the warm-up in a daemon thread when the settings speak https ({@link #wanted}), unless
     * -Dmastodon.tls-warm-up=false (to measure without it).
     */
    public static void start(List<String> routeFiles, Map<String, String> props) {
        if (!Boolean.parseBoolean(System.getProperty("mastodon.tls-warm-up", "true")) || !wanted(routeFiles, props)) {
            return;
        }
        Thread t = new Thread(TlsWarmUp::run, "tls-warm-up");
        t.setDaemon(true);
        t.start();
    }

    /** @return the records opened again intact (RECORDS when the cipher works; a failure ends it quietly) */
    static int run() {
        int intact = 0;
        try {
            SecretKeySpec key = new SecretKeySpec(new byte[16], "AES");
            Cipher seal = Cipher.getInstance("AES/GCM/NoPadding");
            Cipher open = Cipher.getInstance("AES/GCM/NoPadding");
            byte[] aad = new byte[13];
            byte[] iv = new byte[12];
            ByteBuffer plain = ByteBuffer.allocate(RECORD);
            ByteBuffer sealed = ByteBuffer.allocate(RECORD + 16);
            ByteBuffer opened = ByteBuffer.allocate(RECORD + 16);
            for (int i = 0; i < RECORDS; i++) {
                // GCM refuses a key and IV pair used before: a new IV for each record, as TLS's sequence numbers give
                iv[0] = (byte) i;
                iv[1] = (byte) (i >>> 8);
                iv[2] = (byte) (i >>> 16);
                GCMParameterSpec spec = new GCMParameterSpec(128, iv);
                seal.init(Cipher.ENCRYPT_MODE, key, spec);
                seal.updateAAD(aad);
                plain.clear();
                sealed.clear();
                seal.doFinal(plain, sealed);
                sealed.flip();
                open.init(Cipher.DECRYPT_MODE, key, spec);
                open.updateAAD(aad);
                opened.clear();
                open.doFinal(sealed, opened);
                if (opened.position() == RECORD) {
                    intact++;
                }
            }
        } catch (GeneralSecurityException | RuntimeException e) {
            // best effort: without it the copy is only slower in its first seconds
        }
        return intact;
    }
}
