package dev.batchetl.fetch;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * A real HTTP/1.1 server on 127.0.0.1 (ephemeral port) for tests, scripted per path.
 *
 * <pre>{@code
 * try (TestHttpServer server = TestHttpServer.start()) {
 *     server.serve("/data.csv", bytes);                 // 200 with Content-Length (GET and HEAD)
 *     server.status("/missing.csv", 404);               // always 404
 *     server.flaky("/flaky.csv", bytes, 1, 500);        // one 500, then 200
 *     server.truncate("/cut.csv", bytes, 1000);         // announces bytes.length, sends 1000, closes
 *     server.retryAfter("/busy.csv", bytes, 1);         // 429 with "Retry-After: 1" once, then 200
 *     server.latency(Duration.ofMillis(200));           // every response waits before its first byte
 *     server.serveRanged("/r.csv", bytes, "\"v1\"");      // 200 or 206, honouring Range and If-Range
 *     server.cutFirst("/r.csv", 1, 4000);              // the first response breaks off after 4000 body bytes
 *     server.throttle(1_000_000);                       // every response body at most 1 MB/s
 *     URI uri = server.uri("/data.csv");
 *     ...
 *     assertThat(server.requests("/flaky.csv")).isEqualTo(2);
 * }
 * }</pre>
 *
 * <ul>
 * <li>Paths are matched exactly against the request path (query strings are ignored); an
 * unknown path answers 404. Registering a path again replaces its behaviour (and restarts
 * its script, e.g. the failures of {@link #flaky}), but not its request count.</li>
 * <li>Requests are handled on a multi-threaded executor, so concurrent clients really run
 * concurrently.</li>
 * <li>Successful responses carry {@code ETag: "<first 16 hex of SHA-256 of body>"} and a
 * fixed {@code Last-Modified} ({@link #LAST_MODIFIED}).</li>
 * <li>Only {@link #serveRanged} understands {@code Range}; every other behaviour ignores
 * it and answers the whole body, like a server without range support.
 * {@link #rangeHeaders} records what was asked for.</li>
 * <li>{@link #requestLog} holds every request with its Range header, status and the body
 * bytes actually sent (fewer when the client went away or the body was cut): the work a
 * client made the server do.</li>
 * <li>All methods are thread-safe.</li>
 * </ul>
 */
public final class TestHttpServer implements AutoCloseable, AfterEachCallback {

    /** The Last-Modified header sent with every 200 response. */
    public static final String LAST_MODIFIED = "Wed, 21 Oct 2015 07:28:00 GMT";

    private static final Pattern RANGE = Pattern.compile("bytes=(\\d{1,18})-");

    static {
        noDelay();
    }

    private final HttpServer server;

    private final ExecutorService executor;

    private final Map<String, Handler> routes = new ConcurrentHashMap<>();

    private final Map<String, AtomicInteger> requestCounts = new ConcurrentHashMap<>();

    private final AtomicInteger totalRequests = new AtomicInteger();

    private final AtomicInteger inFlight = new AtomicInteger();

    private final AtomicInteger maxInFlight = new AtomicInteger();

    private final AtomicReference<Duration> latency = new AtomicReference<>(Duration.ZERO);

    private final Map<String, List<String>> rangeHeaders = new ConcurrentHashMap<>();

    private final Map<String, Cut> cuts = new ConcurrentHashMap<>();

    private final Map<String, List<Map<String, String>>> requestHeaders = new ConcurrentHashMap<>();

    private final List<LoggedRequest> log = Collections.synchronizedList(new ArrayList<>());

    private final AtomicLong bytesPerSecond = new AtomicLong();

    private TestHttpServer(HttpServer server, ExecutorService executor) {
        this.server = server;
        this.executor = executor;
    }

    private final Map<String, String> releasedBy = new ConcurrentHashMap<>();

    /**
     * Turns Nagle's algorithm off for the JDK's HTTP server of this JVM (read once, when
     * its first server starts): it writes a response's headers and body apart, and with
     * Nagle on, the body of a small response waits for the client's delayed ACK, about 40
     * ms a request on Linux.
     */
    public static void noDelay() {
        System.setProperty("sun.net.httpserver.nodelay", "true");
    }

    /** Starts a server on 127.0.0.1 on a free port. */
    public static TestHttpServer start() {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0), 64);
            AtomicInteger n = new AtomicInteger();
            ExecutorService executor = Executors.newCachedThreadPool(r -> {
                Thread t = new Thread(r, "test-http-" + n.incrementAndGet());
                t.setDaemon(true);
                return t;
            });
            TestHttpServer testServer = new TestHttpServer(server, executor);
            server.setExecutor(executor);
            server.createContext("/", testServer::handle);
            server.start();
            return testServer;
        }
        catch (IOException e) {
            throw new IllegalStateException("cannot start test HTTP server", e);
        }
    }

    /** The port the server listens on. */
    public int port() {
        return server.getAddress().getPort();
    }

    /**
     * {@code http://127.0.0.1:<port><path>}; {@code path} must start with '/' and may
     * hold a query.
     */
    public URI uri(String path) {
        if (!path.startsWith("/")) {
            throw new IllegalArgumentException("path must start with '/': " + path);
        }
        return URI.create("http://127.0.0.1:" + port() + path);
    }

    /**
     * Answers 200 with {@code body} and its Content-Length; HEAD gets the headers only.
     */
    public void serve(String path, byte[] body) {
        byte[] copy = body.clone();
        routes.put(path, exchange -> sendBody(exchange, copy));
    }

    /**
     * As {@link #serve}, with the given Content-Type (a folder listing:
     * {@code text/html}).
     */
    public void serve(String path, byte[] body, String contentType) {
        byte[] copy = body.clone();
        routes.put(path, exchange -> {
            exchange.getResponseHeaders().set("Content-Type", contentType);
            exchange.sendResponseHeaders(200, copy.length == 0 ? -1 : copy.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(copy);
            }
        });
    }

    /**
     * Serves {@code body} like a server with range support: 200 with {@code ETag: etag},
     * {@code Last-Modified} ({@link #LAST_MODIFIED}) and {@code Accept-Ranges: bytes}; a
     * request with {@code Range: bytes=N-} gets 206 with
     * {@code Content-Range: bytes N-(len-1)/len} and the rest of the body when it has no
     * {@code If-Range} or one equal to the current validator (the ETag, or Last-Modified
     * when {@code etag} is null), else the whole body with 200; N at or beyond the end
     * gets 416. Call it again to change body and ETag between requests.
     */
    public void serveRanged(String path, byte[] body, String etag) {
        byte[] copy = body.clone();
        routes.put(path, exchange -> sendRanged(exchange, copy, etag));
    }

    /**
     * Makes the next {@code times} responses of {@code path}, whatever their behaviour,
     * break off (connection closed) after {@code afterBytes} bytes of body; later
     * responses are whole again.
     */
    public void cutFirst(String path, int times, int afterBytes) {
        if (times < 0 || afterBytes < 0) {
            throw new IllegalArgumentException("times and afterBytes must not be negative");
        }
        cuts.put(path, new Cut(new AtomicInteger(times), afterBytes));
    }

    /** Always answers {@code code} with a short text body. */
    public void status(String path, int code) {
        routes.put(path, exchange -> sendStatus(exchange, code));
    }

    /**
     * Answers 200 announcing the full Content-Length of {@code body} but sends only its
     * first {@code sendBytes} bytes, then closes the connection.
     */
    public void truncate(String path, byte[] body, int sendBytes) {
        if (sendBytes < 0 || sendBytes >= body.length) {
            throw new IllegalArgumentException("sendBytes must be in [0, " + body.length + "): " + sendBytes);
        }
        byte[] copy = body.clone();
        routes.put(path, exchange -> {
            exchange.getResponseHeaders().set("Content-Type", "application/octet-stream");
            exchange.sendResponseHeaders(200, copy.length);
            OutputStream out = exchange.getResponseBody();
            out.write(copy, 0, sendBytes);
            out.flush();
            // An exception escaping the handler makes the server drop the connection,
            // mid-body.
            throw new IOException("response truncated on purpose");
        });
    }

    /**
     * Answers {@code failCode} to the first {@code failuresBefore} requests, then 200
     * with {@code body}.
     */
    public void flaky(String path, byte[] body, int failuresBefore, int failCode) {
        byte[] copy = body.clone();
        AtomicInteger seen = new AtomicInteger();
        routes.put(path, exchange -> {
            if (seen.getAndIncrement() < failuresBefore) {
                sendStatus(exchange, failCode);
            }
            else {
                sendBody(exchange, copy);
            }
        });
    }

    /**
     * Answers the first request with 429 and {@code Retry-After: <seconds>}, later ones
     * with 200 and {@code body}.
     */
    public void retryAfter(String path, byte[] body, int seconds) {
        byte[] copy = body.clone();
        AtomicInteger seen = new AtomicInteger();
        routes.put(path, exchange -> {
            if (seen.getAndIncrement() == 0) {
                exchange.getResponseHeaders().set("Retry-After", Integer.toString(seconds));
                sendStatus(exchange, 429);
            }
            else {
                sendBody(exchange, copy);
            }
        });
    }

    /**
     * Answers {@code path} with {@code body} only once {@code other} has been requested
     * too, or after {@code atMost}; {@link #releasedBy(String)} tells which came first.
     * Shows, without a clock, that a client was at {@code other} while {@code path} was
     * still under way.
     */
    public void serveAfter(String path, byte[] body, String other, Duration atMost) {
        byte[] copy = body.clone();
        routes.put(path, exchange -> {
            long end = System.nanoTime() + atMost.toNanos();
            while (requests(other) == 0 && System.nanoTime() < end) {
                sleep(Duration.ofMillis(10));
            }
            releasedBy.put(path, requests(other) > 0 ? other : "timeout");
            sendBody(exchange, copy);
        });
    }

    /**
     * For a path set up with {@link #serveAfter}: the other path whose request released
     * it, or "timeout".
     */
    public String releasedBy(String path) {
        return releasedBy.get(path);
    }

    /**
     * Answers 200 with the full Content-Length of {@code body}, sends its first
     * {@code sendBytes} bytes and then stalls for {@code stall} before sending the rest
     * (for read-timeout tests).
     */
    public void stall(String path, byte[] body, int sendBytes, Duration stall) {
        byte[] copy = body.clone();
        routes.put(path, exchange -> {
            exchange.sendResponseHeaders(200, copy.length);
            OutputStream out = exchange.getResponseBody();
            out.write(copy, 0, sendBytes);
            out.flush();
            sleep(stall);
            out.write(copy, sendBytes, copy.length - sendBytes);
            out.close();
        });
    }

    /**
     * Serves {@code body} gzip-encoded ({@code Content-Encoding: gzip}, Content-Length of
     * the encoded bytes) to a request whose Accept-Encoding names gzip, plainly
     * otherwise.
     */
    public void serveGzip(String path, byte[] body) {
        byte[] copy = body.clone();
        routes.put(path, exchange -> {
            String accept = exchange.getRequestHeaders().getFirst("Accept-Encoding");
            if (accept == null || !accept.contains("gzip")) {
                sendBody(exchange, copy);
                return;
            }
            java.io.ByteArrayOutputStream encoded = new java.io.ByteArrayOutputStream();
            try (java.util.zip.GZIPOutputStream gz = new java.util.zip.GZIPOutputStream(encoded)) {
                gz.write(copy);
            }
            exchange.getResponseHeaders().set("Content-Encoding", "gzip");
            sendBody(exchange, encoded.toByteArray());
        });
    }

    /**
     * Serves {@code body} like {@link #serve}, but answers 304 Not Modified to a request
     * whose If-None-Match is its ETag or whose If-Modified-Since is its Last-Modified.
     */
    public void serveConditional(String path, byte[] body) {
        byte[] copy = body.clone();
        String etag = "\"" + HexFormat.of().formatHex(sha256(copy)).substring(0, 16) + "\"";
        routes.put(path, exchange -> {
            String ifNoneMatch = exchange.getRequestHeaders().getFirst("If-None-Match");
            String ifModifiedSince = exchange.getRequestHeaders().getFirst("If-Modified-Since");
            if (etag.equals(ifNoneMatch) || (ifNoneMatch == null && LAST_MODIFIED.equals(ifModifiedSince))) {
                exchange.getResponseHeaders().set("ETag", etag);
                sendStatus(exchange, 304);
                return;
            }
            sendBody(exchange, copy);
        });
    }

    /**
     * The value of header {@code name} in each request for {@code path} so far, in order;
     * null where absent.
     */
    public List<String> requestHeader(String path, String name) {
        List<Map<String, String>> seen = requestHeaders.getOrDefault(path, List.of());
        synchronized (seen) {
            return seen.stream().map(h -> h.get(name.toLowerCase(java.util.Locale.ROOT))).toList();
        }
    }

    /** Answers {@code code} (a 3xx) with {@code Location: location}. */
    public void redirect(String path, int code, String location) {
        routes.put(path, exchange -> {
            exchange.getResponseHeaders().set("Location", location);
            sendStatus(exchange, code);
        });
    }

    /**
     * Delays every response (of every path) by {@code firstByteDelay} before its status
     * line.
     */
    public void latency(Duration firstByteDelay) {
        latency.set(Objects.requireNonNull(firstByteDelay));
    }

    /**
     * Sends every response body (of every path) at most {@code rate} bytes per second,
     * each response on its own, in slices of at most a twentieth of a second's worth; 0
     * (the default) sends at once.
     */
    public void throttle(long rate) {
        if (rate < 0) {
            throw new IllegalArgumentException("rate must not be negative: " + rate);
        }
        bytesPerSecond.set(rate);
    }

    /**
     * One request as the server saw it.
     *
     * @param path the request path (query string ignored)
     * @param method GET, HEAD, ...
     * @param range its {@code Range} header, or null
     * @param status the status sent, or 0 while none was (yet)
     * @param bytesSent body bytes written to the connection so far
     * @param open whether the server was still handling it
     */
    public record Request(String path, String method, String range, int status, long bytesSent, boolean open) {
    }

    /** Every request so far, in the order they arrived, as they stand now. */
    public List<Request> requestLog() {
        synchronized (log) {
            return log.stream().map(LoggedRequest::snapshot).toList();
        }
    }

    /** Body bytes sent so far, over all requests. */
    public long bytesSent() {
        synchronized (log) {
            return log.stream().mapToLong(r -> r.sent.get()).sum();
        }
    }

    /**
     * Requests received so far for {@code path} (query strings ignored), whatever the
     * answer.
     */
    public int requests(String path) {
        AtomicInteger count = requestCounts.get(path);
        return count == null ? 0 : count.get();
    }

    /**
     * The {@code Range} header of each request for {@code path} so far, in order; null
     * for a request without.
     */
    public List<String> rangeHeaders(String path) {
        List<String> seen = rangeHeaders.get(path);
        if (seen == null) {
            return List.of();
        }
        synchronized (seen) {
            return Collections.unmodifiableList(new ArrayList<>(seen));
        }
    }

    /** Requests received so far for all paths. */
    public int totalRequests() {
        return totalRequests.get();
    }

    /**
     * The most requests this server was handling at the same moment: evidence of
     * concurrency that needs no clock.
     */
    public int maxConcurrentRequests() {
        return maxInFlight.get();
    }

    /**
     * As a JUnit extension,
     * {@code @RegisterExtension final TestHttpServer server = TestHttpServer.start();}: a
     * server per test, stopped after it.
     */
    @Override
    public void afterEach(ExtensionContext context) {
        close();
    }

    /** Stops the server at once, dropping open connections. */
    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }

    // ------------------------------------------------------------------------------------------

    @FunctionalInterface
    private interface Handler {

        void handle(HttpExchange exchange) throws IOException;

    }

    private record Cut(AtomicInteger remaining, int afterBytes) {
    }

    private static final class LoggedRequest {

        final String path;

        final String method;

        final String range;

        final AtomicLong sent = new AtomicLong();

        volatile int status;

        volatile boolean open = true;

        LoggedRequest(String path, String method, String range) {
            this.path = path;
            this.method = method;
            this.range = range;
        }

        Request snapshot() {
            return new Request(path, method, range, status, sent.get(), open);
        }

    }

    private void handle(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getPath();
        totalRequests.incrementAndGet();
        requestCounts.computeIfAbsent(path, p -> new AtomicInteger()).incrementAndGet();
        rangeHeaders.computeIfAbsent(path, p -> Collections.synchronizedList(new ArrayList<>()))
            .add(exchange.getRequestHeaders().getFirst("Range"));
        Map<String, String> headers = new java.util.HashMap<>();
        exchange.getRequestHeaders().forEach((k, v) -> headers.put(k.toLowerCase(java.util.Locale.ROOT), v.get(0)));
        requestHeaders.computeIfAbsent(path, p -> Collections.synchronizedList(new ArrayList<>())).add(headers);
        LoggedRequest logged = new LoggedRequest(path, exchange.getRequestMethod(),
                exchange.getRequestHeaders().getFirst("Range"));
        log.add(logged);
        // under a cut, so that it counts what passed it
        exchange.setStreams(null, new MeteredOutputStream(exchange.getResponseBody(), logged, bytesPerSecond.get()));
        Cut cut = cuts.get(path);
        if (cut != null && cut.remaining().getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
            exchange.setStreams(null, new CuttingOutputStream(exchange.getResponseBody(), cut.afterBytes()));
        }
        maxInFlight.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
        // Exceptions are left to the server, which then closes the connection: that is
        // how truncate()
        // cuts a body short, and the right thing when a client went away.
        try (exchange) {
            try (InputStream in = exchange.getRequestBody()) {
                in.readAllBytes();
            }
            sleep(latency.get());
            Handler handler = routes.get(path);
            if (handler == null) {
                sendStatus(exchange, 404);
            }
            else {
                handler.handle(exchange);
            }
        }
        finally {
            logged.status = exchange.getResponseCode() < 0 ? 0 : exchange.getResponseCode();
            logged.open = false;
            inFlight.decrementAndGet();
        }
    }

    /**
     * Counts the body bytes that reach the connection (a write that fails counts nothing)
     * and, given a rate, paces them: a slice of at most a twentieth of a second's worth
     * at a time, each flushed, then a pause until the rate allows the next.
     */
    private static final class MeteredOutputStream extends FilterOutputStream {

        private final LoggedRequest logged;

        private final long rate;

        private long start;

        private long written;

        MeteredOutputStream(OutputStream out, LoggedRequest logged, long rate) {
            super(out);
            this.logged = logged;
            this.rate = rate;
        }

        @Override
        public void write(int b) throws IOException {
            write(new byte[] { (byte) b }, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            if (rate <= 0) {
                out.write(b, off, len);
                logged.sent.addAndGet(len);
                return;
            }
            if (start == 0) {
                start = System.nanoTime();
            }
            int slice = (int) Math.max(1, Math.min(Integer.MAX_VALUE, rate / 20));
            while (len > 0) {
                int n = Math.min(slice, len);
                long due = start + written * 1_000_000_000L / rate;
                long wait = due - System.nanoTime();
                if (wait > 0) {
                    sleep(Duration.ofNanos(wait));
                }
                out.write(b, off, n);
                out.flush();
                logged.sent.addAndGet(n);
                written += n;
                off += n;
                len -= n;
            }
        }

    }

    private static void sendBody(HttpExchange exchange, byte[] body) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", "application/octet-stream");
        exchange.getResponseHeaders()
            .set("ETag", "\"" + HexFormat.of().formatHex(sha256(body)).substring(0, 16) + "\"");
        exchange.getResponseHeaders().set("Last-Modified", LAST_MODIFIED);
        if ("HEAD".equalsIgnoreCase(exchange.getRequestMethod())) {
            exchange.getResponseHeaders().set("Content-Length", Integer.toString(body.length));
            exchange.sendResponseHeaders(200, -1);
            return;
        }
        exchange.sendResponseHeaders(200, body.length == 0 ? -1 : body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    private static void sendRanged(HttpExchange exchange, byte[] body, String etag) throws IOException {
        String validator = etag != null ? etag : LAST_MODIFIED;
        exchange.getResponseHeaders().set("Content-Type", "application/octet-stream");
        exchange.getResponseHeaders().set("Accept-Ranges", "bytes");
        if (etag != null) {
            exchange.getResponseHeaders().set("ETag", etag);
        }
        exchange.getResponseHeaders().set("Last-Modified", LAST_MODIFIED);
        String range = exchange.getRequestHeaders().getFirst("Range");
        String ifRange = exchange.getRequestHeaders().getFirst("If-Range");
        Matcher m = range == null ? null : RANGE.matcher(range.strip());
        boolean head = "HEAD".equalsIgnoreCase(exchange.getRequestMethod());
        // If-Range compares strongly: a weak ETag never matches
        boolean current = ifRange == null || (ifRange.equals(validator) && !validator.startsWith("W/"));
        if (!head && m != null && m.matches() && current) {
            long start = Long.parseLong(m.group(1));
            if (start >= body.length) {
                exchange.getResponseHeaders().set("Content-Range", "bytes */" + body.length);
                sendStatus(exchange, 416);
                return;
            }
            exchange.getResponseHeaders()
                .set("Content-Range", "bytes " + start + "-" + (body.length - 1) + "/" + body.length);
            exchange.sendResponseHeaders(206, body.length - start);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body, (int) start, body.length - (int) start);
            }
            return;
        }
        if (head) {
            exchange.getResponseHeaders().set("Content-Length", Integer.toString(body.length));
            exchange.sendResponseHeaders(200, -1);
            return;
        }
        exchange.sendResponseHeaders(200, body.length == 0 ? -1 : body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    /**
     * Passes on the first {@code allowed} bytes, then fails, which makes the server drop
     * the connection.
     */
    private static final class CuttingOutputStream extends FilterOutputStream {

        private long left;

        CuttingOutputStream(OutputStream out, long allowed) {
            super(out);
            this.left = allowed;
        }

        @Override
        public void write(int b) throws IOException {
            write(new byte[] { (byte) b }, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            if (len > left) {
                out.write(b, off, (int) left);
                left = 0;
                out.flush();
                throw new IOException("response cut on purpose");
            }
            out.write(b, off, len);
            left -= len;
        }

    }

    private static void sendStatus(HttpExchange exchange, int code) throws IOException {
        byte[] text = ("status " + code + "\n").getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
        if ("HEAD".equalsIgnoreCase(exchange.getRequestMethod()) || code == 204 || code == 304) {
            exchange.sendResponseHeaders(code, -1);
            return;
        }
        exchange.sendResponseHeaders(code, text.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(text);
        }
    }

    private static void sleep(Duration d) {
        if (d.isZero() || d.isNegative()) {
            return;
        }
        try {
            Thread.sleep(d.toMillis());
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static byte[] sha256(byte[] data) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(data);
        }
        catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

}
