package dev.batchetl.fetch;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.atomic.LongAdder;

import dev.batchetl.stats.CsvFiles;
import org.apache.hc.client5.http.ConnectTimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One HTTP attempt of a download into a part file: the request (conditional, or a range
 * that resumes the part file), redirects followed by hand, the response's status, and its
 * body streamed into the part file.
 *
 * <p>
 * A 304 to a conditional request keeps the target once its SHA-256 matches the recorded
 * one. A 206 must continue the part file exactly ({@link Resume#fits}); a 416 or a 206
 * that does not fit drops it and asks once more for the whole body. A 200 records its
 * resume data before any body byte (see {@link Resume}). Redirects go to the same scheme
 * and allowed hosts only, up to max-redirects.
 */
final class HttpDownload implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(HttpDownload.class);

    private final DownloadSettings settings;

    private final FetchLimits limits;

    private final boolean attributes;

    private final RateLimiter rate;

    private final LongAdder received;

    private final GzipBody gzip;

    // built by the first request: a run of file: sources, or of none, needs no client
    // and no TLS context
    private HttpTransport http;

    private boolean closed;

    /**
     * @param attributes whether resume data goes into the part file's attributes where
     * the file system allows
     * @param rate the overall rate limit, null for none
     * @param received counts the body bytes received
     */
    HttpDownload(DownloadSettings settings, FetchLimits limits, boolean attributes, RateLimiter rate,
            LongAdder received) {
        this.settings = settings;
        this.limits = limits;
        this.attributes = attributes;
        this.rate = rate;
        this.received = received;
        this.gzip = new GzipBody(limits.idleTimeout(), rate);
    }

    /**
     * Downloads {@code uri} into {@code part}. Resumes the part file with a Range request
     * when its resume data says how (see {@link Resume}); otherwise, or when the server
     * cannot continue it, the body is fetched from the start.
     * @param meta the part file's resume sidecar
     * @param target where the file goes, for a conditional request
     * @param expected the SHA-256 the content must have, or null
     */
    Received download(URI uri, Path part, Path meta, Path target, String expected, Attempts attempts)
            throws FetchException {
        long deadline = attempts.deadline;
        Resume resume = Resume.load(part, meta, uri);
        if (resume == null) {
            Resume.discard(part, meta);
        }
        else {
            log.debug("resuming {} at byte {}", part.getFileName(), resume.offset());
        }
        PreviousFetch conditional = resume == null ? conditional(attempts.previous, target, expected) : null;
        while (true) {
            HttpTransport.Exchange response = sendFollowing(uri, resume, conditional, deadline);
            boolean complete = false;
            try {
                int status = response.status();
                if (status == 304 && conditional != null) {
                    String local = Sha256.of(target);
                    if (conditional.sha256().equals(local)) {
                        complete = true;
                        return new Received(conditional.bytes(), local, 304,
                                response.firstValue("ETag").orElse(conditional.etag()),
                                response.firstValue("Last-Modified").orElse(conditional.lastModified()), true);
                    }
                    log.debug("{} changed since the last run; fetching it whole", target.getFileName());
                    conditional = null;
                    attempts.previous = null;
                    continue;
                }
                if (resume != null && (status == 416 || (status == 206 && !resume.fits(response)))) {
                    // the server cannot continue this part: drop it and ask for the whole
                    // body, once
                    log.debug("cannot resume {} (HTTP {}), starting over", part.getFileName(), status);
                    PartFile.deleteQuietly(meta);
                    PartFile.deleteQuietly(part);
                    resume = null;
                    continue;
                }
                Received result = receive(response, status, deadline, uri, resume, part, meta, target);
                complete = true;
                return result;
            }
            finally {
                if (complete) {
                    response.close();
                }
                else {
                    response.abort();
                }
            }
        }
    }

    /**
     * The conditional request to make, or null: only when the local file still has the
     * recorded length.
     */
    private static PreviousFetch conditional(PreviousFetch previous, Path target, String expected) {
        if (previous == null || (expected != null && !expected.equals(previous.sha256()))) {
            return null;
        }
        try {
            return Files.isRegularFile(target) && Files.size(target) == previous.bytes() ? previous : null;
        }
        catch (IOException e) {
            return null;
        }
    }

    /** Checks a final response and receives its body. */
    private Received receive(HttpTransport.Exchange response, int status, long deadline, URI uri, Resume resume,
            Path part, Path meta, Path target) throws FetchException {
        if (status == 206 && resume == null) {
            throw new FetchException("HTTP 206 Partial Content to a request without Range", false, null);
        }
        if (status < 200 || status > 299) {
            throw statusFailure(status, response);
        }
        String type = response.firstValue("Content-Type").orElse("").strip().toLowerCase(Locale.ROOT);
        if (type.startsWith("text/html") && CsvFiles.isCsvName(target.getFileName().toString())) {
            // a folder's listing or a portal's error page, which the statistics would
            // read as a CSV file
            throw new FetchException("the server sent an HTML page (Content-Type: text/html), not CSV: a"
                    + " folder listing or an error page?", false, null);
        }
        String encoding = response.firstValue("Content-Encoding").orElse("identity").strip().toLowerCase(Locale.ROOT);
        boolean gzipped = encoding.equals("gzip") || encoding.equals("x-gzip");
        if (!gzipped && !encoding.equals("identity") && !encoding.isEmpty()) {
            throw new FetchException("unsupported Content-Encoding: " + encoding, false, null);
        }
        OptionalLong declared = contentLength(response);
        if (!gzipped && declared.isPresent() && declared.getAsLong() > limits.maxFileSize()) {
            throw FailureReasons.tooLarge(limits.maxFileSize());
        }
        if (gzipped && status != 206) {
            PartFile.deleteQuietly(meta);
            try (PartFile writer = PartFile.create(part, limits.maxFileSize(), received)) {
                return gzip.receive(response, deadline, status, writer);
            }
        }
        if (status == 206) {
            return receiveRest(response, deadline, resume, part, meta);
        }
        return receiveWhole(response, deadline, status, uri, part, meta);
    }

    /**
     * A 200: the whole body into an emptied part file, after recording what a later
     * resume needs.
     */
    private Received receiveWhole(HttpTransport.Exchange response, long deadline, int status, URI uri, Path part,
            Path meta) throws FetchException {
        OptionalLong declared = contentLength(response);
        String etag = response.firstValue("ETag").orElse(null);
        String lastModified = response.firstValue("Last-Modified").orElse(null);
        // the old sidecar goes first, so that no sidecar ever describes bytes of another
        // response
        PartFile.deleteQuietly(meta);
        try (PartFile writer = PartFile.create(part, limits.maxFileSize(), received)) {
            boolean rangesRefused = response.firstValue("Accept-Ranges")
                .map(v -> v.strip().equalsIgnoreCase("none"))
                .orElse(false);
            if (declared.isPresent() && declared.getAsLong() > 0 && !rangesRefused
                    && Resume.validator(etag, lastModified) != null
                    && !(attributes && Resume.attach(part, uri, etag, lastModified, declared.getAsLong()))) {
                // no attribute here: a sidecar, written once the empty part file is on
                // disk
                writer.durable();
                Resume.write(meta, uri, etag, lastModified, declared.getAsLong());
            }
            receiveBody(writer, response, deadline, declared, part, meta);
            return new Received(writer.bytes(), writer.sha256(), status, etag, lastModified, false);
        }
    }

    /**
     * A fitting 206: the bytes already in the part file count towards length and
     * checksum, the rest is appended.
     */
    private Received receiveRest(HttpTransport.Exchange response, long deadline, Resume resume, Path part, Path meta)
            throws FetchException {
        try (PartFile writer = PartFile.resume(part, resume.offset(), limits.maxFileSize(), received)) {
            receiveBody(writer, response, deadline, OptionalLong.of(resume.length()), part, meta);
            return new Received(writer.bytes(), writer.sha256(), 206, response.firstValue("ETag").orElse(resume.etag()),
                    response.firstValue("Last-Modified").orElse(resume.lastModified()), false);
        }
    }

    /**
     * Streams the body into the part file until its end, which must come at {@code total}
     * bytes of the whole file when that is known. When the body breaks off, what arrived
     * is kept on disk for a later resume; a body longer than announced makes the part
     * file worthless, so its resume data is removed.
     */
    private void receiveBody(PartFile writer, HttpTransport.Exchange body, long deadline, OptionalLong total, Path part,
            Path meta) throws FetchException {
        boolean worthless = false;
        try {
            List<ByteBuffer> chunk;
            while ((chunk = nextChunk(body, deadline, limits.idleTimeout(), total, writer.bytes())) != null) {
                for (ByteBuffer buffer : chunk) {
                    if (total.isPresent() && writer.bytes() + buffer.remaining() > total.getAsLong()) {
                        worthless = true;
                        throw new FetchException(
                                "long body: more than the " + total.getAsLong() + " bytes announced by Content-Length",
                                true, null);
                    }
                    if (rate != null) {
                        rate.acquire(buffer.remaining());
                    }
                    writer.accept(buffer);
                }
            }
            if (total.isPresent() && writer.bytes() < total.getAsLong()) {
                throw new FetchException("short body: " + writer.bytes() + " of " + total.getAsLong() + " bytes", true,
                        null);
            }
            writer.finish();
        }
        catch (FetchException e) {
            if (worthless || !e.transientFailure()) {
                Resume.discard(part, meta);
            }
            else {
                writer.saveQuietly();
            }
            throw e;
        }
    }

    /**
     * The next bytes of a body, null at its end; a stall, the deadline or a broken
     * connection as a (transient) failure.
     * @param bytes bytes of the file so far, for the reason
     */
    static List<ByteBuffer> nextChunk(HttpTransport.Exchange body, long deadline, Duration idle, OptionalLong declared,
            long bytes) throws FetchException {
        try {
            return body.next();
        }
        catch (HttpTransport.BodyTimeoutException e) {
            if (!body.expired() && System.nanoTime() - deadline < 0) {
                throw new FetchException(
                        "timeout: no data for " + FailureReasons.human(idle) + " after " + bytes + " bytes", true, e);
            }
            throw new FetchException("timeout: body incomplete after " + bytes + " bytes", true, e);
        }
        catch (IOException e) {
            if (Thread.currentThread().isInterrupted()) {
                throw new FetchException("interrupted", false, e);
            }
            if (declared.isPresent() && bytes < declared.getAsLong()) {
                throw new FetchException("short body: " + bytes + " of " + declared.getAsLong() + " bytes", true, e);
            }
            throw new FetchException("I/O error after " + bytes + " bytes: " + FailureReasons.describe(e), true, e);
        }
    }

    /**
     * Sends the request and follows redirects by hand: at most maxRedirects, same scheme,
     * allowed hosts only.
     */
    private HttpTransport.Exchange sendFollowing(URI uri, Resume resume, PreviousFetch conditional, long deadline)
            throws FetchException {
        URI current = uri;
        for (int hops = 0;; hops++) {
            HttpTransport.Exchange response = send(current, resume, conditional, deadline);
            int status = response.status();
            if (status != 301 && status != 302 && status != 303 && status != 307 && status != 308) {
                return response;
            }
            String location = response.firstValue("Location").orElse(null);
            response.abort();
            if (location == null) {
                throw new FetchException("HTTP " + status + " redirect without Location", false, null);
            }
            URI next;
            try {
                next = current.resolve(location.strip());
            }
            catch (IllegalArgumentException e) {
                throw new FetchException("redirect to an invalid URL: " + location, false, e);
            }
            if (hops >= limits.maxRedirects()) {
                throw new FetchException("too many redirects (more than " + limits.maxRedirects() + ")", false, null);
            }
            if (next.getScheme() == null || !next.getScheme().equalsIgnoreCase(current.getScheme())) {
                throw new FetchException("redirect to another scheme refused: " + next, false, null);
            }
            if (!limits.hostAllowed(next.getHost())) {
                throw new FetchException("redirect to a host not allowed (allowed-hosts): " + next.getHost(), false,
                        null);
            }
            current = next;
        }
    }

    private HttpTransport.Exchange send(URI uri, Resume resume, PreviousFetch conditional, long deadline)
            throws FetchException {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
            throw new FetchException("timeout: no response within " + FailureReasons.human(settings.readTimeout()),
                    true, null);
        }
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Accept-Encoding", resume == null ? "gzip" : "identity");
        if (resume != null) {
            headers.put("Range", "bytes=" + resume.offset() + "-");
            headers.put("If-Range", resume.validator());
        }
        if (conditional != null) {
            if (conditional.etag() != null) {
                headers.put("If-None-Match", conditional.etag());
            }
            if (conditional.lastModified() != null) {
                headers.put("If-Modified-Since", conditional.lastModified());
            }
        }
        try {
            return http().get(uri, headers, limits.idleTimeout(), deadline);
        }
        catch (HttpTransport.DeadlineExceeded e) {
            throw new FetchException("timeout: no response within " + FailureReasons.human(settings.readTimeout()),
                    true, e);
        }
        catch (ConnectTimeoutException e) {
            throw new FetchException("connect timeout after " + FailureReasons.human(settings.connectTimeout()), true,
                    e);
        }
        catch (SocketTimeoutException e) {
            throw new FetchException("timeout: no response within " + FailureReasons.human(limits.idleTimeout()), true,
                    e);
        }
        catch (ConnectException e) {
            throw new FetchException(FailureReasons.connectFailure(uri, e), true, e);
        }
        catch (InterruptedIOException e) {
            throw new FetchException("I/O error: " + FailureReasons.describe(e), true, e);
        }
        catch (IOException e) {
            String reason = FailureReasons.isUnknownHost(e) ? "unknown host: " + uri.getHost()
                    : "I/O error: " + FailureReasons.describe(e);
            throw new FetchException(reason, true, e);
        }
        catch (IllegalArgumentException e) {
            throw new FetchException("invalid URL: " + e.getMessage(), false, e);
        }
    }

    private synchronized HttpTransport http() throws FetchException {
        if (closed) {
            throw new FetchException("interrupted: the fetch step is ending", false, null);
        }
        if (http == null) {
            http = new HttpTransport(settings.connectTimeout(), limits.idleTimeout(), limits.perHost());
        }
        return http;
    }

    /** Aborts the exchanges under way; later requests fail. */
    @Override
    public synchronized void close() {
        closed = true;
        if (http != null) {
            http.close();
        }
    }

    /**
     * A final status other than 2xx: 408, 429 and 5xx are transient, with the wait a 429
     * or 503 asks for.
     */
    private static FetchException statusFailure(int status, HttpTransport.Exchange headers) {
        String reason = FailureReasons.statusLine(status);
        if (status >= 300 && status < 400) {
            return new FetchException(reason + " (redirect not followed)", false, null);
        }
        boolean transientStatus = status == 408 || status == 429 || status >= 500;
        Duration retryAfter = (status == 429 || status == 503) ? retryAfter(headers) : null;
        return new FetchException(reason, transientStatus, null, retryAfter);
    }

    /** Retry-After as delta-seconds or HTTP date; null when absent or unreadable. */
    static Duration retryAfter(HttpTransport.Exchange headers) {
        String value = headers.firstValue("Retry-After").map(String::strip).orElse(null);
        if (value == null || value.isEmpty()) {
            return null;
        }
        try {
            long seconds = Long.parseLong(value);
            return seconds < 0 ? null : Duration.ofSeconds(seconds);
        }
        catch (NumberFormatException e) {
            try {
                Duration d = Duration.between(ZonedDateTime.now(),
                        ZonedDateTime.parse(value, DateTimeFormatter.RFC_1123_DATE_TIME));
                return d.isNegative() ? Duration.ZERO : d;
            }
            catch (DateTimeParseException e2) {
                return null;
            }
        }
    }

    /** Content-Length, when present and a number of bytes. */
    static OptionalLong contentLength(HttpTransport.Exchange headers) {
        try {
            OptionalLong length = headers.firstValueAsLong("Content-Length");
            return length.isPresent() && length.getAsLong() >= 0 ? length : OptionalLong.empty();
        }
        catch (NumberFormatException e) {
            return OptionalLong.empty();
        }
    }

}
