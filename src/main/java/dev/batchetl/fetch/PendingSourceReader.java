package dev.batchetl.fetch;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Iterator;
import java.util.List;

import dev.batchetl.job.EtlRequest;

import org.springframework.batch.core.listener.StepExecutionListener;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.batch.infrastructure.item.ItemReader;

/**
 * Reads the sources of this job instance that are not DONE, or those of one host group in
 * a partition of a remote fetch (the process-indicator pattern: the state lives in
 * {@code etl_fetch_item}, not in the execution context), so a restart never fetches a
 * committed source again. Once more sources failed than {@code max-failed-sources}
 * allows, it reads no more: the step ends after the downloads under way, and the sources
 * not read stay PENDING for a restart.
 *
 * <p>
 * Each source read is started at once on the download threads ({@link DownloadAhead}),
 * and so are the next {@code ahead} sources (a chunk's worth): the downloads of the next
 * chunk begin while the current chunk waits for its slowest one. Only {@code threads} of
 * them run at once; the others wait in the download threads' queue, where a source that
 * is not attempted before the step ends (or max-failed-sources is passed) stays PENDING.
 *
 * <p>
 * What it holds does not grow with the list beyond 8 bytes a source: the order of the
 * sources as their lines, read when the step starts, and a page of {@link #PAGE} sources
 * at a time ({@link FetchItemRepository#pending}).
 */
final class PendingSourceReader implements ItemReader<FetchItem>, StepExecutionListener {

    /** Sources read from {@code etl_fetch_item} at a time. */
    static final int PAGE = 1_000;

    private final FetchItemRepository items;

    private final FetchProgress progress;

    private final FetchStepConfiguration.FailedSourcesLimit failedLimit;

    private final DownloadAhead downloads;

    private final int ahead;

    private final HostGroup group;

    private final Deque<FetchItem> started = new ArrayDeque<>();

    /** The sources this execution takes, by line, in their order. */
    private FetchItemRepository.Pending pending;

    /** The page of sources read from {@link #pending} and not started yet. */
    private Iterator<FetchItem> page = List.<FetchItem>of().iterator();

    /** Where in {@link #pending} the next page begins. */
    private int next;

    PendingSourceReader(FetchItemRepository items, FetchProgress progress,
            FetchStepConfiguration.FailedSourcesLimit failedLimit, DownloadAhead downloads, int ahead,
            HostGroup group) {
        this.items = items;
        this.progress = progress;
        this.failedLimit = failedLimit;
        this.downloads = downloads;
        this.ahead = ahead;
        this.group = group;
    }

    @Override
    public void beforeStep(StepExecution stepExecution) {
        this.pending = this.items.pending(stepExecution.getJobExecution().getJobInstance().getInstanceId(),
                stepExecution.getJobParameters().getString(EtlRequest.DEFINITION), this.group);
        this.next = 0;
        this.page = List.<FetchItem>of().iterator();
        this.progress.start(this.pending.size());
    }

    @Override
    public synchronized FetchItem read() {
        // the source returned now and the next 'ahead' ones are under way
        while (this.started.size() <= this.ahead && hasNext() && this.failedLimit.allowsMore()) {
            FetchItem item = this.page.next();
            this.downloads.start(item);
            this.started.add(item);
        }
        return this.started.poll();
    }

    private boolean hasNext() {
        while (!this.page.hasNext() && this.next < this.pending.size()) {
            int to = Math.min(this.pending.size(), this.next + PAGE);
            this.page = this.items.page(this.pending, this.next, to).iterator();
            this.next = to;
        }
        return this.page.hasNext();
    }

}
