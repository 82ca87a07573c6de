package dev.batchetl.stats;

import java.nio.file.Path;
import java.util.Map;

import dev.batchetl.job.EtlParameters;
import dev.batchetl.job.ParameterShapedStep;
import dev.batchetl.remote.RemoteContext;
import dev.batchetl.stats.engine.BadRowPolicy;
import dev.batchetl.stats.engine.CsvOptions;
import dev.batchetl.stats.engine.InvalidBytePolicy;

import org.springframework.batch.core.configuration.annotation.StepScope;
import org.springframework.batch.core.partition.Partitioner;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.Step;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.batch.core.step.builder.StepBuilder;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.task.SimpleAsyncTaskExecutor;
import org.springframework.transaction.PlatformTransactionManager;

/**
 * Step {@code stats}: a partitioned step whose partitions ({@link CsvFilePartitioner})
 * run in parallel, at most {@code partitions} at a time, each as an execution of the
 * worker step {@code stats-file}; with {@code partitioning=remote}, worker processes run
 * them instead (see {@link RemoteContext}).
 */
@Configuration(proxyBeanMethods = false)
class StatsStepConfiguration {

    /**
     * A singleton built for each execution ({@link ParameterShapedStep}): its shape is
     * read from the job parameters, the grid size ({@code partitions}) and whether local
     * threads or worker processes run the partitions ({@code partitioning}).
     */
    @Bean
    Step statsStep(JobRepository jobRepository, @Qualifier("statsFileStep") Step statsFileStep,
            @Qualifier("csvFilePartitioner") Partitioner partitioner, RemoteContext remote, StatsProgress progress) {
        return new ParameterShapedStep("stats", jobRepository, execution -> {
            EtlParameters.Stats stats = EtlParameters.from(execution.getJobParameters()).stats();
            if (stats.remote()) {
                // the same partitions, run by worker processes (batch-etl worker) that
                // take
                // them from RabbitMQ
                return new StepBuilder("stats", jobRepository).partitioner("stats-file", partitioner)
                    .splitter(new PlanKeepingSplitter(jobRepository, "stats-file", partitioner))
                    .partitionHandler(remote.partitionHandler("stats-file", stats.partitions(),
                            stats.partitionTimeout(), stats.pickupTimeout()))
                    .build();
            }
            SimpleAsyncTaskExecutor executor = new SimpleAsyncTaskExecutor("stats-");
            executor.setConcurrencyLimit(stats.partitions());
            return new StepBuilder("stats", jobRepository).partitioner("stats-file", partitioner)
                .splitter(new PlanKeepingSplitter(jobRepository, "stats-file", partitioner))
                .partitionHandler(new RestartFirstPartitionHandler(statsFileStep, executor, stats.partitions()))
                .listener(progress)
                .build();
        });
    }

    /**
     * The partitions of the files under {@code dir}; with {@code retry-of}, the files
     * that execution read are taken over where they are unchanged.
     */
    @Bean
    @StepScope
    Partitioner csvFilePartitioner(@Value("#{stepExecution}") StepExecution stepExecution,
            @Value("#{jobParameters}") Map<String, Object> parameters, PartitionResultRepository results,
            StatsProgress progress) {
        EtlParameters run = EtlParameters.from(parameters);
        CsvFilePartitioner.Reuse reuse = run.retryOf() == null ? null
                : results.reuse(stepExecution.getJobExecution().getJobInstance().getInstanceId(), run.retryOf());
        return new CsvFilePartitioner(run.dir(), csvOptions(run.csv()), run.stats().splitSize().toBytes(), reuse,
                progress);
    }

    /**
     * The statistics step's progress line in this process, fed by its partitions at every
     * checkpoint.
     */
    @Bean
    StatsProgress statsProgress() {
        return new StatsProgress();
    }

    @Bean
    Step statsFileStep(JobRepository jobRepository, PlatformTransactionManager transactionManager,
            CsvStatsTasklet csvStatsTasklet) {
        return new StepBuilder("stats-file", jobRepository).tasklet(csvStatsTasklet, transactionManager)
            .stream(csvStatsTasklet)
            .build();
    }

    @Bean
    @StepScope
    CsvStatsTasklet csvStatsTasklet(@Value("#{stepExecution}") StepExecution stepExecution,
            @Value("#{jobParameters}") Map<String, Object> parameters, PartitionResultRepository results,
            StatsProgress progress) {
        var context = stepExecution.getExecutionContext();
        var partition = new CsvStatsTasklet.Partition(stepExecution.getJobExecution().getJobInstance().getInstanceId(),
                stepExecution.getJobExecutionId(), stepExecution.getStepName(),
                Path.of(context.getString(CsvFilePartitioner.FILE)), context.getString(CsvFilePartitioner.RELATIVE),
                context.getInt(CsvFilePartitioner.RANGE), context.getLong(CsvFilePartitioner.START),
                context.getLong(CsvFilePartitioner.END), context.getLong(CsvFilePartitioner.FIRST_LINE),
                context.containsKey(CsvFilePartitioner.ERROR) ? context.getString(CsvFilePartitioner.ERROR) : null,
                context.containsKey(PartitionKeys.FILE_BYTES) ? context.getLong(PartitionKeys.FILE_BYTES) : null,
                context.containsKey(PartitionKeys.FILE_MODIFIED) ? context.getLong(PartitionKeys.FILE_MODIFIED) : null);
        EtlParameters run = EtlParameters.from(parameters);
        return new CsvStatsTasklet(partition, csvOptions(run.csv()), run.stats().commitRows(), results, progress);
    }

    /** The CSV dialect and policies of a run. */
    static CsvOptions csvOptions(EtlParameters.Csv csv) {
        return new CsvOptions(csv.delimiter(), csv.quote(), csv.escape(), csv.header(), csv.encoding(),
                CsvOptions.parseNaValues(csv.naValues()),
                csv.failFileOnBadRow() ? BadRowPolicy.FAIL_FILE : BadRowPolicy.SKIP,
                csv.replaceInvalidBytes() ? InvalidBytePolicy.REPLACE : InvalidBytePolicy.FAIL_FILE);
    }

}
