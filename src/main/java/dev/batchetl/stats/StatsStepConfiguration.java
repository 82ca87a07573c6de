package dev.batchetl.stats;

import java.nio.charset.Charset;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import dev.batchetl.job.EtlKey;
import dev.batchetl.remote.RemoteContext;
import dev.batchetl.stats.engine.BadRowPolicy;
import dev.batchetl.stats.engine.CsvOptions;
import dev.batchetl.stats.engine.InvalidBytePolicy;

import org.springframework.batch.core.configuration.annotation.JobScope;
import org.springframework.batch.core.configuration.annotation.StepScope;
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

    @Bean
    @JobScope
    Step statsStep(JobRepository jobRepository, @Qualifier("statsFileStep") Step statsFileStep,
            @Value("#{jobParameters}") Map<String, Object> parameters,
            @Value("#{jobExecution}") org.springframework.batch.core.job.JobExecution jobExecution,
            RemoteContext remote, PartitionResultRepository results, StatsProgress progress) {
        int partitions = Integer.parseInt(string(parameters, EtlKey.PARTITIONS));
        Object retryOf = parameters.get(EtlKey.RETRY_OF.key());
        CsvFilePartitioner.Reuse reuse = retryOf == null ? null
                : results.reuse(jobExecution.getJobInstance().getInstanceId(), Long.parseLong(retryOf.toString()));
        CsvFilePartitioner partitioner = new CsvFilePartitioner(Path.of(string(parameters, EtlKey.DIR)),
                csvOptions(parameters), Long.parseLong(string(parameters, EtlKey.SPLIT_SIZE)), reuse, progress);
        if ("remote".equals(string(parameters, EtlKey.PARTITIONING))) {
            // the same partitions, run by worker processes (batch-etl worker) that take
            // them from RabbitMQ
            Duration timeout = EtlKey.parseDuration(string(parameters, EtlKey.PARTITION_TIMEOUT), "");
            Duration pickupTimeout = EtlKey.parseDuration(string(parameters, EtlKey.PARTITION_PICKUP_TIMEOUT), "");
            return new StepBuilder("stats", jobRepository).partitioner("stats-file", partitioner)
                .splitter(new PlanKeepingSplitter(jobRepository, "stats-file", partitioner))
                .partitionHandler(remote.partitionHandler("stats-file", partitions, timeout, pickupTimeout))
                .build();
        }
        SimpleAsyncTaskExecutor executor = new SimpleAsyncTaskExecutor("stats-");
        executor.setConcurrencyLimit(partitions);
        return new StepBuilder("stats", jobRepository).partitioner("stats-file", partitioner)
            .splitter(new PlanKeepingSplitter(jobRepository, "stats-file", partitioner))
            .partitionHandler(new RestartFirstPartitionHandler(statsFileStep, executor, partitions))
            .listener(progress)
            .build();
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
        return new CsvStatsTasklet(partition, csvOptions(parameters),
                Integer.parseInt(string(parameters, EtlKey.COMMIT_ROWS)), results, progress);
    }

    /** The CSV dialect and policies of a run, from its job parameters. */
    static CsvOptions csvOptions(Map<String, Object> parameters) {
        String escape = string(parameters, EtlKey.ESCAPE);
        return new CsvOptions(string(parameters, EtlKey.DELIMITER).charAt(0),
                string(parameters, EtlKey.QUOTE).charAt(0), "none".equals(escape) ? null : escape.charAt(0),
                Boolean.parseBoolean(string(parameters, EtlKey.HEADER)),
                Charset.forName(string(parameters, EtlKey.ENCODING)),
                CsvOptions.parseNaValues(string(parameters, EtlKey.NA_VALUES)),
                "fail-file".equals(string(parameters, EtlKey.BAD_ROWS)) ? BadRowPolicy.FAIL_FILE : BadRowPolicy.SKIP,
                "replace".equals(string(parameters, EtlKey.INVALID_BYTES)) ? InvalidBytePolicy.REPLACE
                        : InvalidBytePolicy.FAIL_FILE);
    }

    private static String string(Map<String, Object> parameters, EtlKey key) {
        Object value = parameters.get(key.key());
        return value == null ? key.defaultValue() : value.toString();
    }

}
