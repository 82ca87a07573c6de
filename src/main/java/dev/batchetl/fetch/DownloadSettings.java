package dev.batchetl.fetch;

import java.time.Duration;
import java.util.Objects;

/**
 * Timeouts and retry behaviour of a {@link Downloader}.
 *
 * @param connectTimeout time allowed to establish a connection
 * @param readTimeout time allowed for the whole fetch of a source, all attempts and the
 * waits between them included
 * @param maxAttempts attempts in total (1 = no retry)
 * @param initialBackoff wait before the first retry
 * @param backoffMultiplier factor applied to the wait after each retry (at least 1.0)
 * @param maxBackoff upper bound of any wait between attempts, including a server's
 * Retry-After
 */
public record DownloadSettings(Duration connectTimeout, Duration readTimeout, int maxAttempts, Duration initialBackoff,
        double backoffMultiplier, Duration maxBackoff) {

    public DownloadSettings {
        requirePositive(connectTimeout, "connectTimeout");
        requirePositive(readTimeout, "readTimeout");
        Objects.requireNonNull(initialBackoff, "initialBackoff");
        Objects.requireNonNull(maxBackoff, "maxBackoff");
        if (initialBackoff.isNegative()) {
            throw new IllegalArgumentException("initialBackoff must not be negative: " + initialBackoff);
        }
        if (maxBackoff.isNegative()) {
            throw new IllegalArgumentException("maxBackoff must not be negative: " + maxBackoff);
        }
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("maxAttempts must be at least 1: " + maxAttempts);
        }
        if (!(backoffMultiplier >= 1.0) || Double.isInfinite(backoffMultiplier)) {
            throw new IllegalArgumentException(
                    "backoffMultiplier must be a finite number >= 1.0: " + backoffMultiplier);
        }
    }

    private static void requirePositive(Duration d, String name) {
        Objects.requireNonNull(d, name);
        if (d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(name + " must be positive: " + d);
        }
    }
}
