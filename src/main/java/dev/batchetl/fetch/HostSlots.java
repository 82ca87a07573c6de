package dev.batchetl.fetch;

import java.net.URI;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * The download slots of each host (scheme, host and port): at most {@code perHost}
 * downloads from one host at a time, taken in the order they asked.
 */
final class HostSlots {

    private final int perHost;

    private final Map<String, Semaphore> slots = new ConcurrentHashMap<>();

    HostSlots(int perHost) {
        this.perHost = perHost;
    }

    /**
     * Waits until {@code deadline} ({@link System#nanoTime()}) for a free slot of the
     * URI's host; the slot to release when the download ends, or null when there is no
     * limit.
     */
    Semaphore acquire(URI uri, long deadline) throws FetchException {
        if (this.perHost == Integer.MAX_VALUE) {
            return null;
        }
        String key = uri.getScheme().toLowerCase(Locale.ROOT) + "://" + uri.getHost() + ":" + uri.getPort();
        Semaphore slot = this.slots.computeIfAbsent(key, k -> new Semaphore(this.perHost, true));
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

}
