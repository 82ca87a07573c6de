package dev.batchetl.fetch;

import java.time.Duration;
import java.util.Objects;

/**
 * Timeouts and retry behaviour of a {@link Downloader}.
 *
 * @param connectTimeout time allowed to establish a connection
 * @param readTimeout total time allowed for one attempt, from sending the request to the
 * last byte of the body
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

    /**
     * 10s connect, 5min per attempt, 3 attempts, 500ms initial backoff doubling up to
     * 10s.
     */
    public static DownloadSettings defaults() {
        return new DownloadSettings(Duration.ofSeconds(10), Duration.ofMinutes(5), 3, Duration.ofMillis(500), 2.0,
                Duration.ofSeconds(10));
    }

    private static void requirePositive(Duration d, String name) {
        Objects.requireNonNull(d, name);
        if (d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(name + " must be positive: " + d);
        }
    }
}
