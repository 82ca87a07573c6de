package dev.batchetl.fetch;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Progress of the fetch step, logged as each source finishes: files done/total, bytes and failures. */
final class FetchProgress {

	private static final Logger log = LoggerFactory.getLogger(FetchProgress.class);

	private final AtomicInteger finished = new AtomicInteger();

	private final AtomicInteger failed = new AtomicInteger();

	private final AtomicLong bytes = new AtomicLong();

	private volatile int total;

	private volatile long startNanos;

	void start(int total) {
		this.total = total;
		this.startNanos = System.nanoTime();
		if (total > 0) {
			log.info("fetch: {} source(s) to fetch", total);
		}
	}

	void done(FetchItem item, FetchOutcome outcome) {
		int n = this.finished.incrementAndGet();
		long all = this.bytes.addAndGet(outcome.bytes());
		log.info("fetch [{}/{}] {} ({} bytes, {} ms){} | {} MiB at {} MiB/s, {} failed", n, this.total, item.target(),
				outcome.bytes(), outcome.elapsed().toMillis(), outcome.attempts() > 1 ? " after " + outcome.attempts()
						+ " attempts" : "", String.format("%.1f", all / 1048576.0), String.format("%.1f", rate(all)),
				this.failed.get());
	}

	void failed(FetchItem item, String reason) {
		int n = this.finished.incrementAndGet();
		this.failed.incrementAndGet();
		log.warn("fetch [{}/{}] FAILED {}: {}", n, this.total, item.source(), reason);
	}

	private double rate(long bytes) {
		double seconds = (System.nanoTime() - this.startNanos) / 1e9;
		return seconds <= 0 ? 0 : bytes / 1048576.0 / seconds;
	}

}
