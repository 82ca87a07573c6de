package dev.batchetl.fetch;

import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import dev.batchetl.job.EtlParameters;

import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.ExitStatus;
import org.springframework.batch.core.configuration.annotation.JobScope;
import org.springframework.batch.core.configuration.annotation.StepScope;
import org.springframework.batch.core.listener.StepExecutionListener;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.Step;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.batch.core.step.builder.StepBuilder;
import org.springframework.batch.core.step.tasklet.Tasklet;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Steps {@code fetch-plan} and {@code fetch}. The fetch step is a chunk step whose
 * downloads run on {@code threads} download threads of their own ({@link DownloadAhead}):
 * the reader starts each source as it reads it, and a chunk's worth ahead; the processor,
 * on the step's thread, only waits for each source's recorded result in turn, which costs
 * no more than waiting for them all at once (no task executor, no thread per item). A
 * chunk commits only when its slowest download is done, so a chunk holds several times
 * {@code threads} sources (default 4x, key {@code fetch-chunk}), and the next chunk's
 * sources are queued on the download threads before it ends (see
 * {@link PendingSourceReader}), so that no thread waits at its end. Sources whose size is
 * known from an earlier run come largest first.
 */
@Configuration(proxyBeanMethods = false)
class FetchStepConfiguration {

    @Bean
    Step fetchPlanStep(JobRepository jobRepository, PlatformTransactionManager transactionManager,
            @Qualifier("fetchPlanTasklet") Tasklet fetchPlanTasklet) {
        return new StepBuilder("fetch-plan", jobRepository).tasklet(fetchPlanTasklet, transactionManager).build();
    }

    @Bean
    @StepScope
    Tasklet fetchPlanTasklet(FetchItemRepository items, @Value("#{jobParameters}") Map<String, Object> parameters) {
        return new FetchPlanTasklet(items, EtlParameters.from(parameters));
    }

    /**
     * Job-scoped, not a singleton: its chunk size ({@code fetch-chunk}, or 4 x
     * {@code threads}) is a job parameter, read when the step is built. Its reader,
     * processor, writer and listeners share the downloads of this execution, so they are
     * built with it: one set per job execution, as the step runs once in each. Being
     * job-scoped, it keeps Spring Batch's {@code JobOperator.stop} from stopping the job:
     * after marking the execution STOPPING, the operator looks the running step up by
     * name outside any job scope, and fails (JobOperatorStopTests); the command line's
     * stop marks the execution STOPPING only, which the step reads at its next chunk
     * commit.
     */
    @Bean
    @JobScope
    Step fetchStep(JobRepository jobRepository, PlatformTransactionManager transactionManager,
            FetchItemRepository items, @Value("#{jobParameters}") Map<String, Object> parameters) {
        EtlParameters run = EtlParameters.from(parameters);
        EtlParameters.Fetch fetch = run.fetch();
        DownloadSettings settings = new DownloadSettings(fetch.connectTimeout(), fetch.timeout(), fetch.attempts(),
                fetch.backoff(), 2.0, fetch.maxBackoff());
        Downloader downloader = new Downloader(settings, limits(fetch));
        FetchProgress progress = new FetchProgress();
        progress.counting(downloader::received);
        FailedSourcesLimit failedLimit = new FailedSourcesLimit(items, fetch.maxFailedSources(), progress);
        DownloadAhead downloads = new DownloadAhead(downloader, items, new TransactionTemplate(transactionManager),
                run.dir(), progress, failedLimit, fetch.threads());
        // a chunk's worth queued ahead: threads that are done with a chunk go on while
        // its slowest download ends
        PendingSourceReader reader = new PendingSourceReader(items, progress, failedLimit, downloads,
                Math.max(fetch.threads(), fetch.chunk()));
        FetchResultWriter writer = new FetchResultWriter();
        return new StepBuilder("fetch", jobRepository).<FetchItem, FetchResult>chunk(fetch.chunk())
            .transactionManager(transactionManager)
            .reader(reader)
            .processor(new DownloadProcessor(downloads))
            .writer(writer)
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

    /** The limits of the fetch keys. */
    static FetchLimits limits(EtlParameters.Fetch fetch) {
        return new FetchLimits(fetch.readTimeout(), fetch.maxFileSize().toBytes(), fetch.maxRedirects(),
                fetch.perHost(), fetch.rateLimit() == null ? 0 : fetch.rateLimit().toBytes(), fetch.allowedHosts(),
                fetch.fileRoots());
    }

    /**
     * Key {@code max-failed-sources}, evaluated while the step runs: as soon as more
     * sources failed in this execution than allowed (a count, or a share of all the
     * sources the instance planned), the reader starts no new source; the downloads under
     * way finish and are recorded, and the step, so the run, fails (exit 1). The sources
     * not attempted stay PENDING, so a restart fetches them and the failed ones, and
     * nothing that was fetched. The same threshold is checked once more on the instance's
     * recorded statuses when the step ends.
     */
    static final class FailedSourcesLimit implements StepExecutionListener {

        private final FetchItemRepository items;

        private final String limit;

        private final FetchProgress progress;

        private final AtomicLong failed = new AtomicLong();

        private final AtomicBoolean stopped = new AtomicBoolean();

        private volatile long planned;

        FailedSourcesLimit(FetchItemRepository items, String limit, FetchProgress progress) {
            this.items = items;
            this.limit = limit;
            this.progress = progress;
        }

        @Override
        public void beforeStep(StepExecution stepExecution) {
            this.failed.set(0);
            this.stopped.set(false);
            if (!this.limit.equals("none")) {
                this.planned = this.items
                    .countByStatus(stepExecution.getJobExecution().getJobInstance().getInstanceId())
                    .values()
                    .stream()
                    .mapToLong(Long::longValue)
                    .sum();
            }
        }

        /** A source failed in this execution (called from the download threads). */
        void failed() {
            this.failed.incrementAndGet();
        }

        /**
         * Whether another source may be started: false once this execution's failures
         * passed the threshold.
         */
        boolean allowsMore() {
            if (this.limit.equals("none")) {
                return true;
            }
            long failedNow = this.failed.get();
            if (!exceeded(failedNow, this.planned, this.limit)) {
                return true;
            }
            if (this.stopped.compareAndSet(false, true)) {
                this.progress.warn("fetch: " + failedNow + " of " + this.planned + " sources failed, more than"
                        + " max-failed-sources=" + this.limit
                        + ": no new source is started; the downloads under way finish");
            }
            return false;
        }

        @Override
        public ExitStatus afterStep(StepExecution stepExecution) {
            if (this.limit.equals("none") || stepExecution.getStatus() != BatchStatus.COMPLETED) {
                return null;
            }
            Map<String, Long> counts = this.items
                .countByStatus(stepExecution.getJobExecution().getJobInstance().getInstanceId());
            long failedSources = counts.getOrDefault("FAILED", 0L);
            long pending = counts.getOrDefault("PENDING", 0L);
            long total = counts.values().stream().mapToLong(Long::longValue).sum();
            if (!this.stopped.get() && !exceeded(failedSources, total, this.limit)) {
                return null;
            }
            stepExecution.setStatus(BatchStatus.FAILED);
            String message = failedSources + " of " + total + " sources failed, more than max-failed-sources="
                    + this.limit;
            message += this.stopped.get() && pending > 0
                    ? "; the step stopped starting new sources then, " + pending + " were not attempted; a restart"
                            + " fetches the failed and the not attempted sources"
                    : "; a restart fetches the failed sources again";
            return new ExitStatus(ExitStatus.FAILED.getExitCode(), message);
        }

        static boolean exceeded(long failed, long total, String limit) {
            if (limit.endsWith("%")) {
                double percent = Double.parseDouble(limit.substring(0, limit.length() - 1));
                return total > 0 && failed * 100.0 > percent * total;
            }
            return failed > Long.parseLong(limit);
        }

    }

}
