package dev.batchetl.fetch;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.LongAdder;
import java.util.regex.Pattern;

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
 * content. TLS certificates and host names are always verified (the JVM's trust store).
 *
 * <p>
 * Given what an earlier run recorded ({@link PreviousFetch}), and a local file of the
 * recorded length, the request is conditional (If-None-Match, If-Modified-Since); a 304
 * keeps the local file once its SHA-256 is checked against the recorded one, and fetches
 * the whole body when it does not match.
 *
 * <p>
 * Instances are thread-safe and meant to be shared; concurrent fetches into the same
 * target are serialised. The work is done by {@link HttpDownload} (with
 * {@link GzipBody}), {@link FileCopy} and {@link PartFile}; this class validates the
 * request and runs the attempts.
 */
public final class Downloader implements AutoCloseable {

    private static final Pattern SHA256 = Pattern.compile("[0-9a-fA-F]{64}");

    private final DownloadSettings settings;

    private final FetchLimits limits;

    private final RetryTemplate retryTemplate;

    private final TargetLocks targetLocks = new TargetLocks();

    private final HostSlots hostSlots;

    /**
     * Body bytes received (and copied, for {@code file:} sources) so far, by all
     * downloads, finished or not.
     */
    private final LongAdder received = new LongAdder();

    private final HttpDownload http;

    private final FileCopy files;

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
        RateLimiter rate = limits.bytesPerSecond() > 0 ? new RateLimiter(limits.bytesPerSecond()) : null;
        this.hostSlots = new HostSlots(limits.perHost());
        this.http = new HttpDownload(settings, limits, attributes, rate, this.received);
        this.files = new FileCopy(limits.fileRoots(), limits.maxFileSize(), this.received);
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
        Attempts attempts = new Attempts(start + settings.readTimeout().toNanos(),
                previous != null && previous.usable() ? previous : null, claim);
        TargetLocks.TargetLock lock = targetLocks.lock(normalTarget);
        try {
            Completion done = Completion.adopt(normalTarget, claim, uri);
            if (done != null && (expected == null || expected.equals(done.sha256()))) {
                return new FetchOutcome(done.length(), done.sha256(), done.httpStatus(), done.etag(),
                        done.lastModified(), 1, Duration.ofNanos(System.nanoTime() - start), false);
            }
            String checksum = expected;
            Received result = retryTemplate.execute(() -> attempt(attempts, uri, scheme, checksum, normalTarget));
            return new FetchOutcome(result.bytes(), result.sha256(), result.httpStatus(), result.etag(),
                    result.lastModified(), attempts.count.get(), Duration.ofNanos(System.nanoTime() - start),
                    result.notModified());
        }
        catch (RetryException e) {
            throw failure(e, attempts);
        }
        finally {
            targetLocks.unlock(normalTarget, lock);
        }
    }

    /** The failure to report when the attempts gave up. */
    private static FetchException failure(RetryException e, Attempts attempts) {
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
            failure = new FetchException("unexpected error: " + FailureReasons.describe(last), false, last);
        }
        failure.attempts(Math.max(1, attempts.count.get()));
        return failure;
    }

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
        http.close();
    }

    private Received attempt(Attempts attempts, URI uri, String scheme, String expected, Path target)
            throws FetchException {
        if (attempts.count.getAndIncrement() > 0) {
            attempts.waitAsAsked(settings.maxBackoff());
        }
        if (System.nanoTime() - attempts.deadline >= 0) {
            throw new FetchException("timeout: not fetched within " + FailureReasons.human(settings.readTimeout())
                    + " (after " + (attempts.count.get() - 1) + " attempts)", false, null);
        }
        Path part = PartFile.of(target);
        Path meta = Resume.sidecar(part);
        Semaphore slot = null;
        try {
            if (!Files.isDirectory(target.getParent())) {
                throw new FetchException("no such folder: " + target.getParent(), false, null);
            }
            Received result;
            if (scheme.equals("file")) {
                PartFile.deleteQuietly(meta); // a local copy is cheap: never resumed
                result = files.copy(uri, part);
            }
            else {
                slot = hostSlots.acquire(uri, attempts.deadline);
                result = http.download(uri, part, meta, target, expected, attempts);
            }
            if (expected != null && !expected.equals(result.sha256())) {
                throw new FetchException("checksum mismatch: expected " + expected + ", got " + result.sha256(), false,
                        null);
            }
            if (!result.notModified()) {
                PartFile.seal(part, target, uri, attempts.claim, result, attributes);
                // one force for the bytes, the length and the completion record attached
                // to the part file
                PartFile.forceWhole(part);
                PartFile.moveIntoPlace(part, target);
            }
            PartFile.deleteQuietly(meta);
            return result;
        }
        catch (FetchException e) {
            // A part file is kept for a later attempt (or process) only when it can be
            // resumed: the failure may go away and the resume data that validates a
            // resume is there. Anything else starts from scratch next time.
            if (!e.transientFailure() || !Resume.kept(part, meta)) {
                PartFile.deleteQuietly(part);
                PartFile.deleteQuietly(meta);
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
            PartFile.deleteQuietly(part);
            PartFile.deleteQuietly(meta);
            throw e;
        }
        finally {
            if (slot != null) {
                slot.release();
            }
        }
    }

}
