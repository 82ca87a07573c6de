package dev.batchetl.cli;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import dev.batchetl.JobApplication;
import dev.batchetl.TestDatabase;
import dev.batchetl.job.EtlRequest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.aot.AotDetector;
import org.springframework.batch.core.job.Job;
import org.springframework.boot.SpringApplication;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.AnnotationConfigApplicationContext;
import org.springframework.core.SpringProperties;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The contexts started from the bean definitions the build generated for them
 * (process-aot over JobApplication and over RepositoryCommands.Context), as the commands
 * start them: no configuration class is parsed, the job and its steps are there for a run
 * and absent from the repository's commands, and Spring Boot is told of it for that start
 * only.
 */
class AheadOfTimeTests {

    @TempDir
    Path work;

    @Test
    void theBuildGeneratedTheJobContextAndARunStartsFromIt() {
        SpringApplication spring = new SpringApplication(JobApplication.class);
        Command run = new Command.Run(
                EtlRequest.of("aot", new Properties(), this.work, Map.of("dir", this.work.toString()), this.work),
                false, java.util.Set.of());

        assertThat(AheadOfTime.use(spring, run)).as("the generated initializer is on the class path").isTrue();
        try (ConfigurableApplicationContext context = AheadOfTime.run(spring, true,
                List.of(TestDatabase.springArgs()))) {
            assertGenerated(context);
            assertThat(context.getBean("etlJob", Job.class).getName()).isEqualTo("etl");
            assertThat(context.getBeanNamesForType(EtlCommands.class)).hasSize(1);
        }
        assertThat(SpringProperties.getProperty(AotDetector.AOT_ENABLED)).as("for that start only").isNull();
        assertThat(AotDetector.useGeneratedArtifacts()).isFalse();
    }

    @Test
    void theCommandsThatReadTheRepositoryStartFromTheirOwnGeneratedContext() {
        SpringApplication spring = RepositoryCommands.Context.application();

        assertThat(AheadOfTime.use(spring, new Command.ListExecutions(3))).isTrue();
        try (ConfigurableApplicationContext context = AheadOfTime.run(spring, true,
                List.of(TestDatabase.springArgs()))) {
            assertGenerated(context);
            // the repository's commands and what they read, without the job
            assertThat(context.getBeanNamesForType(RepositoryCommands.class)).hasSize(1);
            assertThat(context.getBeanNamesForType(Inspection.class)).hasSize(1);
            assertThat(context.getBeanNamesForType(Job.class)).isEmpty();
            assertThat(context.getBeanNamesForType(EtlCommands.class)).isEmpty();
        }
        assertThat(AotDetector.useGeneratedArtifacts()).isFalse();
    }

    @Test
    void helpTheSchedulerAndTheDashboardStartAsUsual() {
        SpringApplication spring = new SpringApplication(JobApplication.class);

        assertThat(AheadOfTime.use(spring, new Command.Help())).isFalse();
        assertThat(AheadOfTime.use(spring, new Command.Dashboard())).isFalse();
        assertThat(spring.getInitializers()).noneMatch(
                initializer -> initializer instanceof org.springframework.context.aot.AotApplicationContextInitializer);
    }

    /**
     * Not an annotation-config context: nothing parsed or scanned at the start.
     */
    private static void assertGenerated(ConfigurableApplicationContext context) {
        assertThat(context).isNotInstanceOf(AnnotationConfigApplicationContext.class);
        assertThat(
                context.containsBean("org.springframework.context.annotation.internalConfigurationAnnotationProcessor"))
            .isFalse();
    }

}
