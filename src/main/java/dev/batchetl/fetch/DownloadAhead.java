package dev.batchetl.fetch;

import java.net.URI;
import java.nio.file.Path;
import java.util.List;
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
 * instead of waiting at its end. Each download's result is recorded in {@code etl_fetch_item} as soon as the download
 * ends, on its own thread and in a transaction of its own: a file complete under its final name is recorded DONE
 * before anything else happens, so no restart requests it again, whatever the chunk size and however often the
 * process dies; a kill between the file's rename and that record is covered by the file's completion record
 * ({@link Completion}), which the next attempt takes over without a request. The processor only collects the result
 * ({@link #take}) for the step's counts. What a crash costs is the downloads under way, whose part files a restart
 * resumes.
 */
final class DownloadAhead implements AutoCloseable {

	private final Downloader downloader;

	private final FetchItemRepository items;

	private final Path dir;

	private final FetchProgress progress;

	private final FetchStepConfiguration.FailedSourcesLimit failedLimit;

	private final ExecutorService threads;

	private final Map<Integer, Future<FetchResult>> started = new ConcurrentHashMap<>();

	private volatile boolean closed;

	private volatile long jobExecutionId;

	DownloadAhead(Downloader downloader, FetchItemRepository items, Path dir, FetchProgress progress,
			FetchStepConfiguration.FailedSourcesLimit failedLimit, int threads) {
		this.downloader = downloader;
		this.items = items;
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

	/** The execution that the results are recorded for; set before the first download starts. */
	void recordFor(long jobExecutionId) {
		this.jobExecutionId = jobExecutionId;
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
		FetchOutcome outcome;
		try {
			outcome = this.downloader.fetch(URI.create(item.source()), item.expectedSha256(),
					this.dir.resolve(item.target()), item.previous(),
					"instance " + item.jobInstanceId() + " line " + item.line());
		}
		catch (FetchException ex) {
			if (this.closed) {
				return null; // cut off by the end of the step: not a failure of the source
			}
			this.failedLimit.failed();
			FetchResult failed = record(FetchResult.failed(item, ex.reason(), Math.max(1, ex.attempts()),
					(System.nanoTime() - start) / 1_000_000));
			this.progress.failed(item, ex.reason());
			return failed;
		}
		FetchResult done = record(FetchResult.done(item, outcome));
		// recorded: the completion record that covered a kill between the rename and this record can go
		this.downloader.settled(this.dir.resolve(item.target()));
		this.progress.done(item, outcome);
		return done;
	}

	/**
	 * Records the result at once (autocommit: this thread has no transaction); a database that cannot take it fails
	 * the download's future, and so the chunk and the step.
	 */
	private FetchResult record(FetchResult result) {
		this.items.record(List.of(result), this.jobExecutionId);
		return result;
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
