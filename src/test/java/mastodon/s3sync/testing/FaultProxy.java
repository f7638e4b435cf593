package mastodon.s3sync.testing;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLServerSocketFactory;

/**
 * An HTTP/1.1 proxy on 127.0.0.1 in front of one S3 endpoint that injects the faults real stores produce, at
 * configurable rates, with a seeded {@link Random}: 503 SlowDown, 500 InternalError, a connection reset in the middle of
 * a body, a response body cut short under its full Content-Length (closed cleanly), and latency. The tool is pointed
 * at {@link #endpoint()}; requests go upstream byte for byte (the Host header stays what the client signed), so SigV4
 * signatures hold. Only {@code Expect} and {@code Connection} are changed (neither is signed): the proxy answers
 * {@code 100 Continue} itself and uses one upstream connection per request.
 * <p>
 * Every request is recorded ({@link #seen()}) with its method, key, status and the fault injected, and every injected
 * fault is counted ({@link #injected(Fault)}), so a test can check that retries stay bounded. {@link #down(Down)}
 * takes the store down at runtime (refuse connections, or 503 to everything) and {@link #up()} brings it back.
 */
public final class FaultProxy implements AutoCloseable {

    /** The faults this proxy injects. */
    public enum Fault {
        /** answers 503 SlowDown without asking the store */
        SLOW_DOWN,
        /** answers 500 InternalError without asking the store */
        INTERNAL_ERROR,
        /** resets the connection in the middle of the request body (uploads) or of the response body */
        RESET_MID_BODY,
        /**
         * sends the response head with its full Content-Length (or its first chunk, for a chunked answer), then part
         * of the body, then closes cleanly (FIN)
         */
        TRUNCATED_BODY,
        /** waits {@link #latencyMillis} before the request goes to the store */
        LATENCY
    }

    /** How a store that is down behaves. */
    public enum Down {
        /** connections are accepted and reset at once (as a refused or dead endpoint) */
        REFUSE,
        /** every request is answered 503 SlowDown */
        SLOW_DOWN
    }

    /** One request as the proxy saw it: status is the store's answer, or the injected one; -1 when none was sent. */
    public record Seen(String method, String key, String query, int status, Fault fault, long requestBytes) {
        /** A request on one object (not on the bucket). */
        public boolean onObject() {
            return !key.isEmpty();
        }

        /** A write that made an object exist: a successful PUT (not a part) or a successful multipart completion. */
        public boolean completedWrite() {
            if (status != 200 || fault != null && fault != Fault.LATENCY) {
                return false;
            }
            boolean part = query.contains("partNumber=");
            return method.equals("PUT") && !part && !query.contains("uploadId=")
                    || method.equals("POST") && query.contains("uploadId=");
        }
    }

    private final ServerSocket server;
    private final int upstreamPort;
    private final ExecutorService threads = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "fault-proxy");
        t.setDaemon(true);
        return t;
    });
    private final Random random;
    private final Map<Fault, Double> rates = new EnumMap<>(Fault.class);
    private final Map<Fault, AtomicInteger> injected = new EnumMap<>(Fault.class);
    private final ConcurrentLinkedQueue<Seen> seen = new ConcurrentLinkedQueue<>();
    private final ConcurrentLinkedQueue<Request> started = new ConcurrentLinkedQueue<>();
    private final List<Socket> open = new ArrayList<>();

    /** Which requests faults may hit (all by default). */
    private volatile Predicate<Request> eligible = r -> true;
    /** The delay of {@link Fault#LATENCY}. */
    public volatile long latencyMillis = 200;
    /** Where a cut body stops, as a fraction of its length. */
    public volatile double cutAt = 0.5;
    private volatile Down down;

    /** A request head as the fault decision sees it. */
    public record Request(String method, String key, String query, long contentLength) {
    }

    public FaultProxy(int upstreamPort, long seed) throws IOException {
        this(upstreamPort, seed, null);
    }

    /**
     * A proxy whose clients speak TLS to it (with this server socket factory: the key store of a real-looking https
     * endpoint) while it speaks plain HTTP to the store: clients behave as against a real https provider (no payload
     * signing, TLS on every connection), with the faults and latency added here. Null: plain HTTP on both sides.
     */
    public FaultProxy(int upstreamPort, long seed, SSLServerSocketFactory tls) throws IOException {
        this.upstreamPort = upstreamPort;
        this.random = new Random(seed);
        for (Fault f : Fault.values()) {
            rates.put(f, 0.0);
            injected.put(f, new AtomicInteger());
        }
        server = tls != null ? tls.createServerSocket(0, 100, InetAddress.getLoopbackAddress())
                : new ServerSocket(0, 100, InetAddress.getLoopbackAddress());
        threads.execute(this::accept);
    }

    public String endpoint() {
        return (server instanceof SSLServerSocket ? "https" : "http") + "://127.0.0.1:"
                + server.getLocalPort();
    }

    /** Injects {@code fault} into this share (0..1) of the eligible requests; the shares of all faults add up. */
    public synchronized FaultProxy rate(Fault fault, double share) {
        rates.put(fault, share);
        return this;
    }

    /** Limits the faults to the requests this predicate accepts (the others always pass untouched). */
    public FaultProxy only(Predicate<Request> which) {
        this.eligible = which;
        return this;
    }

    /** Stops injecting faults (the store may still be down). */
    public synchronized void clearFaults() {
        rates.replaceAll((f, r) -> 0.0);
    }

    /** Takes the store down: new and kept-alive connections are refused or answered 503. */
    public void down(Down how) {
        this.down = how;
        if (how == Down.REFUSE) {
            synchronized (open) {
                for (Socket s : open) {
                    reset(s);
                }
            }
        }
    }

    public void up() {
        this.down = null;
    }

    public int injected(Fault fault) {
        return injected.get(fault).get();
    }

    public int injectedTotal() {
        return injected.values().stream().mapToInt(AtomicInteger::get).sum();
    }

    /** The requests answered (or cut), in the order they ended. */
    public List<Seen> seen() {
        return List.copyOf(seen);
    }

    /** The requests whose head arrived, in order (those in progress too). */
    public List<Request> started() {
        return List.copyOf(started);
    }

    private void accept() {
        while (!server.isClosed()) {
            try {
                Socket client = server.accept();
                client.setTcpNoDelay(true); // no Nagle delay between a head and its body
                if (down == Down.REFUSE) {
                    reset(client);
                    continue;
                }
                synchronized (open) {
                    open.add(client);
                }
                threads.execute(() -> serve(client));
            } catch (IOException e) {
                return;
            }
        }
    }

    private synchronized Fault draw(Request r) {
        if (!eligible.test(r)) {
            return null;
        }
        double x = random.nextDouble();
        for (Map.Entry<Fault, Double> e : rates.entrySet()) {
            x -= e.getValue();
            if (x < 0) {
                return e.getKey();
            }
        }
        return null;
    }

    /** Serves one client connection: request after request (keep-alive) until either side closes. */
    private void serve(Socket client) {
        try (client) {
            InputStream in = new BufferedInputStream(client.getInputStream(), 65536);
            OutputStream out = client.getOutputStream();
            while (true) {
                Head req = Head.read(in);
                if (req == null) {
                    return;
                }
                if (!exchange(req, in, out, client)) {
                    return;
                }
            }
        } catch (IOException e) {
            // a side closed or reset the connection
        } finally {
            synchronized (open) {
                open.remove(client);
            }
        }
    }

    /** @return false when the client connection must close */
    private boolean exchange(Head req, InputStream in, OutputStream out, Socket client) throws IOException {
        String[] line = req.first.split(" ", 3);
        String method = line[0];
        String target = line.length > 1 ? line[1] : "/";
        int q = target.indexOf('?');
        String path = q < 0 ? target : target.substring(0, q);
        String query = q < 0 ? "" : target.substring(q + 1);
        String key = keyOf(path);
        long length = req.contentLength();
        boolean chunked = req.chunked();
        boolean expect = "100-continue".equalsIgnoreCase(req.header("Expect"));

        started.add(new Request(method, key, query, chunked ? -1 : length));
        Down d = down;
        if (d == Down.REFUSE) {
            seen.add(new Seen(method, key, query, -1, null, 0));
            reset(client);
            return false;
        }
        Fault fault = d == Down.SLOW_DOWN ? Fault.SLOW_DOWN
                : draw(new Request(method, key, query, chunked ? -1 : length));
        if (fault == Fault.SLOW_DOWN || fault == Fault.INTERNAL_ERROR) {
            if (d == null) {
                injected.get(fault).incrementAndGet();
            }
            if (!expect) {
                Body.copy(in, OutputStream.nullOutputStream(), length, chunked, -1); // read what the client sends
            }
            int status = fault == Fault.SLOW_DOWN ? 503 : 500;
            String code = fault == Fault.SLOW_DOWN ? "SlowDown" : "InternalError";
            String body = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>" + code + "</Code><Message>"
                    + (status == 503 ? "Please reduce your request rate." : "We encountered an internal error.")
                    + "</Message><Resource>" + path + "</Resource></Error>";
            byte[] b = body.getBytes(StandardCharsets.UTF_8);
            out.write(("HTTP/1.1 " + status + " " + (status == 503 ? "Service Unavailable" : "Internal Server Error")
                    + "\r\nContent-Type: application/xml\r\nContent-Length: " + b.length
                    + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
            out.write(b);
            out.flush();
            seen.add(new Seen(method, key, query, status, fault, 0));
            return false;
        }
        if (fault == Fault.LATENCY) {
            injected.get(fault).incrementAndGet();
            sleep(latencyMillis);
        }
        boolean requestBody = chunked || length > 0;
        // a cut or a reset hits the body that exists: the upload's, else the download's (when it has a length)
        if (fault == Fault.TRUNCATED_BODY && requestBody) {
            fault = null; // truncating an upload is the reset below; this fault is about downloads
        }

        try (Socket upstream = new Socket(InetAddress.getLoopbackAddress(), upstreamPort)) {
            upstream.setTcpNoDelay(true);
            OutputStream up = upstream.getOutputStream();
            InputStream fromStore = new BufferedInputStream(upstream.getInputStream(), 65536);
            StringBuilder head = new StringBuilder(req.first).append("\r\n");
            for (String[] h : req.headers) {
                if (!h[0].equalsIgnoreCase("Expect") && !h[0].equalsIgnoreCase("Connection")) {
                    head.append(h[0]).append(": ").append(h[1]).append("\r\n");
                }
            }
            head.append("Connection: close\r\n\r\n");
            up.write(head.toString().getBytes(StandardCharsets.ISO_8859_1));
            if (expect) {
                out.write("HTTP/1.1 100 Continue\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
                out.flush();
            }
            long sent;
            if (fault == Fault.RESET_MID_BODY && requestBody) {
                long cut = chunked ? 1 : Math.max(1, (long) (length * cutAt));
                Body.copy(in, up, length, chunked, cut);
                up.flush();
                injected.get(fault).incrementAndGet();
                seen.add(new Seen(method, key, query, -1, fault, cut));
                reset(upstream);
                reset(client);
                return false;
            }
            sent = Body.copy(in, up, length, chunked, -1);
            up.flush();

            Head resp;
            do {
                resp = Head.read(fromStore);
                if (resp == null) {
                    throw new IOException("the store closed the connection without an answer");
                }
            } while (resp.first.split(" ")[1].startsWith("1"));
            int status = Integer.parseInt(resp.first.split(" ")[1]);
            boolean noBody = method.equals("HEAD") || status == 204 || status == 304;
            long respLength = noBody ? 0 : resp.contentLength();
            boolean respChunked = !noBody && resp.chunked();
            String addLength = null;
            if (!noBody && !respChunked && respLength < 0) {
                // an answer that ends when the store closes (it was asked to): small XML, sent on with its length,
                // so the client keeps its connection and the body can be cut
                byte[] body = fromStore.readAllBytes();
                respLength = body.length;
                addLength = Long.toString(respLength);
                fromStore = new java.io.ByteArrayInputStream(body);
            }
            boolean cuttable = !noBody && (respChunked || respLength > 0);
            if ((fault == Fault.RESET_MID_BODY || fault == Fault.TRUNCATED_BODY) && !cuttable) {
                fault = null; // nothing to cut (e.g. an empty answer): not injected
            }
            StringBuilder back = new StringBuilder(resp.first).append("\r\n");
            for (String[] h : resp.headers) {
                if (!h[0].equalsIgnoreCase("Connection")) {
                    back.append(h[0]).append(": ").append(h[1]).append("\r\n");
                }
            }
            if (addLength != null) {
                back.append("Content-Length: ").append(addLength).append("\r\n");
            }
            back.append("\r\n");
            try {
                out.write(back.toString().getBytes(StandardCharsets.ISO_8859_1));
            } catch (IOException clientGone) {
                // the store has answered (a write is done there), but the client is gone (a killed run): what the
                // store did is recorded all the same
                seen.add(new Seen(method, key, query, status, null, sent));
                throw clientGone;
            }
            if (fault == Fault.RESET_MID_BODY || fault == Fault.TRUNCATED_BODY) {
                if (respChunked) {
                    if (!Body.cutChunked(fromStore, out, cutAt)) {
                        out.flush(); // an empty body: nothing to cut, not injected
                        seen.add(new Seen(method, key, query, status, null, sent));
                        return false;
                    }
                } else {
                    long cut = Math.max(1, Math.min(respLength - 1, (long) (respLength * cutAt)));
                    Body.copy(fromStore, out, respLength, false, cut);
                }
                out.flush();
                injected.get(fault).incrementAndGet();
                seen.add(new Seen(method, key, query, status, fault, sent));
                if (fault == Fault.RESET_MID_BODY) {
                    reset(client);
                } else {
                    client.shutdownOutput(); // a clean end of stream, short of the announced length
                }
                return false;
            }
            try {
                if (!noBody) {
                    Body.copy(fromStore, out, respLength, respChunked, -1);
                }
                out.flush();
            } finally {
                // recorded whether or not the client is still there to read the answer (see above)
                seen.add(new Seen(method, key, query, status, fault, sent));
            }
            return true;
        }
    }

    /** The object key of a path-style request ({@code /bucket/key}), decoded; empty for bucket requests. */
    private static String keyOf(String path) {
        int slash = path.indexOf('/', 1);
        if (slash < 0 || slash == path.length() - 1) {
            return "";
        }
        return URLDecoder.decode(path.substring(slash + 1).replace("+", "%2B"), StandardCharsets.UTF_8);
    }

    private static void reset(Socket s) {
        try {
            s.setSoLinger(true, 0);
            s.close();
        } catch (IOException e) {
            // closed already
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
        synchronized (open) {
            for (Socket s : open) {
                reset(s);
            }
        }
        threads.shutdownNow();
    }

    /** A request or response head: the first line and the header fields, in order. */
    private record Head(String first, List<String[]> headers) {

        static Head read(InputStream in) throws IOException {
            String first = line(in);
            while (first != null && first.isEmpty()) {
                first = line(in);
            }
            if (first == null) {
                return null;
            }
            List<String[]> headers = new ArrayList<>();
            for (String l = line(in); l != null && !l.isEmpty(); l = line(in)) {
                int colon = l.indexOf(':');
                headers.add(new String[] {l.substring(0, colon).trim(), l.substring(colon + 1).trim()});
            }
            return new Head(first, headers);
        }

        String header(String name) {
            for (String[] h : headers) {
                if (h[0].equalsIgnoreCase(name)) {
                    return h[1];
                }
            }
            return null;
        }

        long contentLength() {
            String v = header("Content-Length");
            return v == null ? -1 : Long.parseLong(v.trim());
        }

        boolean chunked() {
            String v = header("Transfer-Encoding");
            return v != null && v.toLowerCase(Locale.ROOT).contains("chunked");
        }

        private static String line(InputStream in) throws IOException {
            ByteArrayOutputStream b = new ByteArrayOutputStream();
            int c;
            while ((c = in.read()) != -1) {
                if (c == '\n') {
                    byte[] bytes = b.toByteArray();
                    int n = bytes.length > 0 && bytes[bytes.length - 1] == '\r' ? bytes.length - 1 : bytes.length;
                    return new String(bytes, 0, n, StandardCharsets.ISO_8859_1);
                }
                b.write(c);
            }
            return b.size() == 0 ? null : b.toString(StandardCharsets.ISO_8859_1);
        }
    }

    /** Copies one message body, framed by its Content-Length or by chunks. */
    private static final class Body {

        /**
         * @param stopAfter stop after this many bytes (a cut), or -1 for the whole body
         * @return the bytes copied (payload bytes for a length, wire bytes for chunks)
         */
        static long copy(InputStream in, OutputStream out, long length, boolean chunked, long stopAfter)
                throws IOException {
            if (chunked) {
                return copyChunked(in, out, stopAfter);
            }
            if (length <= 0) {
                return 0;
            }
            long want = stopAfter >= 0 ? Math.min(stopAfter, length) : length;
            byte[] buf = new byte[65536];
            long done = 0;
            while (done < want) {
                int n = in.read(buf, 0, (int) Math.min(buf.length, want - done));
                if (n < 0) {
                    throw new IOException("body ended after " + done + " of " + length + " bytes");
                }
                out.write(buf, 0, n);
                done += n;
            }
            return done;
        }

        /**
         * Copies the first chunk's size line and that share of its data, then stops.
         *
         * @return false when the body was empty (copied whole: nothing to cut)
         */
        static boolean cutChunked(InputStream in, OutputStream out, double at) throws IOException {
            String size = Head.line(in);
            if (size == null) {
                throw new IOException("chunked body ended early");
            }
            out.write((size + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
            int semi = size.indexOf(';');
            long n = Long.parseLong((semi < 0 ? size : size.substring(0, semi)).trim(), 16);
            if (n == 0) {
                for (String t = Head.line(in); t != null; t = Head.line(in)) {
                    out.write((t + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
                    if (t.isEmpty()) {
                        break;
                    }
                }
                return false;
            }
            copy(in, out, n, false, Math.min(n - 1, (long) (n * at)));
            return true;
        }

        private static long copyChunked(InputStream in, OutputStream out, long stopAfter) throws IOException {
            long wire = 0;
            while (true) {
                String size = Head.line(in);
                if (size == null) {
                    throw new IOException("chunked body ended early");
                }
                byte[] sl = (size + "\r\n").getBytes(StandardCharsets.ISO_8859_1);
                out.write(sl);
                wire += sl.length;
                if (stopAfter >= 0 && wire >= stopAfter) {
                    return wire;
                }
                int semi = size.indexOf(';');
                long n = Long.parseLong((semi < 0 ? size : size.substring(0, semi)).trim(), 16);
                if (n == 0) {
                    for (String t = Head.line(in); t != null; t = Head.line(in)) {
                        out.write((t + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
                        if (t.isEmpty()) {
                            break;
                        }
                    }
                    return wire;
                }
                wire += copy(in, out, n + 2, false, -1); // the chunk and its CRLF
            }
        }
    }
}
