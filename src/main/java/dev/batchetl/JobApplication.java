package dev.batchetl;

import org.springframework.boot.autoconfigure.AutoConfigurationExcludeFilter;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.batch.autoconfigure.BatchAutoConfiguration;
import org.springframework.boot.batch.jdbc.autoconfigure.BatchJdbcAutoConfiguration;
import org.springframework.boot.context.TypeExcludeFilter;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.DataSourceTransactionManagerAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.JdbcTemplateAutoConfiguration;
import org.springframework.boot.transaction.autoconfigure.TransactionAutoConfiguration;
import org.springframework.context.annotation.ComponentScan;
import org.springframework.context.annotation.FilterType;

/**
 * The context of the commands that run the job ({@code run}, {@code restart},
 * {@code retry}, {@code worker}): the application's own components with the datasource,
 * transactions and Spring Batch's JDBC job repository, and none of the other
 * auto-configurations of the class path (the web server, the actuator, metrics), which
 * only {@code schedule} serves ({@link BatchEtlApplication}). Choosing them at build time
 * instead of evaluating the conditions of some 150 candidates at every start is a good
 * part of a start. Not a component: the scan of {@link BatchEtlApplication} does not pick
 * it up.
 */
@ComponentScan(excludeFilters = { @ComponentScan.Filter(type = FilterType.CUSTOM, classes = TypeExcludeFilter.class),
        @ComponentScan.Filter(type = FilterType.CUSTOM, classes = AutoConfigurationExcludeFilter.class),
        // the scheduler's application, which enables every auto-configuration
        @ComponentScan.Filter(type = FilterType.ASSIGNABLE_TYPE, classes = BatchEtlApplication.class),
        // the dashboard's web application, which only dashboard starts
        @ComponentScan.Filter(type = FilterType.REGEX, pattern = "dev\\.batchetl\\.dashboard\\..*") })
@ImportAutoConfiguration({ DataSourceAutoConfiguration.class, DataSourceTransactionManagerAutoConfiguration.class,
        TransactionAutoConfiguration.class, JdbcTemplateAutoConfiguration.class, BatchAutoConfiguration.class,
        BatchJdbcAutoConfiguration.class })
public final class JobApplication {

    /**
     * Only for the build's ahead-of-time processing (spring-boot-maven-plugin
     * {@code process-aot}): starts this context, which the processor stops once its bean
     * definitions are known, to generate them as code.
     */
    public static void main(String[] args) {
        new org.springframework.boot.SpringApplication(JobApplication.class).run(args);
    }

}
