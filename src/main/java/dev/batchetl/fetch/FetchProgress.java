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

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Progress of the fetch step. In an interactive terminal a live line (files done/total, bytes, rate, ETA, failures)
 * is redrawn every half second; otherwise the same is logged every few seconds. Each failure is logged as it happens,
 * and the step ends with a summary line.
 */
final class FetchProgress {

	private static final Logger log = LoggerFactory.getLogger(FetchProgress.class);

	private static final Duration LOG_EVERY = Duration.ofSeconds(5);

	private final AtomicInteger finished = new AtomicInteger();

	private final AtomicInteger notModified = new AtomicInteger();

	private final AtomicInteger failed = new AtomicInteger();

	private final AtomicLong bytes = new AtomicLong();

	private final Console console;

	private volatile int total;

	private volatile long startNanos;

	private ScheduledExecutorService ticker;

	FetchProgress() {
		this(System.console());
	}

	FetchProgress(Console console) {
		this.console = console;
	}

	synchronized void start(int total) {
		this.total = total;
		this.startNanos = System.nanoTime();
		if (total == 0) {
			return;
		}
		log.info("fetch: {} source(s) to fetch", total);
		boolean live = this.console != null;
		long period = live ? 500 : LOG_EVERY.toMillis();
		this.ticker = Executors.newSingleThreadScheduledExecutor(r -> {
			Thread t = new Thread(r, "fetch-progress");
			t.setDaemon(true);
			return t;
		});
		this.ticker.scheduleAtFixedRate(() -> report(live), period, period, TimeUnit.MILLISECONDS);
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
		log.warn("fetch [{}/{}] FAILED {}: {}", n, this.total, item.source(), reason);
	}

	/** Stops the live line or periodic log and logs the summary. */
	synchronized void stop() {
		if (this.ticker == null) {
			return;
		}
		this.ticker.shutdownNow();
		this.ticker = null;
		if (this.console != null) {
			PrintWriter out = this.console.writer();
			out.print("\r" + " ".repeat(100) + "\r");
			out.flush();
		}
		int done = this.finished.get() - this.failed.get() - this.notModified.get();
		log.info("fetch: {} done, {} not modified, {} failed, {} in {} s ({}/s)", done, this.notModified.get(),
				this.failed.get(), size(this.bytes.get()), String.format(Locale.ROOT, "%.1f", seconds()),
				size((long) rate()));
	}

	/** One progress line: files done/total, bytes, rate, ETA and failures. */
	String line() {
		int n = this.finished.get();
		double rate = rate();
		double perFile = n == 0 ? 0 : seconds() / n;
		String eta = n == 0 ? "?" : String.format(Locale.ROOT, "%.0fs", perFile * (this.total - n));
		return String.format(Locale.ROOT, "fetch %d/%d files, %s, %s/s, ETA %s, %d failed", n, this.total,
				size(this.bytes.get()), size((long) rate), eta, this.failed.get());
	}

	private void report(boolean live) {
		if (live) {
			PrintWriter out = this.console.writer();
			out.print("\r" + line() + "   ");
			out.flush();
		}
		else {
			log.info(line());
		}
	}

	private double seconds() {
		return (System.nanoTime() - this.startNanos) / 1e9;
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
