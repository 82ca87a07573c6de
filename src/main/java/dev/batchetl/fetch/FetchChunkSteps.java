package dev.batchetl.fetch;

import dev.batchetl.job.EtlParameters;

import org.springframework.batch.core.listener.StepExecutionListener;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.Step;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.batch.core.step.builder.StepBuilder;
import org.springframework.batch.core.ExitStatus;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Builds the fetch's chunk step for one execution: the step {@code fetch} of a local run,
 * and each partition ({@code fetch-hosts}) of a remote one. Its downloads run on
 * {@code threads} download threads of their own ({@link DownloadAhead}): the reader
 * starts each source as it reads it, and a chunk's worth ahead; the processor, on the
 * step's thread, only waits for each source's recorded result in turn, which costs no
 * more than waiting for them all at once (no task executor, no thread per item). A chunk
 * commits only when its slowest download is done, so a chunk holds several times
 * {@code threads} sources (default 4x, key {@code fetch-chunk}), and the next chunk's
 * sources are queued on the download threads before it ends (see
 * {@link PendingSourceReader}), so that no thread waits at its end. Sources whose size is
 * known from an earlier run come largest first.
 */
@Component
final class FetchChunkSteps {

    private final JobRepository jobRepository;

    private final PlatformTransactionManager transactionManager;

    private final FetchItemRepository items;

    FetchChunkSteps(JobRepository jobRepository, PlatformTransactionManager transactionManager,
            FetchItemRepository items) {
        this.jobRepository = jobRepository;
        this.transactionManager = transactionManager;
        this.items = items;
    }

    /**
     * The chunk step {@code name} over the run's sources not fetched yet, or only those
     * of {@code group}'s hosts.
     * @param group a partition's host group, or null for all the sources
     */
    Step build(String name, EtlParameters run, HostGroup group) {
        EtlParameters.Fetch fetch = run.fetch();
        DownloadSettings settings = new DownloadSettings(fetch.connectTimeout(), fetch.timeout(), fetch.attempts(),
                fetch.backoff(), 2.0, fetch.maxBackoff());
        Downloader downloader = new Downloader(settings, FetchStepConfiguration.limits(fetch));
        FetchProgress progress = new FetchProgress();
        progress.counting(downloader::received);
        FetchStepConfiguration.FailedSourcesLimit failedLimit = new FetchStepConfiguration.FailedSourcesLimit(
                this.items, fetch.maxFailedSources(), progress, group == null);
        DownloadAhead downloads = new DownloadAhead(downloader, this.items,
                new TransactionTemplate(this.transactionManager), run.dir(), progress, failedLimit, fetch.threads());
        // a chunk's worth queued ahead: threads that are done with a chunk go on while
        // its slowest download ends
        PendingSourceReader reader = new PendingSourceReader(this.items, progress, failedLimit, downloads,
                Math.max(fetch.threads(), fetch.chunk()), group);
        return new StepBuilder(name, this.jobRepository).<FetchItem, FetchResult>chunk(fetch.chunk())
            .transactionManager(this.transactionManager)
            .reader(reader)
            .processor(new DownloadProcessor(downloads))
            .writer(new FetchResultWriter())
            .listener(reader)
            .listener(new StepExecutionListener() {
                @Override
                public void beforeStep(StepExecution stepExecution) {
                    downloads.recordFor(stepExecution.getJobExecutionId());
                }

                @Override
                public ExitStatus afterStep(StepExecution stepExecution) {
                    progress.stop();
                    downloads.close();
                    return null;
                }
            })
            .listener(failedLimit)
            .build();
    }

}
