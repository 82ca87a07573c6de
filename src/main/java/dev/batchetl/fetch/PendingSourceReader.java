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
 * Reads the sources of this job instance that are not DONE (the process-indicator
 * pattern: the state lives in {@code etl_fetch_item}, not in the execution context), so a
 * restart never fetches a committed source again. Once more sources failed than
 * {@code max-failed-sources} allows, it reads no more: the step ends after the downloads
 * under way, and the sources not read stay PENDING for a restart.
 *
 * <p>
 * Each source read is started at once on the download threads ({@link DownloadAhead}),
 * and so are the next {@code ahead} sources (a chunk's worth): the downloads of the next
 * chunk begin while the current chunk waits for its slowest one. Only {@code threads} of
 * them run at once; the others wait in the download threads' queue, where a source that
 * is not attempted before the step ends (or max-failed-sources is passed) stays PENDING.
 */
final class PendingSourceReader implements ItemReader<FetchItem>, StepExecutionListener {

    private final FetchItemRepository items;

    private final FetchProgress progress;

    private final FetchStepConfiguration.FailedSourcesLimit failedLimit;

    private final DownloadAhead downloads;

    private final int ahead;

    private final Deque<FetchItem> started = new ArrayDeque<>();

    private Iterator<FetchItem> pending = List.<FetchItem>of().iterator();

    PendingSourceReader(FetchItemRepository items, FetchProgress progress,
            FetchStepConfiguration.FailedSourcesLimit failedLimit, DownloadAhead downloads, int ahead) {
        this.items = items;
        this.progress = progress;
        this.failedLimit = failedLimit;
        this.downloads = downloads;
        this.ahead = ahead;
    }

    @Override
    public void beforeStep(StepExecution stepExecution) {
        List<FetchItem> notDone = this.items.notDone(stepExecution.getJobExecution().getJobInstance().getInstanceId(),
                stepExecution.getJobParameters().getString(EtlRequest.DEFINITION));
        this.progress.start(notDone.size());
        this.pending = notDone.iterator();
    }

    @Override
    public synchronized FetchItem read() {
        // the source returned now and the next 'ahead' ones are under way
        while (this.started.size() <= this.ahead && this.pending.hasNext() && this.failedLimit.allowsMore()) {
            FetchItem next = this.pending.next();
            this.downloads.start(next);
            this.started.add(next);
        }
        return this.started.poll();
    }

}
