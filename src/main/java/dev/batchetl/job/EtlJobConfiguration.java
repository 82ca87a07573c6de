package dev.batchetl.job;

import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.ExitStatus;
import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.builder.JobBuilder;
import org.springframework.batch.core.listener.JobExecutionListener;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.Step;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The etl job: {@code fetch-plan -> fetch -> stats -> export}. Step names are stable:
 * restart state is stored under them. No parameters incrementer: the definition name and
 * the run key identify the instance.
 */
@Configuration(proxyBeanMethods = false)
public class EtlJobConfiguration {

    public static final String JOB_NAME = "etl";

    /** Exit code of a job execution that completed with failed sources or files. */
    public static final String COMPLETED_WITH_FAILURES = "COMPLETED_WITH_FAILURES";

    /** Job execution context keys the export step fills in. */
    public static final String FAILED_SOURCES = "etl.failedSources";

    public static final String FAILED_FILES = "etl.failedFiles";

    @Bean
    Job etlJob(JobRepository jobRepository, @Qualifier("fetchPlanStep") Step fetchPlanStep,
            @Qualifier("fetchStep") Step fetchStep, @Qualifier("statsStep") Step statsStep,
            @Qualifier("exportStep") Step exportStep, ExecutionOwnership ownership) {
        return new JobBuilder(JOB_NAME, jobRepository).start(fetchPlanStep)
            .next(fetchStep)
            .next(statsStep)
            .next(exportStep)
            .listener(ownership)
            .listener(new FailureExitStatus())
            .build();
    }

    /**
     * Gives Spring Batch's item observations that end without a status (an item whose
     * processing threw, in the fault-tolerant fetch step) the status {@code FAILURE}:
     * Prometheus keeps one set of tag keys per meter name, and refused such an
     * observation with a warning on the console.
     */
    @Bean
    io.micrometer.core.instrument.config.MeterFilter batchItemStatus() {
        return new io.micrometer.core.instrument.config.MeterFilter() {
            @Override
            public io.micrometer.core.instrument.Meter.Id map(io.micrometer.core.instrument.Meter.Id id) {
                String name = id.getName();
                if (name.startsWith("spring.batch.item.") && id.getTag(name + ".status") == null) {
                    return id.withTag(io.micrometer.core.instrument.Tag.of(name + ".status", "FAILURE"));
                }
                return id;
            }
        };
    }

    /** Marks a completed execution whose export counted failed sources or files. */
    static final class FailureExitStatus implements JobExecutionListener {

        @Override
        public void afterJob(JobExecution execution) {
            if (execution.getStatus() != BatchStatus.COMPLETED) {
                return;
            }
            long sources = execution.getExecutionContext().getLong(FAILED_SOURCES, 0L);
            long files = execution.getExecutionContext().getLong(FAILED_FILES, 0L);
            if (sources + files > 0) {
                execution.setExitStatus(new ExitStatus(COMPLETED_WITH_FAILURES,
                        sources + " source(s) and " + files + " file(s) failed"));
            }
        }

    }

}
