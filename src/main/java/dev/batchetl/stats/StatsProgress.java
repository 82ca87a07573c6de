package dev.batchetl.stats;

import java.io.Console;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.batch.core.ExitStatus;
import org.springframework.batch.core.listener.StepExecutionListener;
import org.springframework.batch.core.step.StepExecution;

/**
 * Progress of the statistics step in this process: partitions done of those planned, bytes read of the bytes to read,
 * rate and ETA. In an interactive terminal a live line redrawn every half second; otherwise the same logged every 5
 * seconds; a summary line when the step ends. The partitions report their bytes at every checkpoint, so a big file
 * shows progress long before it ends. (Partitions run by remote workers report in their own processes.)
 */
final class StatsProgress implements StepExecutionListener {

	private static final Logger log = LoggerFactory.getLogger(StatsProgress.class);

	private final LongAdder read = new LongAdder();

	private final AtomicInteger done = new AtomicInteger();

	private final PrintWriter terminal;

	private final LongSupplier nanoTime;

	private final boolean ticking;

	private volatile long totalBytes = -1;

	private volatile int partitions = -1;

	private long startNanos;

	private boolean started;

	private int shown;

	private ScheduledExecutorService ticker;

	StatsProgress() {
		this(terminal(), System::nanoTime, true);
	}

	StatsProgress(PrintWriter terminal, LongSupplier nanoTime, boolean ticking) {
		this.terminal = terminal;
		this.nanoTime = nanoTime;
		this.ticking = ticking;
	}

	private static PrintWriter terminal() {
		Console console = System.console();
		return console == null ? null : console.writer();
	}

	/** What the partitioner planned: that many partitions over that many bytes (unknown on a restart). */
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
	public synchronized void beforeStep(StepExecution stepExecution) {
		this.read.reset();
		this.done.set(0);
		this.startNanos = this.nanoTime.getAsLong();
		this.started = true;
		if (!this.ticking) {
			return;
		}
		long period = this.terminal != null ? 500 : Duration.ofSeconds(5).toMillis();
		this.ticker = Executors.newSingleThreadScheduledExecutor(r -> {
			Thread t = new Thread(r, "stats-progress");
			t.setDaemon(true);
			return t;
		});
		this.ticker.scheduleAtFixedRate(this::tick, period, period, TimeUnit.MILLISECONDS);
	}

	@Override
	public synchronized ExitStatus afterStep(StepExecution stepExecution) {
		if (!this.started) {
			return null;
		}
		this.started = false;
		if (this.ticker != null) {
			this.ticker.shutdownNow();
			this.ticker = null;
		}
		if (this.terminal != null && this.shown > 0) {
			draw(line());
			this.terminal.print("\n");
			this.terminal.flush();
			this.shown = 0;
		}
		if (this.done.get() > 0) {
			log.info("stats: {} partition(s), {} read in {} s ({}/s)", this.done.get(), size(this.read.sum()),
					String.format(Locale.ROOT, "%.1f", seconds()), size((long) rate()));
		}
		return null;
	}

	/** Redraws the live line, or logs it when not in a terminal; nothing before the first byte is read. */
	synchronized void tick() {
		if (!this.started || this.read.sum() == 0 && this.done.get() == 0) {
			return;
		}
		if (this.terminal != null) {
			draw(line());
		}
		else {
			log.info(line());
		}
	}

	/** {@code stats 3/8 partitions, 412.0 MiB of 900.0 MiB, 96.1 MiB/s, ETA 5s}. */
	String line() {
		long bytes = this.read.sum();
		double rate = rate();
		String of = this.totalBytes >= 0 ? " of " + size(this.totalBytes) : "";
		String eta = this.totalBytes < 0 || rate <= 0 ? "?"
				: String.format(Locale.ROOT, "%.0fs", Math.max(0, this.totalBytes - bytes) / rate);
		String partitionsPlanned = this.partitions >= 0 ? "/" + this.partitions : "";
		return String.format(Locale.ROOT, "stats %d%s partitions, %s%s, %s/s, ETA %s", this.done.get(),
				partitionsPlanned, size(bytes), of, size((long) rate), eta);
	}

	private void draw(String text) {
		this.terminal.print("\r" + text + " ".repeat(Math.max(0, this.shown - text.length())));
		this.terminal.flush();
		this.shown = text.length();
	}

	private double seconds() {
		return (this.nanoTime.getAsLong() - this.startNanos) / 1e9;
	}

	private double rate() {
		double seconds = seconds();
		return seconds <= 0 ? 0 : this.read.sum() / seconds;
	}

	static String size(long n) {
		if (n < 1024) {
			return n + " B";
		}
		if (n < 1024 * 1024) {
			return String.format(Locale.ROOT, "%.1f KiB", n / 1024.0);
		}
		return String.format(Locale.ROOT, "%.1f MiB", n / (1024.0 * 1024));
	}

}
