package dev.batchetl.fetch;

import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

import javax.net.ssl.SSLSocket;

import org.apache.hc.client5.http.classic.methods.HttpGet;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManager;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.client5.http.ssl.DefaultClientTlsStrategy;
import org.apache.hc.client5.http.ssl.TlsSocketStrategy;
import org.apache.hc.core5.http.ClassicHttpResponse;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.HttpEntity;
import org.apache.hc.core5.http.protocol.HttpContext;
import org.apache.hc.core5.util.Timeout;

/**
 * HTTP GETs with blocking I/O (Apache HttpClient 5, classic API): each download thread
 * reads its own socket straight into its buffer, so a fast transfer costs little more CPU
 * than the copy to disk. Connections are pooled and kept alive per host; redirects and
 * content decoding are left to {@link HttpDownload}, retries to {@link Downloader}; TLS
 * certificates and host names are always verified (the JVM's trust store).
 *
 * <p>
 * Every exchange has a deadline: when it passes, a watchdog aborts the exchange, which
 * ends any blocked read. The idle timeout bounds each wait for the response headers and
 * for the next bytes of the body.
 */
final class HttpTransport implements AutoCloseable {

    private static final int BUFFER_SIZE = 128 * 1024;

    private final CloseableHttpClient client;

    private final PoolingHttpClientConnectionManager pool;

    private final ScheduledExecutorService watchdog;

    private final Set<Exchange> open = ConcurrentHashMap.newKeySet();

    HttpTransport(Duration connectTimeout, Duration idleTimeout, int perHost) {
        this.pool = PoolingHttpClientConnectionManagerBuilder.create()
            .setDefaultConnectionConfig(ConnectionConfig.custom()
                .setConnectTimeout(Timeout.of(connectTimeout))
                .setSocketTimeout(Timeout.of(idleTimeout))
                .build())
            .setTlsSocketStrategy(new LazyTls())
            .setMaxConnPerRoute(Math.min(perHost, 1024))
            .setMaxConnTotal(4096)
            .build();
        this.client = HttpClients.custom()
            .setConnectionManager(this.pool)
            .disableRedirectHandling()
            .disableAutomaticRetries()
            .disableContentCompression()
            .disableCookieManagement()
            .disableAuthCaching()
            .setUserAgent("batch-etl")
            .build();
        this.watchdog = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "fetch-deadline");
            t.setDaemon(true);
            return t;
        });
    }

    /**
     * TLS as the client's default, set up on the first https connection: building the
     * default TLS context costs 0.3 s and more of a fresh JVM's start, which a run of
     * http and file: sources need not pay.
     */
    private static final class LazyTls implements TlsSocketStrategy {

        private volatile TlsSocketStrategy tls;

        @Override
        public SSLSocket upgrade(Socket socket, String target, int port, Object attachment, HttpContext context)
                throws IOException {
            TlsSocketStrategy strategy = this.tls;
            if (strategy == null) {
                synchronized (this) {
                    strategy = this.tls;
                    if (strategy == null) {
                        strategy = DefaultClientTlsStrategy.createDefault();
                        this.tls = strategy;
                    }
                }
            }
            return strategy.upgrade(socket, target, port, attachment, context);
        }

    }

    /**
     * Sends a GET with the given headers and returns once the response headers have
     * arrived. The exchange is aborted when {@code deadline} ({@link System#nanoTime()})
     * passes; {@code idle} bounds the wait for the headers and for each read of the body.
     */
    Exchange get(URI uri, Map<String, String> headers, Duration idle, long deadline) throws IOException {
        HttpGet request = new HttpGet(uri);
        headers.forEach(request::setHeader);
        long left = Math.max(1, deadline - System.nanoTime());
        request.setConfig(RequestConfig.custom()
            .setResponseTimeout(Timeout.of(idle))
            .setConnectionRequestTimeout(Timeout.of(left, TimeUnit.NANOSECONDS))
            .setRedirectsEnabled(false)
            .build());
        Exchange exchange = new Exchange(request);
        this.open.add(exchange);
        exchange.deadline = this.watchdog.schedule(exchange::expire, left, TimeUnit.NANOSECONDS);
        try {
            exchange.response = this.client.executeOpen(null, request, null);
            return exchange;
        }
        catch (IOException ex) {
            exchange.abort();
            if (exchange.expired) {
                DeadlineExceeded deadlineExceeded = new DeadlineExceeded();
                deadlineExceeded.initCause(ex);
                throw deadlineExceeded;
            }
            throw ex;
        }
        catch (RuntimeException ex) {
            exchange.abort();
            throw ex;
        }
    }

    /** Aborts every exchange under way; later calls fail. */
    @Override
    public void close() {
        for (Exchange exchange : this.open) {
            exchange.abort();
        }
        this.watchdog.shutdownNow();
        try {
            this.client.close();
        }
        catch (IOException ex) {
            // closing sockets of a client that is going away
        }
    }

    /**
     * Thrown by {@link #get} when the deadline passed before the response headers
     * arrived.
     */
    static final class DeadlineExceeded extends java.io.InterruptedIOException {

        private static final long serialVersionUID = 1L;

    }

    /**
     * Thrown by {@link Exchange#next()} when the body stalls for the idle timeout or the
     * deadline passes.
     */
    static final class BodyTimeoutException extends Exception {

        private static final long serialVersionUID = 1L;

    }

    /**
     * One request and its response: status, headers, and the body read chunk by chunk.
     */
    final class Exchange implements AutoCloseable {

        private final HttpGet request;

        private ClassicHttpResponse response;

        private ScheduledFuture<?> deadline;

        private InputStream body;

        private byte[] buffer;

        private volatile boolean expired;

        private boolean ended;

        private Exchange(HttpGet request) {
            this.request = request;
        }

        int status() {
            return this.response.getCode();
        }

        /** True when the deadline passed and the exchange was aborted for it. */
        boolean expired() {
            return this.expired;
        }

        Optional<String> firstValue(String name) {
            Header header = this.response.getFirstHeader(name);
            return header == null ? Optional.empty() : Optional.ofNullable(header.getValue());
        }

        /** The header as a number; NumberFormatException when it is not one. */
        OptionalLong firstValueAsLong(String name) {
            Optional<String> value = firstValue(name);
            return value.isEmpty() ? OptionalLong.empty() : OptionalLong.of(Long.parseLong(value.get().strip()));
        }

        /**
         * The next bytes of the body (a view of a buffer that the following call reuses),
         * or null at its end.
         */
        List<ByteBuffer> next() throws IOException, BodyTimeoutException {
            if (this.ended) {
                return null;
            }
            if (this.body == null) {
                HttpEntity entity = this.response.getEntity();
                if (entity == null) {
                    this.ended = true;
                    return null;
                }
                this.body = entity.getContent();
                this.buffer = new byte[BUFFER_SIZE];
            }
            int n;
            try {
                n = this.body.read(this.buffer);
            }
            catch (SocketTimeoutException ex) {
                throw new BodyTimeoutException();
            }
            catch (IOException ex) {
                if (this.expired) {
                    throw new BodyTimeoutException();
                }
                throw ex;
            }
            if (n < 0) {
                this.ended = true;
                return null;
            }
            return List.of(ByteBuffer.wrap(this.buffer, 0, n));
        }

        private void expire() {
            this.expired = true;
            this.request.cancel();
        }

        /**
         * Ends the exchange without reading the rest of the body: its connection is
         * closed, not reused.
         */
        void abort() {
            this.request.cancel();
            close();
        }

        /**
         * Ends the exchange; a body read to its end leaves the connection to be reused.
         */
        @Override
        public void close() {
            if (!this.ended) {
                this.request.cancel();
            }
            if (this.deadline != null) {
                this.deadline.cancel(false);
            }
            HttpTransport.this.open.remove(this);
            try {
                if (this.body != null) {
                    this.body.close();
                }
                if (this.response != null) {
                    this.response.close();
                }
            }
            catch (IOException | RuntimeException ex) {
                // an aborted exchange may fail to close; its connection is discarded
                // either way
            }
        }

    }

}
