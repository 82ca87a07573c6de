package dev.batchetl.fetch;

import java.io.PrintWriter;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

import dev.batchetl.progress.LiveLine;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Progress of the fetch step. In an interactive terminal a live line (files done/total,
 * bytes, rate, ETA, failures) is redrawn in place every half second; otherwise the same
 * is logged every few seconds. Each failure is logged as it happens (in a terminal, the
 * live line is cleared first so the log line stands alone, and redrawn at the next tick),
 * and the step ends with the final live line, a line break and a summary line.
 */
final class FetchProgress {

    private static final Logger log = LoggerFactory.getLogger(FetchProgress.class);

    private final AtomicInteger finished = new AtomicInteger();

    private final AtomicInteger notModified = new AtomicInteger();

    private final AtomicInteger failed = new AtomicInteger();

    private final AtomicLong bytes = new AtomicLong();

    private final LiveLine live;

    private final LongSupplier nanoTime;

    private final boolean ticking;

    private volatile int total;

    /**
     * Bytes received by the downloads, those under way included; null to count finished
     * downloads only.
     */
    private volatile LongSupplier received;

    private volatile long startNanos;

    FetchProgress() {
        this(LiveLine.terminal(), System::nanoTime, true);
    }

    /**
     * @param terminal where the live line is drawn, or null to log progress instead
     * @param nanoTime the clock ({@link System#nanoTime()})
     * @param ticking whether a thread of its own calls {@link #tick()} (every half second
     * in a terminal, every 5 seconds otherwise); false leaves that to the caller
     */
    FetchProgress(PrintWriter terminal, LongSupplier nanoTime, boolean ticking) {
        this.live = new LiveLine(terminal, log, this::line);
        this.nanoTime = nanoTime;
        this.ticking = ticking;
    }

    /**
     * Counts the bytes of the downloads under way too, from {@code received} (the
     * downloader's count of body bytes received): one big source no longer shows 0 B
     * until it ends.
     */
    void counting(LongSupplier received) {
        this.received = received;
    }

    void start(int total) {
        this.total = total;
        this.startNanos = this.nanoTime.getAsLong();
        if (total == 0) {
            return;
        }
        log.info("fetch: {} source(s) to fetch", total);
        this.live.start("fetch-progress", this.ticking);
    }

    void done(FetchItem item, FetchOutcome outcome) {
        this.finished.incrementAndGet();
        if (outcome.notModified()) {
            this.notModified.incrementAndGet();
        }
        else {
            this.bytes.addAndGet(outcome.bytes());
        }
        log.debug("fetch {} {} ({} bytes, {} ms, {} attempt(s))", outcome.notModified() ? "not modified" : "done",
                item.target(), outcome.bytes(), outcome.elapsed().toMillis(), outcome.attempts());
    }

    void failed(FetchItem item, String reason) {
        int n = this.finished.incrementAndGet();
        this.failed.incrementAndGet();
        synchronized (this.live) {
            this.live.clear();
            log.warn("fetch [{}/{}] FAILED {}: {}", n, this.total, item.source(), reason);
        }
    }

    /**
     * Logs a warning about the step as a whole, on a line of its own in a terminal (the
     * live line makes way).
     */
    void warn(String message) {
        synchronized (this.live) {
            this.live.clear();
            log.warn(message);
        }
    }

    /** Redraws the live line in place, or logs it when not in a terminal. */
    void tick() {
        this.live.tick();
    }

    /**
     * Stops the live line or periodic log: the live line is drawn a last time and ended;
     * then the summary.
     */
    void stop() {
        synchronized (this.live) {
            if (!this.live.running()) {
                return;
            }
            this.live.stop(true);
        }
        int done = this.finished.get() - this.failed.get() - this.notModified.get();
        log.info("fetch: {} done, {} not modified, {} failed, {} in {} s ({}/s)", done, this.notModified.get(),
                this.failed.get(), LiveLine.size(this.bytes.get()), String.format(Locale.ROOT, "%.1f", seconds()),
                LiveLine.size((long) rate()));
    }

    /**
     * One progress line: files done/total, bytes (those of downloads under way included),
     * rate, ETA and failures.
     */
    String line() {
        int n = this.finished.get();
        LongSupplier counter = this.received;
        long bytes = counter == null ? this.bytes.get() : Math.max(this.bytes.get(), counter.getAsLong());
        double seconds = seconds();
        double rate = seconds <= 0 ? 0 : bytes / seconds;
        double perFile = n == 0 ? 0 : seconds / n;
        String eta = n == 0 ? "?" : String.format(Locale.ROOT, "%.0fs", perFile * (this.total - n));
        return String.format(Locale.ROOT, "fetch %d/%d files, %s, %s/s, ETA %s, %d failed", n, this.total,
                LiveLine.size(bytes), LiveLine.size((long) rate), eta, this.failed.get());
    }

    private double seconds() {
        return (this.nanoTime.getAsLong() - this.startNanos) / 1e9;
    }

    private double rate() {
        double seconds = seconds();
        return seconds <= 0 ? 0 : this.bytes.get() / seconds;
    }

}
