package dev.batchetl.fetch;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The retry bookkeeping of one fetch: attempts made, the deadline of all attempts, and
 * the wait the server asked for before the next one; only touched by the fetching thread.
 */
final class Attempts {

    final AtomicInteger count = new AtomicInteger();

    /** End of all attempts, as {@link System#nanoTime()}. */
    final long deadline;

    /** Who asks (see {@link Downloader}), or null. */
    final String claim;

    /**
     * What an earlier run stored, while a conditional request may still use it; null once
     * the target turned out to have changed.
     */
    PreviousFetch previous;

    /** Wait the last failure's server asked for (Retry-After), or null. */
    Duration retryAfter;

    /** When the last failure happened, as {@link System#nanoTime()}. */
    long failedAt;

    Attempts(long deadline, PreviousFetch previous, String claim) {
        this.deadline = deadline;
        this.previous = previous;
        this.claim = claim;
    }

    /**
     * Makes the total wait since the last failure at least what the server asked for,
     * capped at {@code maxBackoff}, and never past the deadline.
     */
    void waitAsAsked(Duration maxBackoff) throws FetchException {
        Duration asked = this.retryAfter;
        if (asked == null) {
            return;
        }
        Duration wanted = asked.compareTo(maxBackoff) > 0 ? maxBackoff : asked;
        long remaining = Math.min(wanted.toNanos() - (System.nanoTime() - this.failedAt),
                this.deadline - System.nanoTime());
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

}
