package dev.batchetl.fetch;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.UnresolvedAddressException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

import dev.batchetl.stats.CsvFiles;
import org.apache.hc.client5.http.ConnectTimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.core.retry.RetryException;
import org.springframework.core.retry.RetryPolicy;
import org.springframework.core.retry.RetryTemplate;

/**
 * Downloads {@code http:}, {@code https:} and {@code file:} sources into local files,
 * safely.
 *
 * <p>
 * The body is streamed to a hidden temporary file next to the target
 * ({@code "." + name + ".part"}) while its SHA-256 is computed; its length is checked
 * against Content-Length, the expected checksum (if any) is verified, the file is forced
 * to disk and then moved over the target atomically. On failure the target is left as it
 * was, so a complete older file survives and a partial file never appears under the final
 * name.
 *
 * <p>
 * An HTTP download that breaks off mid-body is resumed, by the next attempt or by a later
 * fetch of the same URI into the same target (even from another process), with
 * {@code Range: bytes=N-} and {@code If-Range}. For that, when a 200 response carries
 * Content-Length and a validator (a strong ETag, else Last-Modified), its resume data
 * ({@link Resume}: URI, validators and length) is recorded before any body byte is
 * written, as an attribute of the part file created for it (where the file system holds
 * none, a sidecar {@code "." + name + ".part.meta"}), and a transient failure keeps the
 * part file and its resume data. A 206 must continue the part exactly (Content-Range from
 * its length to the recorded total); the bytes already on disk are read back into the
 * checksum, so length and SHA-256 always describe the whole file. A 200 instead (the
 * server ignored the range, or the validator no longer matches) starts over; a 416 or a
 * 206 that does not fit drops the part and asks once more for the whole body. Permanent
 * failures, and transient ones without usable resume data, remove part file and sidecar.
 * {@code file:} sources are always copied from the start.
 *
 * <p>
 * A complete part file is forced to disk once, its bytes, its length and (for a claim)
 * its completion record ({@link Completion}) together, then renamed into place and its
 * folder forced too: the rename is durable before {@link #fetch} returns.
 *
 * <p>
 * Transient failures (connect errors, timeouts, I/O errors while reading, truncated
 * bodies, HTTP 408, 429 and 5xx) are retried with exponential backoff and jitter, waiting
 * at least as long as a Retry-After header on 429/503 asks (capped at
 * {@link DownloadSettings#maxBackoff()}). Other HTTP statuses of 400 and above, and
 * everything else, fail at once.
 *
 * <p>
 * {@code readTimeout} bounds the whole fetch of a source, all attempts and waits
 * included; the idle timeout of {@link FetchLimits} bounds every wait for the response
 * headers or for the next bytes of a body, so a server that stalls fails the attempt
 * early (and it is retried).
 *
 * <p>
 * Limits ({@link FetchLimits}): downloads per host, an overall rate, a maximum body size
 * (a larger body is aborted), redirects followed by hand up to a limit and never to
 * another scheme, an optional host allow-list checked on every hop, and root folders for
 * {@code file:} sources. A {@code gzip} Content-Encoding is decoded (Content-Length then
 * counts the encoded bytes); the stored file, its length and its SHA-256 are the decoded
 * content. TLS certificates and host names are always verified (the JDK defaults).
 *
 * <p>
 * Given what an earlier run recorded ({@link PreviousFetch}), and a local file of the
 * recorded length, the request is conditional (If-None-Match, If-Modified-Since); a 304
 * keeps the local file once its SHA-256 is checked against the recorded one, and fetches
 * the whole body when it does not match.
 *
 * <p>
 * Instances are thread-safe and meant to be shared; concurrent fetches into the same
 * target are serialised.
 */
public final class Downloader implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Downloader.class);

    private static final int BUFFER_SIZE = 128 * 1024;

    /**
     * A body is forced to disk every this many bytes while it arrives, so that its last
     * force has little left.
     */
    private static final long SYNC_EVERY = 8L << 20;

    private static final Pattern SHA256 = Pattern.compile("[0-9a-fA-F]{64}");

    private static final HexFormat HEX = HexFormat.of();

    private final DownloadSettings settings;

    // built by the first http(s) request: a run of file: sources, or of none, needs no
    // client and no TLS context
    private HttpTransport http;

    private final RetryTemplate retryTemplate;

    private final Map<Path, TargetLock> targetLocks = new HashMap<>();

    private final FetchLimits limits;

    private final Map<String, Semaphore> hostSlots = new java.util.concurrent.ConcurrentHashMap<>();

    private final RateLimiter rate;

    private final List<Path> fileRoots;

    /**
     * Whether resume data and completion records go into the part file's attributes where
     * the file system allows.
     */
    private final boolean attributes;

    private volatile boolean closed;

    public Downloader(DownloadSettings settings) {
        this(settings, FetchLimits.none());
    }

    Downloader(DownloadSettings settings, FetchLimits limits) {
        this(settings, limits, true);
    }

    /**
     * With {@code attributes} false, resume data and completion records are always files
     * beside the part file.
     */
    Downloader(DownloadSettings settings, FetchLimits limits, boolean attributes) {
        this.attributes = attributes;
        this.settings = Objects.requireNonNull(settings, "settings");
        this.limits = Objects.requireNonNull(limits, "limits");
        this.rate = limits.bytesPerSecond() > 0 ? new RateLimiter(limits.bytesPerSecond()) : null;
        this.fileRoots = limits.fileRoots().stream().map(Downloader::realPath).toList();
        Duration initial = settings.initialBackoff();
        Duration max = settings.maxBackoff().isZero() ? Duration.ofMillis(1) : settings.maxBackoff();
        RetryPolicy policy = RetryPolicy.builder()
            .maxRetries(settings.maxAttempts() - 1L)
            .delay(initial)
            .multiplier(settings.backoffMultiplier())
            .jitter(initial.dividedBy(4))
            .maxDelay(max)
            .predicate(t -> t instanceof FetchException fe && fe.transientFailure())
            .build();
        this.retryTemplate = new RetryTemplate(policy);
    }

    /**
     * Fetches {@code uri} into {@code target}.
     * @param uri an absolute {@code http:}, {@code https:} or {@code file:} URI
     * @param expectedSha256 64 hex digits the content's SHA-256 must match, or
     * {@code null} for no check
     * @param target absolute path of the file to create or replace; its folder must exist
     * @return what was stored
     * @throws FetchException when the download failed after all attempts;
     * {@link FetchException#attempts()} tells how many were made
     */
    public FetchOutcome fetch(URI uri, String expectedSha256, Path target) throws FetchException {
        return fetch(uri, expectedSha256, target, null);
    }

    /**
     * As {@link #fetch(URI, String, Path)}, conditionally when {@code previous} says what
     * an earlier run stored.
     */
    FetchOutcome fetch(URI uri, String expectedSha256, Path target, PreviousFetch previous) throws FetchException {
        return fetch(uri, expectedSha256, target, previous, null);
    }

    /**
     * As {@link #fetch(URI, String, Path, PreviousFetch)}; with a {@code claim} (who
     * asks: a job instance and a line of its list), a finished download leaves a
     * {@link Completion} record, forced to disk before the rename, until the caller has
     * recorded the result and calls {@link #settled}. A download of the same claim that
     * finds such a record and the file as it describes takes the file over without a
     * request: a process killed between the rename and its record does not cost the
     * download again.
     */
    FetchOutcome fetch(URI uri, String expectedSha256, Path target, PreviousFetch previous, String claim)
            throws FetchException {
        Objects.requireNonNull(uri, "uri");
        Objects.requireNonNull(target, "target");
        if (closed) {
            throw new IllegalStateException("Downloader is closed");
        }
        if (!target.isAbsolute() || target.getFileName() == null) {
            throw new IllegalArgumentException("target must be an absolute file path: " + target);
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https") && !scheme.equals("file")) {
            throw new IllegalArgumentException("unsupported URI (expected http, https or file): " + uri);
        }
        String expected = null;
        if (expectedSha256 != null) {
            if (!SHA256.matcher(expectedSha256).matches()) {
                throw new IllegalArgumentException("expectedSha256 must be 64 hex digits: " + expectedSha256);
            }
            expected = expectedSha256.toLowerCase(Locale.ROOT);
        }
        if (!scheme.equals("file") && !limits.hostAllowed(uri.getHost())) {
            throw new FetchException("host not allowed (allowed-hosts): " + uri.getHost(), false, null);
        }
        Path normalTarget = target.normalize();
        long start = System.nanoTime();
        Attempts attempts = new Attempts();
        attempts.deadline = start + settings.readTimeout().toNanos();
        attempts.previous = previous != null && previous.usable() ? previous : null;
        attempts.claim = claim;
        TargetLock lock = lock(normalTarget);
        try {
            Completion done = Completion.adopt(normalTarget, claim, uri);
            if (done != null && (expected == null || expected.equals(done.sha256()))) {
                return new FetchOutcome(done.length(), done.sha256(), done.httpStatus(), done.etag(),
                        done.lastModified(), 1, Duration.ofNanos(System.nanoTime() - start), false);
            }
            String checksum = expected;
            Result result = retryTemplate.execute(() -> attempt(attempts, uri, scheme, checksum, normalTarget));
            return new FetchOutcome(result.bytes, result.sha256, result.httpStatus, result.etag, result.lastModified,
                    attempts.count.get(), Duration.ofNanos(System.nanoTime() - start), result.notModified);
        }
        catch (RetryException e) {
            FetchException failure;
            Throwable last = e.getLastException();
            if (Thread.currentThread().isInterrupted()) {
                failure = new FetchException("interrupted", false, e);
            }
            else if (last instanceof FetchException fe) {
                failure = fe;
            }
            else if (last instanceof RuntimeException re) {
                throw re; // a bug or bad argument, not a download failure
            }
            else if (last instanceof Error error) {
                throw error;
            }
            else {
                failure = new FetchException("unexpected error: " + describe(last), false, last);
            }
            failure.attempts(Math.max(1, attempts.count.get()));
            throw failure;
        }
        finally {
            unlock(normalTarget, lock);
        }
    }

    /**
     * Body bytes received (and copied, for {@code file:} sources) so far, by all
     * downloads, finished or not.
     */
    private final java.util.concurrent.atomic.LongAdder received = new java.util.concurrent.atomic.LongAdder();

    /**
     * Body bytes received so far by all downloads of this downloader, those still under
     * way included.
     */
    long received() {
        return received.sum();
    }

    /**
     * The result of the download into {@code target} is recorded: its {@link Completion}
     * record goes.
     */
    void settled(Path target) {
        Completion.settle(target.normalize());
    }

    /** Stops the threads of this downloader; later calls to {@link #fetch} fail. */
    @Override
    public void close() {
        closed = true;
        synchronized (this) {
            if (http != null) {
                http.close();
            }
        }
    }

    // ------------------------------------------------------------------------------------------
    // one attempt

    private Result attempt(Attempts attempts, URI uri, String scheme, String expected, Path target)
            throws FetchException {
        if (attempts.count.getAndIncrement() > 0) {
            honourRetryAfter(attempts);
        }
        if (System.nanoTime() - attempts.deadline >= 0) {
            throw new FetchException("timeout: not fetched within " + human(settings.readTimeout()) + " (after "
                    + (attempts.count.get() - 1) + " attempts)", false, null);
        }
        Path part = target.resolveSibling("." + target.getFileName() + ".part");
        Path meta = part.resolveSibling(part.getFileName() + ".meta");
        Semaphore slot = null;
        try {
            if (!Files.isDirectory(target.getParent())) {
                throw new FetchException("no such folder: " + target.getParent(), false, null);
            }
            Result result;
            if (scheme.equals("file")) {
                deleteQuietly(meta); // a local copy is cheap: never resumed
                result = copyFile(uri, part);
            }
            else {
                slot = hostSlot(uri, attempts.deadline);
                result = download(uri, part, meta, target, expected, attempts);
            }
            if (expected != null && !expected.equals(result.sha256)) {
                throw new FetchException("checksum mismatch: expected " + expected + ", got " + result.sha256, false,
                        null);
            }
            if (!result.notModified) {
                seal(part, target, uri, attempts.claim, result);
                // one force for the bytes, the length and the completion record attached
                // to the part file
                forceWhole(part);
                moveIntoPlace(part, target);
            }
            deleteQuietly(meta);
            return result;
        }
        catch (FetchException e) {
            // A part file is kept for a later attempt (or process) only when it can be
            // resumed: the failure may go
            // away and the resume data that validates a resume is there. Anything else
            // starts from scratch next time.
            if (!e.transientFailure() || !Resume.kept(part, meta)) {
                deleteQuietly(part);
                deleteQuietly(meta);
            }
            if (e.retryAfter() != null) {
                attempts.retryAfter = e.retryAfter();
                attempts.failedAt = System.nanoTime();
            }
            else {
                attempts.retryAfter = null;
            }
            throw e;
        }
        catch (RuntimeException | Error e) {
            deleteQuietly(part);
            deleteQuietly(meta);
            throw e;
        }
        finally {
            if (slot != null) {
                slot.release();
            }
        }
    }

    /**
     * Makes a complete part file ready to go into place: its resume data goes, and for a
     * {@code claim} its completion record comes, as the part file's attribute (made
     * durable by the part file's last force, and taken along by the rename), or where the
     * file system holds none, as a file beside the target, forced to disk.
     */
    private void seal(Path part, Path target, URI uri, String claim, Result result) {
        if (attributes) {
            Resume.detach(part);
        }
        if (claim == null) {
            return;
        }
        Completion completion = new Completion(result.bytes, result.sha256, result.httpStatus, result.etag,
                result.lastModified);
        if (attributes && Completion.attach(part, claim, uri, completion)) {
            return;
        }
        try {
            Completion.write(Completion.of(target), claim, uri, completion);
        }
        catch (IOException e) {
            deleteQuietly(Completion.of(target)); // only a kill before the record would
                                                  // cost more
        }
    }

    /** Waits for one of the {@code perHost} download slots of the URI's host. */
    private Semaphore hostSlot(URI uri, long deadline) throws FetchException {
        if (limits.perHost() == Integer.MAX_VALUE) {
            return null;
        }
        String key = uri.getScheme().toLowerCase(Locale.ROOT) + "://" + uri.getHost() + ":" + uri.getPort();
        Semaphore slot = hostSlots.computeIfAbsent(key, k -> new Semaphore(limits.perHost(), true));
        try {
            if (!slot.tryAcquire(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
                throw new FetchException("timeout: waited for a free download slot of " + uri.getHost() + " (per-host)",
                        false, null);
            }
            return slot;
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new FetchException("interrupted", false, e);
        }
    }

    /**
     * Makes the total wait since the last failure at least what the server asked for,
     * capped at maxBackoff.
     */
    private void honourRetryAfter(Attempts attempts) throws FetchException {
        Duration asked = attempts.retryAfter;
        if (asked == null) {
            return;
        }
        Duration wanted = asked.compareTo(settings.maxBackoff()) > 0 ? settings.maxBackoff() : asked;
        long remaining = Math.min(wanted.toNanos() - (System.nanoTime() - attempts.failedAt),
                attempts.deadline - System.nanoTime());
        if (remaining > 0) {
            try {
                TimeUnit.NANOSECONDS.sleep(remaining);
            }
            catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new FetchException("interrupted", false, e);
            }
        }
    }

    /**
     * One HTTP attempt. Resumes {@code part} with a Range request when its sidecar
     * {@code meta} says how (see {@link Resume}); otherwise, or when the server cannot
     * continue it, the body is fetched from the start.
     */
    private Result download(URI uri, Path part, Path meta, Path target, String expected, Attempts attempts)
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
                    String local = sha256Of(target);
                    if (conditional.sha256().equals(local)) {
                        complete = true;
                        return new Result(conditional.bytes(), local, 304,
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
                    deleteQuietly(meta);
                    deleteQuietly(part);
                    resume = null;
                    continue;
                }
                if (status == 206 && resume == null) {
                    throw new FetchException("HTTP 206 Partial Content to a request without Range", false, null);
                }
                if (status < 200 || status > 299) {
                    throw statusFailure(status, response);
                }
                String type = response.firstValue("Content-Type").orElse("").strip().toLowerCase(Locale.ROOT);
                if (type.startsWith("text/html") && CsvFiles.isCsvName(target.getFileName().toString())) {
                    // a folder's listing or a portal's error page, which the statistics
                    // would read as a CSV file
                    throw new FetchException("the server sent an HTML page (Content-Type: text/html), not CSV: a"
                            + " folder listing or an error page?", false, null);
                }
                String encoding = response.firstValue("Content-Encoding")
                    .orElse("identity")
                    .strip()
                    .toLowerCase(Locale.ROOT);
                boolean gzip = encoding.equals("gzip") || encoding.equals("x-gzip");
                if (!gzip && !encoding.equals("identity") && !encoding.isEmpty()) {
                    throw new FetchException("unsupported Content-Encoding: " + encoding, false, null);
                }
                OptionalLong declared = contentLength(response);
                if (!gzip && declared.isPresent() && declared.getAsLong() > limits.maxFileSize()) {
                    throw tooLarge();
                }
                Result result;
                if (gzip && status != 206) {
                    result = receiveGzip(response, deadline, status, part, meta);
                }
                else if (status == 206) {
                    result = receiveRest(response, deadline, resume, part, meta);
                }
                else {
                    result = receiveWhole(response, deadline, status, uri, part, meta);
                }
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

    /**
     * The SHA-256 of a file as 64 lower-case hex digits, or null when it cannot be read.
     */
    static String sha256Of(Path file) {
        MessageDigest digest = sha256();
        try (FileChannel in = FileChannel.open(file, StandardOpenOption.READ)) {
            ByteBuffer buffer = ByteBuffer.allocate(BUFFER_SIZE);
            while (in.read(buffer) >= 0) {
                buffer.flip();
                digest.update(buffer);
                buffer.clear();
            }
            return HEX.formatHex(digest.digest());
        }
        catch (IOException e) {
            return null;
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

    private synchronized HttpTransport http() throws FetchException {
        if (closed) {
            throw new FetchException("interrupted: the fetch step is ending", false, null);
        }
        if (http == null) {
            http = new HttpTransport(settings.connectTimeout(), limits.idleTimeout(), limits.perHost());
        }
        return http;
    }

    private HttpTransport.Exchange send(URI uri, Resume resume, PreviousFetch conditional, long deadline)
            throws FetchException {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
            throw new FetchException("timeout: no response within " + human(settings.readTimeout()), true, null);
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
            throw new FetchException("timeout: no response within " + human(settings.readTimeout()), true, e);
        }
        catch (ConnectTimeoutException e) {
            throw new FetchException("connect timeout after " + human(settings.connectTimeout()), true, e);
        }
        catch (SocketTimeoutException e) {
            throw new FetchException("timeout: no response within " + human(limits.idleTimeout()), true, e);
        }
        catch (ConnectException e) {
            throw new FetchException(connectFailure(uri, e), true, e);
        }
        catch (InterruptedIOException e) {
            throw new FetchException("I/O error: " + describe(e), true, e);
        }
        catch (IOException e) {
            String reason = isUnknownHost(e) ? "unknown host: " + uri.getHost() : "I/O error: " + describe(e);
            throw new FetchException(reason, true, e);
        }
        catch (IllegalArgumentException e) {
            throw new FetchException("invalid URL: " + e.getMessage(), false, e);
        }
    }

    private FetchException tooLarge() {
        return new FetchException("too large: more than max-file-size (" + limits.maxFileSize() + " bytes)", false,
                null);
    }

    /**
     * A gzip-encoded 200: decoded into an emptied part file; never resumed (the ranges
     * would be of encoded bytes).
     */
    private Result receiveGzip(HttpTransport.Exchange body, long deadline, int status, Path part, Path meta)
            throws FetchException {
        HttpTransport.Exchange headers = body;
        deleteQuietly(meta);
        OptionalLong declared = contentLength(headers);
        WireStream wire = new WireStream(body, deadline, declared);
        try (PartWriter writer = PartWriter.create(part, this)) {
            byte[] buffer = new byte[BUFFER_SIZE];
            try (InputStream in = new GZIPInputStream(wire, BUFFER_SIZE)) {
                int n;
                while ((n = in.read(buffer)) >= 0) {
                    writer.accept(ByteBuffer.wrap(buffer, 0, n), OptionalLong.empty());
                }
            }
            catch (WireFailure e) {
                throw e.failure;
            }
            catch (EOFException e) {
                throw new FetchException("short body: gzip stream ended early after " + wire.count + " bytes", true, e);
            }
            catch (ZipException e) {
                throw new FetchException("corrupt gzip body: " + describe(e), false, e);
            }
            catch (IOException e) {
                throw new FetchException("I/O error after " + wire.count + " bytes: " + describe(e), true, e);
            }
            if (declared.isPresent() && wire.count != declared.getAsLong()) {
                throw new FetchException((wire.count < declared.getAsLong() ? "short" : "long") + " body: " + wire.count
                        + " of " + declared.getAsLong() + " encoded bytes", true, null);
            }
            writer.finish();
            return new Result(writer.bytes, HEX.formatHex(writer.digest.digest()), status,
                    headers.firstValue("ETag").orElse(null), headers.firstValue("Last-Modified").orElse(null), false);
        }
    }

    private static final class WireFailure extends IOException {

        private static final long serialVersionUID = 1L;

        final transient FetchException failure;

        WireFailure(FetchException failure) {
            super(failure.reason());
            this.failure = failure;
        }

    }

    /**
     * The encoded bytes of a body as a stream, with the same timeouts and rate limit as a
     * plain body.
     */
    private final class WireStream extends InputStream {

        private final HttpTransport.Exchange body;

        private final long deadline;

        private final OptionalLong declared;

        private ByteBuffer current = ByteBuffer.allocate(0);

        private List<ByteBuffer> pending = List.of();

        private int index;

        private boolean ended;

        long count;

        WireStream(HttpTransport.Exchange body, long deadline, OptionalLong declared) {
            this.body = body;
            this.deadline = deadline;
            this.declared = declared;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            while (!current.hasRemaining()) {
                if (index < pending.size()) {
                    current = pending.get(index++);
                    continue;
                }
                if (ended) {
                    return -1;
                }
                try {
                    List<ByteBuffer> chunk = nextChunk(body, deadline, limits.idleTimeout(), declared, count);
                    if (chunk == null) {
                        ended = true;
                    }
                    else {
                        pending = chunk;
                        index = 0;
                        long size = chunk.stream().mapToLong(ByteBuffer::remaining).sum();
                        count += size;
                        if (rate != null) {
                            rate.acquire(size);
                        }
                    }
                }
                catch (FetchException e) {
                    throw new WireFailure(e);
                }
            }
            int n = Math.min(len, current.remaining());
            current.get(b, off, n);
            return n;
        }

    }

    /**
     * A 200: the whole body into an emptied part file, after recording what a later
     * resume needs.
     */
    private Result receiveWhole(HttpTransport.Exchange body, long deadline, int status, URI uri, Path part, Path meta)
            throws FetchException {
        HttpTransport.Exchange headers = body;
        OptionalLong declared = contentLength(headers);
        String etag = headers.firstValue("ETag").orElse(null);
        String lastModified = headers.firstValue("Last-Modified").orElse(null);
        // the old sidecar goes first, so that no sidecar ever describes bytes of another
        // response
        deleteQuietly(meta);
        try (PartWriter writer = PartWriter.create(part, this)) {
            boolean rangesRefused = headers.firstValue("Accept-Ranges")
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
            writer.receive(body, deadline, declared, meta);
            return new Result(writer.bytes, HEX.formatHex(writer.digest.digest()), status, etag, lastModified, false);
        }
    }

    /**
     * A fitting 206: the bytes already in the part file count towards length and
     * checksum, the rest is appended.
     */
    private Result receiveRest(HttpTransport.Exchange body, long deadline, Resume resume, Path part, Path meta)
            throws FetchException {
        HttpTransport.Exchange headers = body;
        try (PartWriter writer = PartWriter.resume(part, resume.offset(), this)) {
            writer.receive(body, deadline, OptionalLong.of(resume.length()), meta);
            return new Result(writer.bytes, HEX.formatHex(writer.digest.digest()), 206,
                    headers.firstValue("ETag").orElse(resume.etag()),
                    headers.firstValue("Last-Modified").orElse(resume.lastModified()), false);
        }
    }

    private static List<ByteBuffer> nextChunk(HttpTransport.Exchange body, long deadline, Duration idle,
            OptionalLong declared, long bytes) throws FetchException {
        try {
            return body.next();
        }
        catch (HttpTransport.BodyTimeoutException e) {
            if (!body.expired() && System.nanoTime() - deadline < 0) {
                throw new FetchException("timeout: no data for " + human(idle) + " after " + bytes + " bytes", true, e);
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
            throw new FetchException("I/O error after " + bytes + " bytes: " + describe(e), true, e);
        }
    }

    private Result copyFile(URI uri, Path part) throws FetchException {
        Path source;
        try {
            source = Path.of(uri);
        }
        catch (IllegalArgumentException | java.nio.file.FileSystemNotFoundException e) {
            throw new FetchException("invalid file URL: " + e.getMessage(), false, e);
        }
        if (!Files.exists(source)) {
            throw new FetchException("no such file: " + source, false, null);
        }
        if (!fileRoots.isEmpty()) {
            Path real = realPath(source);
            if (fileRoots.stream().noneMatch(real::startsWith)) {
                throw new FetchException("outside the folders file: sources may read (file-roots): " + source, false,
                        null);
            }
        }
        if (!Files.isRegularFile(source)) {
            throw new FetchException("not a regular file: " + source, false, null);
        }
        MessageDigest digest = sha256();
        long bytes = 0;
        try (FileChannel out = openPart(part)) {
            try (FileChannel in = FileChannel.open(source, StandardOpenOption.READ)) {
                ByteBuffer buffer = ByteBuffer.allocate(BUFFER_SIZE);
                while (in.read(buffer) >= 0) {
                    buffer.flip();
                    bytes += buffer.remaining();
                    received.add(buffer.remaining());
                    if (bytes > limits.maxFileSize()) {
                        throw tooLarge();
                    }
                    digest.update(buffer.duplicate());
                    writeFully(buffer, out, part);
                    buffer.clear();
                }
            }
            catch (NoSuchFileException e) {
                throw new FetchException("no such file: " + source, false, e);
            }
            catch (IOException e) {
                throw new FetchException("cannot read " + source + ": " + describe(e), true, e);
            }
        }
        catch (IOException e) {
            throw new FetchException("cannot write " + part.getFileName() + ": " + describe(e), false, e);
        }
        return new Result(bytes, HEX.formatHex(digest.digest()), null, null, null, false);
    }

    /**
     * The path with links resolved as far as it exists (a root that does not exist yet
     * stays as written).
     */
    private static Path realPath(Path path) {
        try {
            return path.toRealPath();
        }
        catch (IOException e) {
            return path.toAbsolutePath().normalize();
        }
    }

    // ------------------------------------------------------------------------------------------
    // local files

    /**
     * A new, empty part file: the one of an earlier response goes first, with its
     * attributes, so that an attribute of this part file only ever describes this
     * response's bytes.
     */
    private static FileChannel openPart(Path part) throws FetchException {
        try {
            Files.deleteIfExists(part);
            return FileChannel.open(part, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
                    StandardOpenOption.WRITE);
        }
        catch (IOException e) {
            throw new FetchException("cannot create " + part + ": " + describe(e), false, e);
        }
    }

    private static void flush(ByteBuffer staging, FileChannel out, Path part) throws FetchException {
        staging.flip();
        writeFully(staging, out, part);
        staging.clear();
    }

    private static void writeFully(ByteBuffer buffer, FileChannel out, Path part) throws FetchException {
        try {
            while (buffer.hasRemaining()) {
                out.write(buffer);
            }
        }
        catch (IOException e) {
            throw new FetchException("cannot write " + part + ": " + describe(e), false, e);
        }
    }

    private static void forceData(FileChannel out, Path part) throws FetchException {
        try {
            out.force(false);
        }
        catch (IOException e) {
            throw new FetchException("cannot sync " + part + ": " + describe(e), false, e);
        }
    }

    private static void force(FileChannel out, Path part) throws FetchException {
        try {
            out.force(true);
        }
        catch (IOException e) {
            throw new FetchException("cannot sync " + part + ": " + describe(e), false, e);
        }
    }

    /**
     * Forces a complete part file to disk (bytes, length and attributes), through a
     * channel of its own.
     */
    private static void forceWhole(Path part) throws FetchException {
        try (FileChannel channel = FileChannel.open(part, StandardOpenOption.WRITE)) {
            channel.force(true);
        }
        catch (IOException e) {
            throw new FetchException("cannot sync " + part + ": " + describe(e), false, e);
        }
    }

    private static void moveIntoPlace(Path part, Path target) throws FetchException {
        try {
            Files.move(part, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        }
        catch (AtomicMoveNotSupportedException e) {
            throw new FetchException("cannot move into place atomically: " + target, false, e);
        }
        catch (IOException e) {
            throw new FetchException("cannot move into place " + target + ": " + describe(e), false, e);
        }
        syncFolder(target.getParent());
    }

    /**
     * Makes the rename durable where the platform allows syncing a directory (not on
     * Windows).
     */
    private static void syncFolder(Path folder) {
        try (FileChannel dir = FileChannel.open(folder, StandardOpenOption.READ)) {
            dir.force(true);
        }
        catch (IOException | RuntimeException e) {
            // best effort only
        }
    }

    static void deleteQuietly(Path part) {
        try {
            Files.deleteIfExists(part);
        }
        catch (IOException e) {
            // nothing more we can do; the next attempt truncates it
        }
    }

    // ------------------------------------------------------------------------------------------
    // HTTP details

    private static FetchException statusFailure(int status, HttpTransport.Exchange headers) {
        String phrase = reasonPhrase(status);
        String reason = "HTTP " + status + (phrase.isEmpty() ? "" : " " + phrase);
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

    static OptionalLong contentLength(HttpTransport.Exchange headers) {
        try {
            OptionalLong length = headers.firstValueAsLong("Content-Length");
            return length.isPresent() && length.getAsLong() >= 0 ? length : OptionalLong.empty();
        }
        catch (NumberFormatException e) {
            return OptionalLong.empty();
        }
    }

    static String reasonPhrase(int status) {
        return switch (status) {
            case 300 -> "Multiple Choices";
            case 301 -> "Moved Permanently";
            case 302 -> "Found";
            case 303 -> "See Other";
            case 304 -> "Not Modified";
            case 307 -> "Temporary Redirect";
            case 308 -> "Permanent Redirect";
            case 400 -> "Bad Request";
            case 401 -> "Unauthorized";
            case 402 -> "Payment Required";
            case 403 -> "Forbidden";
            case 404 -> "Not Found";
            case 405 -> "Method Not Allowed";
            case 406 -> "Not Acceptable";
            case 407 -> "Proxy Authentication Required";
            case 408 -> "Request Timeout";
            case 409 -> "Conflict";
            case 410 -> "Gone";
            case 411 -> "Length Required";
            case 412 -> "Precondition Failed";
            case 413 -> "Content Too Large";
            case 414 -> "URI Too Long";
            case 415 -> "Unsupported Media Type";
            case 416 -> "Range Not Satisfiable";
            case 421 -> "Misdirected Request";
            case 422 -> "Unprocessable Content";
            case 425 -> "Too Early";
            case 426 -> "Upgrade Required";
            case 428 -> "Precondition Required";
            case 429 -> "Too Many Requests";
            case 431 -> "Request Header Fields Too Large";
            case 451 -> "Unavailable For Legal Reasons";
            case 500 -> "Internal Server Error";
            case 501 -> "Not Implemented";
            case 502 -> "Bad Gateway";
            case 503 -> "Service Unavailable";
            case 504 -> "Gateway Timeout";
            case 505 -> "HTTP Version Not Supported";
            case 507 -> "Insufficient Storage";
            case 508 -> "Loop Detected";
            case 511 -> "Network Authentication Required";
            default -> "";
        };
    }

    private static String connectFailure(URI uri, Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            String message = t.getMessage();
            if (message != null && message.toLowerCase(Locale.ROOT).contains("refused")) {
                return "connection refused";
            }
        }
        if (isUnknownHost(e)) {
            return "unknown host: " + uri.getHost();
        }
        boolean anyMessage = false;
        for (Throwable t = e; t != null; t = t.getCause()) {
            anyMessage |= t.getMessage() != null && !t.getMessage().isBlank();
        }
        // The JDK 17 client reports a refused connection as bare ConnectExceptions over a
        // ClosedChannelException, without any message; a connect timeout has its own
        // exception type.
        return anyMessage ? "connect failed: " + describe(e) : "connection refused";
    }

    private static boolean isUnknownHost(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof UnknownHostException || t instanceof UnresolvedAddressException) {
                return true;
            }
        }
        return false;
    }

    /**
     * A short one-line description: the first non-empty message in the cause chain, or
     * the class name.
     */
    static String describe(Throwable e) {
        if (e == null) {
            return "unknown error";
        }
        for (Throwable t = e; t != null; t = t.getCause()) {
            String message = t.getMessage();
            if (message != null && !message.isBlank()) {
                return message.strip().replaceAll("\\s+", " ");
            }
        }
        return e.getClass().getSimpleName();
    }

    static String human(Duration d) {
        long ms = d.toMillis();
        if (ms < 1000) {
            return ms + "ms";
        }
        if (ms % 1000 == 0) {
            return ms / 1000 + "s";
        }
        return String.format(Locale.ROOT, "%.1fs", ms / 1000.0);
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        }
        catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 not available", e);
        }
    }

    // ------------------------------------------------------------------------------------------
    // plumbing

    private TargetLock lock(Path target) {
        TargetLock lock;
        synchronized (targetLocks) {
            lock = targetLocks.computeIfAbsent(target, t -> new TargetLock());
            lock.users++;
        }
        lock.lock.lock();
        return lock;
    }

    private void unlock(Path target, TargetLock lock) {
        lock.lock.unlock();
        synchronized (targetLocks) {
            if (--lock.users == 0) {
                targetLocks.remove(target);
            }
        }
    }

    private static final class TargetLock {

        final ReentrantLock lock = new ReentrantLock();

        int users; // guarded by targetLocks

    }

    /** Per-fetch retry bookkeeping; only touched by the fetching thread. */
    private static final class Attempts {

        final AtomicInteger count = new AtomicInteger();

        Duration retryAfter;

        long failedAt;

        long deadline;

        PreviousFetch previous;

        String claim;

    }

    private record Result(long bytes, String sha256, Integer httpStatus, String etag, String lastModified,
            boolean notModified) {
    }

    /**
     * Writes a body into the part file through a staging buffer while computing the
     * SHA-256 of the whole file; {@link #bytes} counts the bytes of the whole file,
     * including any that were in the part file before.
     */
    private static final class PartWriter implements AutoCloseable {

        final FileChannel out;

        final Path part;

        final MessageDigest digest = sha256();

        final ByteBuffer staging = ByteBuffer.allocate(BUFFER_SIZE);

        final Downloader owner;

        long bytes;

        long synced;

        private PartWriter(FileChannel out, Path part, Downloader owner) {
            this.out = out;
            this.part = part;
            this.owner = owner;
        }

        /**
         * An empty part file (made durable by {@link #durable()} before a sidecar may
         * describe it).
         */
        static PartWriter create(Path part, Downloader owner) throws FetchException {
            return new PartWriter(openPart(part), part, owner);
        }

        /**
         * Forces the part file, still empty, to disk: a sidecar written after this never
         * describes older bytes.
         */
        void durable() throws FetchException {
            force(out, part);
        }

        /**
         * The part file's first {@code offset} bytes, read back into the checksum; new
         * bytes are appended.
         */
        static PartWriter resume(Path part, long offset, Downloader owner) throws FetchException {
            FileChannel channel;
            try {
                channel = FileChannel.open(part, StandardOpenOption.READ, StandardOpenOption.WRITE);
            }
            catch (IOException e) {
                throw new FetchException("cannot open " + part + ": " + describe(e), false, e);
            }
            PartWriter writer = new PartWriter(channel, part, owner);
            try {
                ByteBuffer buffer = writer.staging;
                channel.position(0);
                while (writer.bytes < offset) {
                    buffer.clear();
                    buffer.limit((int) Math.min(buffer.capacity(), offset - writer.bytes));
                    int n = channel.read(buffer);
                    if (n < 0) {
                        throw new FetchException(
                                "cannot resume " + part.getFileName() + ": it shrank to " + writer.bytes + " bytes",
                                false, null);
                    }
                    buffer.flip();
                    writer.digest.update(buffer);
                    writer.bytes += n;
                }
                buffer.clear();
                channel.truncate(offset);
                channel.position(offset);
                writer.synced = offset;
                return writer;
            }
            catch (IOException e) {
                writer.close();
                throw new FetchException("cannot read " + part + ": " + describe(e), false, e);
            }
            catch (FetchException | RuntimeException e) {
                writer.close();
                throw e;
            }
        }

        /**
         * Streams the body until its end, which must come at {@code total} bytes of the
         * whole file when that is known. When the body breaks off, what arrived is kept
         * on disk for a later resume; a body longer than announced makes the part file
         * worthless, so its sidecar is removed.
         */
        void receive(HttpTransport.Exchange body, long deadline, OptionalLong total, Path meta) throws FetchException {
            boolean worthless = false;
            try {
                List<ByteBuffer> chunk;
                while ((chunk = nextChunk(body, deadline, owner.limits.idleTimeout(), total, bytes)) != null) {
                    for (ByteBuffer buffer : chunk) {
                        if (total.isPresent() && bytes + buffer.remaining() > total.getAsLong()) {
                            worthless = true;
                            throw new FetchException("long body: more than the " + total.getAsLong()
                                    + " bytes announced by Content-Length", true, null);
                        }
                        if (owner.rate != null) {
                            owner.rate.acquire(buffer.remaining());
                        }
                        accept(buffer, total);
                    }
                }
                if (total.isPresent() && bytes < total.getAsLong()) {
                    throw new FetchException("short body: " + bytes + " of " + total.getAsLong() + " bytes", true,
                            null);
                }
                finish();
            }
            catch (FetchException e) {
                if (worthless || !e.transientFailure()) {
                    Resume.discard(part, meta);
                }
                else if (e.transientFailure()) {
                    saveQuietly();
                }
                throw e;
            }
        }

        /**
         * Adds decoded bytes to the file and its checksum; a file above max-file-size is
         * abandoned.
         */
        void accept(ByteBuffer buffer, OptionalLong total) throws FetchException {
            if (bytes + buffer.remaining() > owner.limits.maxFileSize()) {
                throw owner.tooLarge();
            }
            bytes += buffer.remaining();
            owner.received.add(buffer.remaining());
            digest.update(buffer.duplicate());
            stage(buffer);
            if (bytes - synced >= SYNC_EVERY) {
                // the disk writes while the body is still arriving, instead of all at
                // once when it ends
                flush(staging, out, part);
                forceData(out, part);
                synced = bytes;
            }
        }

        /**
         * Puts the last bytes into the file; it is forced once complete
         * ({@link #forceWhole}), with its records.
         */
        void finish() throws FetchException {
            flush(staging, out, part);
        }

        private void stage(ByteBuffer buffer) throws FetchException {
            if (staging.position() == 0 && buffer.remaining() >= staging.capacity() / 2) {
                writeFully(buffer, out, part); // a large read goes to the file as it is,
                                               // without a copy
                return;
            }
            while (buffer.hasRemaining()) {
                if (!staging.hasRemaining()) {
                    flush(staging, out, part);
                }
                int n = Math.min(staging.remaining(), buffer.remaining());
                ByteBuffer slice = buffer.slice();
                slice.limit(n);
                staging.put(slice);
                buffer.position(buffer.position() + n);
            }
        }

        /**
         * Puts what arrived on disk, so that a resume can start after it; best effort.
         */
        private void saveQuietly() {
            try {
                flush(staging, out, part);
                force(out, part);
            }
            catch (FetchException e) {
                // the sidecar still holds; a resume starts after whatever made it to disk
            }
        }

        @Override
        public void close() {
            try {
                out.close();
            }
            catch (IOException e) {
                // everything that matters was forced to disk already, or the attempt
                // fails anyway
            }
        }

    }

}
