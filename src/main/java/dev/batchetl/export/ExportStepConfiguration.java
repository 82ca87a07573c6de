package dev.batchetl.export;

import java.nio.file.Path;

import dev.batchetl.stats.PartitionResultRepository;

import org.springframework.batch.core.configuration.annotation.JobScope;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.Step;
import org.springframework.batch.core.step.builder.StepBuilder;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.PlatformTransactionManager;

/** Step {@code export}. */
@Configuration(proxyBeanMethods = false)
class ExportStepConfiguration {

    @Bean
    @JobScope
    Step exportStep(JobRepository jobRepository, PlatformTransactionManager transactionManager, JdbcTemplate jdbc,
            PartitionResultRepository partitions, @Value("#{jobParameters['output']}") String output) {
        return new StepBuilder("export", jobRepository)
            .tasklet(new ExportTasklet(jdbc, partitions, Path.of(output), transactionManager), transactionManager)
            .build();
    }

}
