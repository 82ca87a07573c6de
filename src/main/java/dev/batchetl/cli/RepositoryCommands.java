package dev.batchetl.cli;

import java.io.PrintStream;

import dev.batchetl.history.BadRowRecords;
import dev.batchetl.history.ExecutionHistory;
import dev.batchetl.history.FetchItemRecords;
import dev.batchetl.history.PartitionResultRecords;
import dev.batchetl.history.RestartPlanner;
import dev.batchetl.history.RunLines;
import dev.batchetl.job.ExitCode;
import dev.batchetl.job.ExecutionRecovery;
import dev.batchetl.job.ExecutionOwnership;

import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.batch.autoconfigure.BatchAutoConfiguration;
import org.springframework.boot.batch.jdbc.autoconfigure.BatchJdbcAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.DataSourceTransactionManagerAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.JdbcTemplateAutoConfiguration;
import org.springframework.boot.transaction.autoconfigure.TransactionAutoConfiguration;
import org.springframework.context.annotation.Import;

/**
 * The commands that read or mark executions in the job repository: {@code list},
 * {@code show}, {@code stop} and {@code recover}. They run in a Spring context of their
 * own ({@link Context}) with the datasource, the job repository and the schema check
 * only: not the job and its steps, the broker, Spring Integration, the web server or the
 * metrics, none of which they use, and which are most of a full start.
 */
final class RepositoryCommands {

    private final Inspection inspection;

    private final ExecutionRecovery control;

    private final dev.batchetl.report.RunReportReader reports;

    RepositoryCommands(Inspection inspection, ExecutionRecovery control,
            org.springframework.batch.core.repository.JobRepository jobRepository,
            org.springframework.jdbc.core.JdbcTemplate jdbc, ExecutionOwnership ownership, RunLines runLines) {
        this.inspection = inspection;
        this.control = control;
        this.reports = new dev.batchetl.report.RunReportReader(jobRepository, jdbc, ownership, runLines);
    }

    /** Whether {@code command} is one of these (and so is run in {@link Context}). */
    static boolean handles(Command command) {
        return command instanceof Command.ListExecutions || command instanceof Command.Show
                || command instanceof Command.Stop || command instanceof Command.Recover
                || command instanceof Command.Report;
    }

    ExitCode execute(Command command, PrintStream out) {
        if (command instanceof Command.ListExecutions list) {
            this.inspection.list(list.limit(), out);
            return ExitCode.OK;
        }
        if (command instanceof Command.Show show) {
            this.inspection.show(show.executionId(), out);
            return ExitCode.OK;
        }
        if (command instanceof Command.Report report) {
            return report(report, out);
        }
        if (command instanceof Command.Stop stop) {
            return this.control.stop(stop.executionId(), out);
        }
        if (command instanceof Command.Recover recover) {
            return this.control.recover(recover.executionId(), out);
        }
        throw new IllegalArgumentException("not a repository command: " + command);
    }

    /** The report of the run of {@code executionId}, as of now. */
    dev.batchetl.report.RunReport report(long executionId) {
        return this.inspection.report(executionId, this.reports);
    }

    private ExitCode report(Command.Report command, PrintStream out) {
        dev.batchetl.report.RunReport report = report(command.executionId());
        if (report == null) {
            throw new dev.batchetl.job.UsageException("no execution " + command.executionId());
        }
        try {
            dev.batchetl.report.ReportPage.write(report, command.output());
        }
        catch (java.io.IOException ex) {
            throw new dev.batchetl.job.UsageException(
                    "cannot write the report to " + command.output() + ": " + ex.getMessage());
        }
        out.println("report of execution " + command.executionId() + ": " + command.output().toAbsolutePath());
        return ExitCode.OK;
    }

    /**
     * The context of these commands: the application's configuration
     * (application.properties, environment, command line) with only the
     * auto-configurations named here. Not a component, so the application's own scan does
     * not pick it up. Its bean definitions are generated at build time as well
     * ({@link AheadOfTime}).
     */
    @ImportAutoConfiguration({ DataSourceAutoConfiguration.class, DataSourceTransactionManagerAutoConfiguration.class,
            TransactionAutoConfiguration.class, JdbcTemplateAutoConfiguration.class, BatchAutoConfiguration.class,
            BatchJdbcAutoConfiguration.class })
    @Import({ dev.batchetl.storage.StorageConfiguration.class, ExecutionOwnership.class, ExecutionRecovery.class,
            Inspection.class, ExecutionHistory.class, FetchItemRecords.class, PartitionResultRecords.class,
            BadRowRecords.class, RestartPlanner.class, RunLines.class, RepositoryCommands.class })
    public static final class Context {

        private Context() {
        }

        /**
         * Only for the build's ahead-of-time processing (spring-boot-maven-plugin
         * {@code process-aot}), as {@link dev.batchetl.JobApplication#main}.
         */
        public static void main(String[] args) {
            application().run(args);
        }

        /**
         * The application of this context. Its classes get the bean names the job's
         * context gives them: the code generated ahead of time for a class that both
         * contexts hold names its factory bean, and must fit both.
         */
        static org.springframework.boot.SpringApplication application() {
            org.springframework.boot.SpringApplication spring = new org.springframework.boot.SpringApplication(
                    Context.class);
            spring.setBeanNameGenerator(Context::jobContextName);
            return spring;
        }

        /**
         * The name the job's context gives a class: the application's own components are
         * found by its scan there and named as a scan names them
         * ({@code storageConfiguration}); the auto-configurations are imported in both
         * and named by their full class name.
         */
        private static String jobContextName(org.springframework.beans.factory.config.BeanDefinition definition,
                org.springframework.beans.factory.support.BeanDefinitionRegistry registry) {
            String type = definition.getBeanClassName();
            return (type != null && type.startsWith("dev.batchetl.")
                    ? org.springframework.context.annotation.AnnotationBeanNameGenerator.INSTANCE
                    : org.springframework.context.annotation.FullyQualifiedAnnotationBeanNameGenerator.INSTANCE)
                .generateBeanName(definition, registry);
        }

    }

    /**
     * The context of {@code dashboard}: these commands' context with the dashboard's web
     * application, whose run pages are these commands' reports.
     */
    @Import({ Context.class, dev.batchetl.dashboard.DashboardConfiguration.class })
    static final class DashboardContext {

        @org.springframework.context.annotation.Bean
        dev.batchetl.dashboard.ReportSource reportSource(RepositoryCommands commands) {
            return commands::report;
        }

    }

}
