package dev.batchetl.fetch;

import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.springframework.transaction.support.TransactionOperations;

/**
 * The downloads of the fetch step, on {@code threads} threads of their own, started ahead
 * of the chunks. A chunk commits when its slowest download ends; the reader starts the
 * sources of the next chunk before that (see {@link PendingSourceReader}), so threads
 * that are done with a chunk go on downloading instead of waiting at its end. Each
 * download's result is recorded in {@code etl_fetch_item} as soon as the download ends,
 * by a recorder thread that writes the results that ended meanwhile in one transaction
 * (one commit for many sources, on one connection, while the download threads go on with
 * the next sources): a file complete under its final name is recorded DONE before its
 * chunk commits, so no restart requests it again, whatever the chunk size and however
 * often the process dies; a kill between the file's rename and that record is covered by
 * the file's completion record ({@link Completion}), which the next attempt takes over
 * without a request, and which goes once the result is committed. The processor only
 * collects the recorded result ({@link #take}) for the step's counts. What a crash costs
 * is the downloads under way, whose part files a restart resumes.
 */
final class DownloadAhead implements AutoCloseable {

    private final Downloader downloader;

    private final FetchItemRepository items;

    private final Path dir;

    private final FetchProgress progress;

    private final FetchStepConfiguration.FailedSourcesLimit failedLimit;

    private final ExecutorService threads;

    private final TransactionOperations transactions;

    private final Map<Integer, CompletableFuture<FetchResult>> started = new ConcurrentHashMap<>();

    /**
     * Results of ended downloads, to be recorded; an element without a result stops the
     * recorder.
     */
    private final BlockingQueue<Ended> ended = new LinkedBlockingQueue<>();

    private final Thread recorder;

    private volatile boolean closed;

    private volatile long jobExecutionId;

    DownloadAhead(Downloader downloader, FetchItemRepository items, TransactionOperations transactions, Path dir,
            FetchProgress progress, FetchStepConfiguration.FailedSourcesLimit failedLimit, int threads) {
        this.downloader = downloader;
        this.items = items;
        this.transactions = transactions;
        this.dir = dir;
        this.progress = progress;
        this.failedLimit = failedLimit;
        AtomicInteger n = new AtomicInteger();
        this.threads = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "fetch-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        this.recorder = new Thread(this::recordEnded, "fetch-record");
        this.recorder.setDaemon(true);
    }

    /**
     * The execution that the results are recorded for; set before the first download
     * starts, as the step starts.
     */
    void recordFor(long jobExecutionId) {
        this.jobExecutionId = jobExecutionId;
        if (this.recorder.getState() == Thread.State.NEW) {
            this.recorder.start();
        }
    }

    /** Starts downloading the source (once), unless it is started already. */
    void start(FetchItem item) {
        this.started.computeIfAbsent(item.line(), line -> {
            CompletableFuture<FetchResult> result = new CompletableFuture<>();
            this.threads.execute(() -> download(item, result));
            return result;
        });
    }

    /**
     * The result of the source's download, started now if it was not: DONE or FAILED, or
     * null when it was not attempted (max-failed-sources was passed before its turn came,
     * or the step is ending): it stays PENDING.
     */
    FetchResult take(FetchItem item) throws InterruptedException {
        start(item);
        CompletableFuture<FetchResult> download = this.started.get(item.line());
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

    /**
     * Downloads the source and hands its result to the recorder, which completes
     * {@code result} once it is recorded.
     */
    private void download(FetchItem item, CompletableFuture<FetchResult> result) {
        try {
            FetchResult ended = download(item);
            if (ended == null) {
                result.complete(null);
            }
            else {
                this.ended.add(new Ended(ended, result));
            }
        }
        catch (RuntimeException | Error ex) {
            result.completeExceptionally(ex);
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
                return null; // cut off by the end of the step: not a failure of the
                             // source
            }
            this.failedLimit.failed();
            return FetchResult.failed(item, ex.reason(), Math.max(1, ex.attempts()),
                    (System.nanoTime() - start) / 1_000_000);
        }
        return FetchResult.done(item, outcome);
    }

    /**
     * The recorder thread: records the results that ended since its last commit in one
     * transaction, then completes their futures; a database that cannot take them fails
     * those futures, and so the chunk and the step.
     */
    private void recordEnded() {
        List<Ended> batch = new ArrayList<>();
        boolean stopping = false;
        while (!stopping) {
            try {
                batch.add(this.ended.take());
            }
            catch (InterruptedException ex) {
                return; // abandoned: the completion records cover what was not recorded
            }
            this.ended.drainTo(batch);
            stopping = batch.removeIf(Ended::stop);
            if (!batch.isEmpty()) {
                record(batch);
            }
            batch.clear();
        }
    }

    private void record(List<Ended> batch) {
        List<FetchResult> results = batch.stream().map(Ended::result).toList();
        try {
            this.transactions.executeWithoutResult(status -> this.items.record(results, this.jobExecutionId));
        }
        catch (RuntimeException | Error ex) {
            batch.forEach(ended -> ended.future().completeExceptionally(ex));
            return;
        }
        for (Ended ended : batch) {
            FetchResult result = ended.result();
            if (result.status() == FetchResult.Status.FAILED) {
                this.progress.failed(result.item(), result.error());
            }
            else {
                // recorded: the completion record that covered a kill between the rename
                // and this record can go
                this.downloader.settled(this.dir.resolve(result.item().target()));
                this.progress.done(result.item(), result.outcome());
            }
            ended.future().complete(result);
        }
    }

    /**
     * Ends the step's downloads: those started ahead and not taken are abandoned (their
     * part files stay); the results of those that ended are recorded first.
     */
    @Override
    public void close() {
        this.closed = true;
        // nobody waits for these any more; should anyone still, take() then answers null
        // (not attempted)
        this.started.values().forEach(download -> download.cancel(true));
        this.threads.shutdownNow();
        this.downloader.close(); // aborts the exchanges under way
        try {
            this.threads.awaitTermination(10, TimeUnit.SECONDS);
            if (this.recorder.isAlive()) {
                this.ended.add(new Ended(null, null));
                this.recorder.join(TimeUnit.SECONDS.toMillis(30));
            }
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
        this.recorder.interrupt();
    }

    /**
     * A download's result and the future that its recording completes; both null to stop
     * the recorder.
     */
    private record Ended(FetchResult result, CompletableFuture<FetchResult> future) {

        boolean stop() {
            return this.result == null;
        }

    }

}
