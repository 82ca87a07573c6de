package dev.batchetl.report;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicBoolean;

import dev.batchetl.job.AfterRun;
import dev.batchetl.job.CommandName;
import dev.batchetl.job.EtlParameters;
import dev.batchetl.job.EtlRequest;
import dev.batchetl.job.ExecutionOwnership;
import dev.batchetl.job.Messages;

import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Writes the page of a run once each of its executions has ended, whatever its status
 * (the failed run is the one most looked at): {@code report.html} beside results.csv, or
 * where the {@code report} key says, never with {@code report=none}. A page that cannot
 * be written is one line of the run's output naming the file and why; the run's status
 * and exit code stay what they are. Thymeleaf and Jackson are loaded only here, once the
 * run is over ({@link ReportPage}).
 */
@Component
@org.springframework.core.annotation.Order(10)
final class RunReportWriter implements AfterRun {

    private static final AtomicBoolean WARMED = new AtomicBoolean();

    private final JobRepository jobRepository;

    private final JdbcTemplate jdbc;

    private final ExecutionOwnership ownership;

    RunReportWriter(JobRepository jobRepository, JdbcTemplate jdbc, ExecutionOwnership ownership) {
        this.jobRepository = jobRepository;
        this.jdbc = jdbc;
        this.ownership = ownership;
    }

    /**
     * Readies the template engine and the JSON mapper of the page on a thread of its own,
     * once per process, while the job runs: their classes and first use are most of what
     * the first page costs, and the job leaves a core free most of the time.
     */
    @Override
    public void starting(EtlParameters parameters) {
        if (parameters.report() == null || !WARMED.compareAndSet(false, true)) {
            return;
        }
        Thread thread = new Thread(() -> {
            try {
                ReportPage.selfContained(
                        new RunReport(new RunReport.Run(EtlRequest.ADHOC, "", 0, 0, "STARTED", null, null, null, null),
                                List.of(), List.of(), null, List.of(), null, List.of(), List.of(), 0));
            }
            catch (RuntimeException | LinkageError ex) {
                // only a warm-up: the page itself says what is wrong, if anything
            }
        }, "report-warm-up");
        thread.setDaemon(true);
        thread.start();
    }

    @Override
    public void ended(JobExecution execution, EtlParameters parameters, PrintStream out) {
        Path target = parameters.report();
        if (target == null) {
            return;
        }
        try {
            RunReport report = new RunReportReader(this.jobRepository, this.jdbc, this.ownership)
                .read(execution.getId());
            ReportPage.write(report, target);
        }
        catch (IOException | RuntimeException | LinkageError ex) {
            out.println("report: cannot write " + target + ": " + reason(ex) + "; the run is not affected (write it"
                    + " elsewhere with: " + CommandName.get() + " report " + execution.getId() + " output=FILE)");
            return;
        }
        out.println("report: " + target);
    }

    /** Why the page could not be written, as a person reads it. */
    static String reason(Throwable ex) {
        if (ex instanceof AccessDeniedException) {
            return "permission denied";
        }
        if (ex instanceof FileAlreadyExistsException exists) {
            return exists.getFile() + " is a file, not a folder";
        }
        if (ex instanceof NoSuchFileException missing) {
            return "no such folder: " + missing.getFile();
        }
        if (ex instanceof FileSystemException fs) {
            return fs.getReason() != null ? fs.getReason().toLowerCase(Locale.ROOT)
                    : fs.getClass().getSimpleName() + ": " + fs.getFile();
        }
        if (ex instanceof DataAccessException) {
            return "cannot read the run from the job repository: " + Messages.oneLine(Messages.rootCause(ex));
        }
        return Messages.oneLine(ex);
    }

}
