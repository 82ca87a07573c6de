package dev.batchetl.fetch;

import java.time.Duration;

/**
 * Result of a successful {@link Downloader#fetch}.
 *
 * @param bytes size of the stored file
 * @param sha256 SHA-256 of the stored file, 64 lower-case hex characters
 * @param httpStatus HTTP status of the successful response, {@code null} for
 * {@code file:} sources
 * @param etag the response's ETag header, or {@code null}
 * @param lastModified the response's Last-Modified header, or {@code null}
 * @param attempts attempts made, 1 when the first one succeeded
 * @param elapsed wall-clock time of the whole fetch, retries and waits included
 * @param notModified true when the server answered 304 and the verified local file was
 * kept
 */
public record FetchOutcome(long bytes, String sha256, Integer httpStatus, String etag, String lastModified,
        int attempts, Duration elapsed, boolean notModified) {
}
