package dev.batchetl.stats;

import java.io.PrintWriter;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;

import dev.batchetl.progress.LiveLine;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.batch.core.ExitStatus;
import org.springframework.batch.core.listener.StepExecutionListener;
import org.springframework.batch.core.step.StepExecution;

/**
 * Progress of the statistics step in this process: partitions done of those planned,
 * bytes read of the bytes to read, rate and ETA. In an interactive terminal a live line
 * redrawn every half second; otherwise the same logged every 5 seconds; a summary line
 * when the step ends. The partitions report their bytes at every checkpoint, so a big
 * file shows progress long before it ends. (Partitions run by remote workers report in
 * their own processes.)
 */
final class StatsProgress implements StepExecutionListener {

    private static final Logger log = LoggerFactory.getLogger(StatsProgress.class);

    private final LongAdder read = new LongAdder();

    private final AtomicInteger done = new AtomicInteger();

    private final LiveLine live;

    private final LongSupplier nanoTime;

    private final boolean ticking;

    private volatile long totalBytes = -1;

    private volatile int partitions = -1;

    private volatile long startNanos;

    StatsProgress() {
        this(LiveLine.terminal(), System::nanoTime, true);
    }

    StatsProgress(PrintWriter terminal, LongSupplier nanoTime, boolean ticking) {
        // nothing is shown before the first byte is read: a step of small files says only
        // its summary
        this.live = new LiveLine(terminal, log, () -> this.read.sum() == 0 && this.done.get() == 0 ? null : line());
        this.nanoTime = nanoTime;
        this.ticking = ticking;
    }

    /**
     * What the partitioner planned: that many partitions over that many bytes (unknown on
     * a restart).
     */
    void planned(int partitions, long totalBytes) {
        this.partitions = partitions;
        this.totalBytes = totalBytes;
    }

    /** A partition read {@code bytes} more. */
    void read(long bytes) {
        if (bytes > 0) {
            this.read.add(bytes);
        }
    }

    /** A partition ended (completed or failed). */
    void partitionDone() {
        this.done.incrementAndGet();
    }

    @Override
    public void beforeStep(StepExecution stepExecution) {
        this.read.reset();
        this.done.set(0);
        this.startNanos = this.nanoTime.getAsLong();
        this.live.start("stats-progress", this.ticking);
    }

    @Override
    public ExitStatus afterStep(StepExecution stepExecution) {
        synchronized (this.live) {
            if (!this.live.running()) {
                return null;
            }
            this.live.stop(false);
        }
        if (this.done.get() > 0) {
            log.info("stats: {} partition(s), {} read in {} s ({}/s)", this.done.get(), LiveLine.size(this.read.sum()),
                    String.format(Locale.ROOT, "%.1f", seconds()), LiveLine.size((long) rate()));
        }
        return null;
    }

    /** Redraws the live line, or logs it when not in a terminal. */
    void tick() {
        this.live.tick();
    }

    /** {@code stats 3/8 partitions, 412.0 MiB of 900.0 MiB, 96.1 MiB/s, ETA 5s}. */
    String line() {
        long bytes = this.read.sum();
        double rate = rate();
        String of = this.totalBytes >= 0 ? " of " + LiveLine.size(this.totalBytes) : "";
        String eta = this.totalBytes < 0 || rate <= 0 ? "?"
                : String.format(Locale.ROOT, "%.0fs", Math.max(0, this.totalBytes - bytes) / rate);
        String partitionsPlanned = this.partitions >= 0 ? "/" + this.partitions : "";
        return String.format(Locale.ROOT, "stats %d%s partitions, %s%s, %s/s, ETA %s", this.done.get(),
                partitionsPlanned, LiveLine.size(bytes), of, LiveLine.size((long) rate), eta);
    }

    private double seconds() {
        return (this.nanoTime.getAsLong() - this.startNanos) / 1e9;
    }

    private double rate() {
        double seconds = seconds();
        return seconds <= 0 ? 0 : this.read.sum() / seconds;
    }

}
