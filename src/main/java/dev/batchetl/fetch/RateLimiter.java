package dev.batchetl.fetch;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * A token bucket shared by all downloads: {@code bytesPerSecond} tokens a second, a burst
 * of one second. A caller takes the tokens for the bytes it just received and, when the
 * bucket ran dry, waits until they are paid back.
 */
final class RateLimiter {

    private final double bytesPerNano;

    private final double capacity;

    private double tokens;

    private long refilled;

    RateLimiter(long bytesPerSecond) {
        this.bytesPerNano = bytesPerSecond / 1e9;
        this.capacity = bytesPerSecond;
        this.tokens = this.capacity;
        this.refilled = System.nanoTime();
    }

    /** Takes {@code bytes} tokens, waiting as long as the bucket is in debt. */
    void acquire(long bytes) {
        long wait = reserve(bytes);
        long until = System.nanoTime() + wait;
        while (wait > 0 && !Thread.currentThread().isInterrupted()) {
            LockSupport.parkNanos(wait);
            wait = until - System.nanoTime();
        }
    }

    private synchronized long reserve(long bytes) {
        long now = System.nanoTime();
        this.tokens = Math.min(this.capacity, this.tokens + (now - this.refilled) * this.bytesPerNano);
        this.refilled = now;
        this.tokens -= bytes;
        return this.tokens >= 0 ? 0 : (long) Math.min(-this.tokens / this.bytesPerNano, TimeUnit.HOURS.toNanos(1));
    }

}
