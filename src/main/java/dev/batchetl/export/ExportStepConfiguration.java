package dev.batchetl.export;

import java.util.Map;

import dev.batchetl.job.EtlParameters;
import dev.batchetl.stats.PartitionResultRepository;

import org.springframework.batch.core.configuration.annotation.StepScope;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.Step;
import org.springframework.batch.core.step.builder.StepBuilder;
import org.springframework.batch.core.step.tasklet.Tasklet;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.PlatformTransactionManager;

/** Step {@code export}. */
@Configuration(proxyBeanMethods = false)
class ExportStepConfiguration {

    @Bean
    Step exportStep(JobRepository jobRepository, PlatformTransactionManager transactionManager,
            @Qualifier("exportTasklet") Tasklet exportTasklet) {
        return new StepBuilder("export", jobRepository).tasklet(exportTasklet, transactionManager).build();
    }

    /** Writes where the run's {@code output} key says. */
    @Bean
    @StepScope
    Tasklet exportTasklet(JdbcTemplate jdbc, PartitionResultRepository partitions,
            PlatformTransactionManager transactionManager, @Value("#{jobParameters}") Map<String, Object> parameters) {
        return new ExportTasklet(jdbc, partitions, EtlParameters.from(parameters).output(), transactionManager);
    }

}
