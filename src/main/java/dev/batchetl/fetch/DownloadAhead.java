package dev.batchetl.fetch;

import java.net.URI;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The downloads of the fetch step, on {@code threads} threads of their own, started ahead of the chunks. A
 * multi-threaded chunk commits when its slowest download ends; the reader starts the first sources of the next
 * chunk before that (see {@link PendingSourceReader}), so threads that are done with a chunk go on downloading
 * instead of waiting at its end. The processor only collects a download's result ({@link #take}); what is recorded,
 * and when, is still decided by the chunk's transaction. A download started ahead and not yet committed when the
 * process dies is simply done again by the restart.
 */
final class DownloadAhead implements AutoCloseable {

	private final Downloader downloader;

	private final Path dir;

	private final FetchProgress progress;

	private final FetchStepConfiguration.FailedSourcesLimit failedLimit;

	private final ExecutorService threads;

	private final Map<Integer, Future<FetchResult>> started = new ConcurrentHashMap<>();

	private volatile boolean closed;

	DownloadAhead(Downloader downloader, Path dir, FetchProgress progress,
			FetchStepConfiguration.FailedSourcesLimit failedLimit, int threads) {
		this.downloader = downloader;
		this.dir = dir;
		this.progress = progress;
		this.failedLimit = failedLimit;
		AtomicInteger n = new AtomicInteger();
		this.threads = Executors.newFixedThreadPool(threads, r -> {
			Thread t = new Thread(r, "fetch-" + n.incrementAndGet());
			t.setDaemon(true);
			return t;
		});
	}

	/** Starts downloading the source (once), unless it is started already. */
	void start(FetchItem item) {
		this.started.computeIfAbsent(item.line(), line -> this.threads.submit(() -> download(item)));
	}

	/**
	 * The result of the source's download, started now if it was not: DONE or FAILED, or null when it was not
	 * attempted (max-failed-sources was passed before its turn came, or the step is ending): it stays PENDING.
	 */
	FetchResult take(FetchItem item) throws InterruptedException {
		start(item);
		Future<FetchResult> download = this.started.get(item.line());
		try {
			return download.get();
		}
		catch (CancellationException ex) {
			return null;
		}
		catch (ExecutionException ex) {
			Throwable cause = ex.getCause();
			if (cause instanceof RuntimeException runtime) {
				throw runtime;
			}
			if (cause instanceof Error error) {
				throw error;
			}
			throw new IllegalStateException(cause);
		}
		finally {
			this.started.remove(item.line());
		}
	}

	private FetchResult download(FetchItem item) {
		if (this.closed || !this.failedLimit.allowsMore()) {
			return null;
		}
		long start = System.nanoTime();
		try {
			FetchOutcome outcome = this.downloader.fetch(URI.create(item.source()), item.expectedSha256(),
					this.dir.resolve(item.target()), item.previous());
			this.progress.done(item, outcome);
			return FetchResult.done(item, outcome);
		}
		catch (FetchException ex) {
			if (this.closed) {
				return null; // cut off by the end of the step: not a failure of the source
			}
			this.failedLimit.failed();
			this.progress.failed(item, ex.reason());
			return FetchResult.failed(item, ex.reason(), Math.max(1, ex.attempts()),
					(System.nanoTime() - start) / 1_000_000);
		}
	}

	/** Ends the step's downloads: those started ahead and not taken are abandoned (their part files stay). */
	@Override
	public void close() {
		this.closed = true;
		// nobody waits for these any more; should anyone still, take() then answers null (not attempted)
		this.started.values().forEach(download -> download.cancel(true));
		this.threads.shutdownNow();
		this.downloader.close();
	}

}
