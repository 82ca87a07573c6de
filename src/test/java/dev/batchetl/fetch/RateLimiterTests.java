package dev.batchetl.fetch;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link RateLimiter}: a token bucket of {@code rate} bytes a second holding at most one
 * second's worth. Whatever the callers took, by the time the last of them returns, is at
 * most that one second plus the time since the first call at the rate: so taking
 * {@code total} bytes lasts at least {@code total / rate - 1 s}. Only lower bounds are
 * asserted.
 */
class RateLimiterTests {

    private static final long RATE = 1024 * 1024;

    @Test
    void threadsSharingTheLimiterGetNoMoreThanTheRateAfterTheFirstSecond() throws Exception {
        int threads = 4;
        int chunks = 32;
        int chunk = 16 * 1024;
        long total = (long) threads * chunks * chunk; // 2 MiB: at least 1 s at 1 MiB/s
                                                      // after the first second
        long start = System.nanoTime();
        RateLimiter limiter = new RateLimiter(RATE);
        List<Thread> workers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            Thread worker = new Thread(() -> {
                for (int i = 0; i < chunks; i++) {
                    limiter.acquire(chunk);
                }
            });
            worker.start();
            workers.add(worker);
        }
        for (Thread worker : workers) {
            worker.join();
        }
        long elapsed = System.nanoTime() - start;
        assertThat(elapsed).isGreaterThanOrEqualTo((long) ((double) total / RATE * 1e9) - 1_000_000_000L);
    }

    @Test
    void anIdleBucketSavesUpNoMoreThanOneSecond() throws Exception {
        RateLimiter limiter = new RateLimiter(RATE);
        Thread.sleep(1500); // idle: a bucket without a cap would now hold 1.5 s worth
        long start = System.nanoTime();
        limiter.acquire(RATE); // the full bucket: no wait
        limiter.acquire(RATE / 2); // half a second in debt
        long elapsed = System.nanoTime() - start;
        assertThat(elapsed).isGreaterThanOrEqualTo(500_000_000L);
    }

}
