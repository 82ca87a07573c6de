package dev.batchetl.fetch;

import java.io.Console;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Progress of the fetch step. In an interactive terminal a live line (files done/total, bytes, rate, ETA, failures)
 * is redrawn in place every half second; otherwise the same is logged every few seconds. Each failure is logged as it
 * happens (in a terminal, the live line is cleared first so the log line stands alone, and redrawn at the next tick),
 * and the step ends with the final live line, a line break and a summary line.
 */
final class FetchProgress {

	private static final Logger log = LoggerFactory.getLogger(FetchProgress.class);

	private static final Duration LOG_EVERY = Duration.ofSeconds(5);

	private static final Duration DRAW_EVERY = Duration.ofMillis(500);

	private final AtomicInteger finished = new AtomicInteger();

	private final AtomicInteger notModified = new AtomicInteger();

	private final AtomicInteger failed = new AtomicInteger();

	private final AtomicLong bytes = new AtomicLong();

	/** Where the live line is drawn, null when not in an interactive terminal. */
	private final PrintWriter terminal;

	private final LongSupplier nanoTime;

	private final boolean ticking;

	private volatile int total;

	/** Bytes received by the downloads, those under way included; null to count finished downloads only. */
	private volatile LongSupplier received;

	private volatile long startNanos;

	private boolean started;

	/** Length of the live line on the terminal, 0 when none is shown. */
	private int shown;

	private ScheduledExecutorService ticker;

	FetchProgress() {
		this(terminal(), System::nanoTime, true);
	}

	/**
	 * @param terminal where the live line is drawn, or null to log progress instead
	 * @param nanoTime the clock ({@link System#nanoTime()})
	 * @param ticking  whether a thread of its own calls {@link #tick()} (every half second in a terminal, every 5
	 *                 seconds otherwise); false leaves that to the caller
	 */
	FetchProgress(PrintWriter terminal, LongSupplier nanoTime, boolean ticking) {
		this.terminal = terminal;
		this.nanoTime = nanoTime;
		this.ticking = ticking;
	}

	private static PrintWriter terminal() {
		Console console = System.console();
		return console == null ? null : console.writer();
	}

	/**
	 * Counts the bytes of the downloads under way too, from {@code received} (the downloader's count of body bytes
	 * received): one big source no longer shows 0 B until it ends.
	 */
	void counting(LongSupplier received) {
		this.received = received;
	}

	synchronized void start(int total) {
		this.total = total;
		this.startNanos = this.nanoTime.getAsLong();
		if (total == 0) {
			return;
		}
		this.started = true;
		log.info("fetch: {} source(s) to fetch", total);
		if (!this.ticking) {
			return;
		}
		long period = (this.terminal != null ? DRAW_EVERY : LOG_EVERY).toMillis();
		this.ticker = Executors.newSingleThreadScheduledExecutor(r -> {
			Thread t = new Thread(r, "fetch-progress");
			t.setDaemon(true);
			return t;
		});
		this.ticker.scheduleAtFixedRate(this::tick, period, period, TimeUnit.MILLISECONDS);
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
		synchronized (this) {
			clear();
			log.warn("fetch [{}/{}] FAILED {}: {}", n, this.total, item.source(), reason);
		}
	}

	/** Logs a warning about the step as a whole, on a line of its own in a terminal (the live line makes way). */
	synchronized void warn(String message) {
		clear();
		log.warn(message);
	}

	/** Redraws the live line in place, or logs it when not in a terminal. */
	synchronized void tick() {
		if (!this.started) {
			return; // stopped meanwhile (the ticker may have waited for the lock while stop() ran)
		}
		if (this.terminal != null) {
			draw(line());
		}
		else {
			log.info(line());
		}
	}

	/** Stops the live line or periodic log: the live line is drawn a last time and ended; then the summary. */
	synchronized void stop() {
		if (!this.started) {
			return;
		}
		this.started = false;
		if (this.ticker != null) {
			this.ticker.shutdownNow();
			this.ticker = null;
		}
		if (this.terminal != null) {
			draw(line());
			this.terminal.print("\n");
			this.terminal.flush();
			this.shown = 0;
		}
		int done = this.finished.get() - this.failed.get() - this.notModified.get();
		log.info("fetch: {} done, {} not modified, {} failed, {} in {} s ({}/s)", done, this.notModified.get(),
				this.failed.get(), size(this.bytes.get()), String.format(Locale.ROOT, "%.1f", seconds()),
				size((long) rate()));
	}

	/** One progress line: files done/total, bytes (those of downloads under way included), rate, ETA and failures. */
	String line() {
		int n = this.finished.get();
		LongSupplier counter = this.received;
		long bytes = counter == null ? this.bytes.get() : Math.max(this.bytes.get(), counter.getAsLong());
		double seconds = seconds();
		double rate = seconds <= 0 ? 0 : bytes / seconds;
		double perFile = n == 0 ? 0 : seconds / n;
		String eta = n == 0 ? "?" : String.format(Locale.ROOT, "%.0fs", perFile * (this.total - n));
		return String.format(Locale.ROOT, "fetch %d/%d files, %s, %s/s, ETA %s, %d failed", n, this.total,
				size(bytes), size((long) rate), eta, this.failed.get());
	}

	/** Draws {@code text} over the live line: back to the line's start, blanking what is left of a longer one. */
	private void draw(String text) {
		this.terminal.print("\r" + text + " ".repeat(Math.max(0, this.shown - text.length())));
		this.terminal.flush();
		this.shown = text.length();
	}

	/** Blanks the live line and leaves the cursor at its start, so that a log line can take its place. */
	private void clear() {
		if (this.terminal != null && this.shown > 0) {
			this.terminal.print("\r" + " ".repeat(this.shown) + "\r");
			this.terminal.flush();
			this.shown = 0;
		}
	}

	private double seconds() {
		return (this.nanoTime.getAsLong() - this.startNanos) / 1e9;
	}

	private double rate() {
		double seconds = seconds();
		return seconds <= 0 ? 0 : this.bytes.get() / seconds;
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
