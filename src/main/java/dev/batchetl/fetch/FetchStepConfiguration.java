package dev.batchetl.fetch;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import dev.batchetl.job.EtlParameters;
import dev.batchetl.job.ParameterShapedStep;
import dev.batchetl.remote.RemoteContext;

import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.ExitStatus;
import org.springframework.batch.core.configuration.annotation.StepScope;
import org.springframework.batch.core.listener.StepExecutionListener;
import org.springframework.batch.core.partition.Partitioner;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.Step;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.batch.core.step.builder.StepBuilder;
import org.springframework.batch.core.step.tasklet.Tasklet;
import org.springframework.batch.infrastructure.item.ExecutionContext;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.transaction.PlatformTransactionManager;

/**
 * Steps {@code fetch-plan} and {@code fetch}, the chunk step of {@link FetchChunkSteps}
 * or, with {@code fetch-partitioning=remote}, its partitions on worker processes.
 */
@Configuration(proxyBeanMethods = false)
class FetchStepConfiguration {

    /** The worker step of a remote fetch, and the prefix of its partitions' names. */
    static final String FETCH_HOSTS = "fetch-hosts";

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
     * A singleton built for each execution ({@link ParameterShapedStep}): its chunk size
     * ({@code fetch-chunk}, or 4 x {@code threads}) and whether it runs here or on
     * workers ({@code fetch-partitioning}) are job parameters. Its reader, processor,
     * writer and listeners share the downloads of this execution, so they are built with
     * it ({@link FetchChunkSteps}): one set per job execution, as the step runs once in
     * each. As it is not a scoped bean, Spring Batch's {@code JobOperator.stop} can look
     * it up by name while it runs; it then stops at its next chunk commit.
     * <p>
     * With {@code fetch-partitioning=remote} it is a partitioned step instead: one
     * partition per group of hosts ({@link HostGroup}, {@code fetch-partitions} of them),
     * each run by a worker process ({@code batch-etl worker}) as an execution of
     * {@code fetch-hosts}, the same chunk step over the sources of its hosts, recording
     * into the shared job repository and downloading into {@code dir}, which every worker
     * and the statistics step must see at the same path. All sources of a host are in one
     * partition, and a partition runs in one process, so {@code per-host} holds across
     * the workers. A restart runs the partitions that did not complete, each from what it
     * recorded, with the partition count of the first run.
     */
    @Bean
    Step fetchStep(JobRepository jobRepository, FetchChunkSteps steps, FetchItemRepository items,
            RemoteContext remote) {
        return new ParameterShapedStep("fetch", jobRepository, execution -> fetchStep(jobRepository, steps, items,
                remote, EtlParameters.from(execution.getJobParameters())));
    }

    private static Step fetchStep(JobRepository jobRepository, FetchChunkSteps steps, FetchItemRepository items,
            RemoteContext remote, EtlParameters run) {
        if (!run.fetch().remote()) {
            return steps.build("fetch", run, null);
        }
        Partitioner groups = gridSize -> {
            Map<String, ExecutionContext> partitions = new LinkedHashMap<>();
            for (int number = 1; number <= gridSize; number++) {
                partitions.put(new HostGroup(number, gridSize).name(), new ExecutionContext());
            }
            return partitions;
        };
        EtlParameters.Stats limits = run.stats();
        return new StepBuilder("fetch", jobRepository).partitioner(FETCH_HOSTS, groups)
            .partitionHandler(remote.partitionHandler(FETCH_HOSTS, run.fetch().partitions(), limits.partitionTimeout(),
                    limits.pickupTimeout()))
            // the threshold over the whole instance, once all partitions ended
            .listener(new FailedSourcesLimit(items, run.fetch().maxFailedSources(), null, true))
            .build();
    }

    /**
     * The worker step of a remote fetch, {@code fetch-hosts}, run by {@code batch-etl
     * worker} for each partition it takes: a partition ({@code fetch-hosts:2-of-4})
     * fetches the sources of its host group ({@link HostGroup}, read from its name) not
     * fetched yet, with the keys of its run. The chunk step is built for each partition
     * from that partition's job parameters, as the local fetch step is for each
     * execution: a worker serves many runs, with their own threads, limits and folders.
     */
    @Bean
    Step fetchHostsStep(JobRepository jobRepository, FetchChunkSteps steps) {
        return new ParameterShapedStep(FETCH_HOSTS, jobRepository, execution -> steps.build(FETCH_HOSTS,
                EtlParameters.from(execution.getJobParameters()), HostGroup.ofStep(execution.getStepName())));
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

        private final boolean judgesInstance;

        private volatile long planned;

        /**
         * @param judgesInstance whether the step's end judges the recorded statuses of
         * all the instance's sources (false for a partition of a remote fetch, whose
         * manager step judges them once all partitions ended)
         */
        FailedSourcesLimit(FetchItemRepository items, String limit, FetchProgress progress, boolean judgesInstance) {
            this.items = items;
            this.limit = limit;
            this.progress = progress;
            this.judgesInstance = judgesInstance;
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
            if (!this.judgesInstance || this.limit.equals("none")
                    || stepExecution.getStatus() != BatchStatus.COMPLETED) {
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
            message += pending > 0
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
