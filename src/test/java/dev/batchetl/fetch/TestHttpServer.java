package dev.batchetl.fetch;

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
import java.util.HexFormat;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

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
 *     URI uri = server.uri("/data.csv");
 *     ...
 *     assertThat(server.requests("/flaky.csv")).isEqualTo(2);
 * }
 * }</pre>
 *
 * <ul>
 *   <li>Paths are matched exactly against the request path (query strings are ignored); an unknown path
 *       answers 404. Registering a path again replaces its behaviour (and restarts its script, e.g. the
 *       failures of {@link #flaky}), but not its request count.</li>
 *   <li>Requests are handled on a multi-threaded executor, so concurrent clients really run concurrently.</li>
 *   <li>Successful responses carry {@code ETag: "<first 16 hex of SHA-256 of body>"} and a fixed
 *       {@code Last-Modified} ({@link #LAST_MODIFIED}).</li>
 *   <li>All methods are thread-safe.</li>
 * </ul>
 */
public final class TestHttpServer implements AutoCloseable {

    /** The Last-Modified header sent with every 200 response. */
    public static final String LAST_MODIFIED = "Wed, 21 Oct 2015 07:28:00 GMT";

    private final HttpServer server;
    private final ExecutorService executor;
    private final Map<String, Handler> routes = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> requestCounts = new ConcurrentHashMap<>();
    private final AtomicInteger totalRequests = new AtomicInteger();
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicInteger maxInFlight = new AtomicInteger();
    private final AtomicReference<Duration> latency = new AtomicReference<>(Duration.ZERO);

    private TestHttpServer(HttpServer server, ExecutorService executor) {
        this.server = server;
        this.executor = executor;
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
        } catch (IOException e) {
            throw new IllegalStateException("cannot start test HTTP server", e);
        }
    }

    /** The port the server listens on. */
    public int port() {
        return server.getAddress().getPort();
    }

    /** {@code http://127.0.0.1:<port><path>}; {@code path} must start with '/' and may hold a query. */
    public URI uri(String path) {
        if (!path.startsWith("/")) {
            throw new IllegalArgumentException("path must start with '/': " + path);
        }
        return URI.create("http://127.0.0.1:" + port() + path);
    }

    /** Answers 200 with {@code body} and its Content-Length; HEAD gets the headers only. */
    public void serve(String path, byte[] body) {
        byte[] copy = body.clone();
        routes.put(path, exchange -> sendBody(exchange, copy));
    }

    /** Always answers {@code code} with a short text body. */
    public void status(String path, int code) {
        routes.put(path, exchange -> sendStatus(exchange, code));
    }

    /**
     * Answers 200 announcing the full Content-Length of {@code body} but sends only its first {@code sendBytes}
     * bytes, then closes the connection.
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
            // An exception escaping the handler makes the server drop the connection, mid-body.
            throw new IOException("response truncated on purpose");
        });
    }

    /** Answers {@code failCode} to the first {@code failuresBefore} requests, then 200 with {@code body}. */
    public void flaky(String path, byte[] body, int failuresBefore, int failCode) {
        byte[] copy = body.clone();
        AtomicInteger seen = new AtomicInteger();
        routes.put(path, exchange -> {
            if (seen.getAndIncrement() < failuresBefore) {
                sendStatus(exchange, failCode);
            } else {
                sendBody(exchange, copy);
            }
        });
    }

    /** Answers the first request with 429 and {@code Retry-After: <seconds>}, later ones with 200 and {@code body}. */
    public void retryAfter(String path, byte[] body, int seconds) {
        byte[] copy = body.clone();
        AtomicInteger seen = new AtomicInteger();
        routes.put(path, exchange -> {
            if (seen.getAndIncrement() == 0) {
                exchange.getResponseHeaders().set("Retry-After", Integer.toString(seconds));
                sendStatus(exchange, 429);
            } else {
                sendBody(exchange, copy);
            }
        });
    }

    /**
     * Answers 200 with the full Content-Length of {@code body}, sends its first {@code sendBytes} bytes and then
     * stalls for {@code stall} before sending the rest (for read-timeout tests).
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

    /** Answers {@code code} (a 3xx) with {@code Location: location}. */
    public void redirect(String path, int code, String location) {
        routes.put(path, exchange -> {
            exchange.getResponseHeaders().set("Location", location);
            sendStatus(exchange, code);
        });
    }

    /** Delays every response (of every path) by {@code firstByteDelay} before its status line. */
    public void latency(Duration firstByteDelay) {
        latency.set(Objects.requireNonNull(firstByteDelay));
    }

    /** Requests received so far for {@code path} (query strings ignored), whatever the answer. */
    public int requests(String path) {
        AtomicInteger count = requestCounts.get(path);
        return count == null ? 0 : count.get();
    }

    /** Requests received so far for all paths. */
    public int totalRequests() {
        return totalRequests.get();
    }

    /** The most requests this server was handling at the same moment: evidence of concurrency that needs no clock. */
    public int maxConcurrentRequests() {
        return maxInFlight.get();
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

    private void handle(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getPath();
        totalRequests.incrementAndGet();
        requestCounts.computeIfAbsent(path, p -> new AtomicInteger()).incrementAndGet();
        maxInFlight.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
        // Exceptions are left to the server, which then closes the connection: that is how truncate()
        // cuts a body short, and the right thing when a client went away.
        try (exchange) {
            try (InputStream in = exchange.getRequestBody()) {
                in.readAllBytes();
            }
            sleep(latency.get());
            Handler handler = routes.get(path);
            if (handler == null) {
                sendStatus(exchange, 404);
            } else {
                handler.handle(exchange);
            }
        } finally {
            inFlight.decrementAndGet();
        }
    }

    private static void sendBody(HttpExchange exchange, byte[] body) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", "application/octet-stream");
        exchange.getResponseHeaders().set("ETag", "\"" + HexFormat.of().formatHex(sha256(body)).substring(0, 16) + "\"");
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
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static byte[] sha256(byte[] data) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(data);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
