package dev.batchetl.export;

import java.io.PrintStream;
import java.util.List;

import dev.batchetl.history.ExportedResults;
import dev.batchetl.history.PartitionResultRecords;
import dev.batchetl.job.AfterRun;
import dev.batchetl.job.EtlParameters;
import dev.batchetl.job.Messages;

import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.core.annotation.Order;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * What a person reads when a run ends: what was done, what failed and why, and where the
 * results are, from what the export wrote ({@link ExportedResults}). The first thing done
 * after a run ({@link AfterRun}), before its page is written.
 */
@Component
@Order(0)
final class RunSummary implements AfterRun {

    private static final int LISTED = 20;

    private final ExportedResults results;

    private final PartitionResultRecords partitions;

    RunSummary(JdbcTemplate jdbc) {
        this.results = new ExportedResults(jdbc);
        this.partitions = new PartitionResultRecords(jdbc);
    }

    @Override
    public void ended(JobExecution execution, EtlParameters parameters, PrintStream out) {
        long id = execution.getId();
        for (StepExecution step : execution.getStepExecutions()) {
            if ((step.getStatus() == BatchStatus.FAILED || step.getStatus() == BatchStatus.UNKNOWN)
                    && !step.getStepName().contains(":")) {
                out.println("step " + step.getStepName() + " failed: "
                        + Messages.firstLine(step.getExitStatus().getExitDescription(), "(no description)"));
            }
        }
        if (execution.getStatus() == BatchStatus.UNKNOWN) {
            out.println("the database failed while the run recorded its progress; a restart resumes from the last"
                    + " checkpoint it committed");
        }
        if (execution.getStatus() != BatchStatus.COMPLETED) {
            return;
        }
        ExportedResults.SourceCounts sources = this.results.sources(id);
        Long retryOf = parameters.retryOf();
        if (sources.total() > 0) {
            out.printf("sources: %d done, %d failed, %d not modified, %s downloaded%s%s%n", sources.done(),
                    sources.failed(), sources.notModified(), bytes(sources.bytes()), fetchTime(execution),
                    retryOf == null ? ""
                            : "; " + sources.reused() + " taken over from execution " + retryOf + " without a request");
            listed(this.results.failedSources(id, LISTED), sources.failed(), "  FAILED ", out);
        }
        List<ExportedResults.FileRow> files = this.results.files(id);
        List<String> broken = files.stream()
            .filter(file -> file.error() != null)
            .map(file -> file.file() + ": " + file.error())
            .toList();
        long rows = files.stream().mapToLong(file -> file.rows() == null ? 0 : file.rows()).sum();
        long bad = files.stream().mapToLong(file -> file.badRows() == null ? 0 : file.badRows()).sum();
        String reusedFiles = "";
        if (retryOf != null) {
            reusedFiles = "; " + this.partitions.reusedFiles(execution.getJobInstance().getInstanceId())
                    + " taken over from execution " + retryOf + " without reading";
        }
        out.printf("files: %d read, %d failed, %d rows, %d bad rows skipped%s%n", files.size() - broken.size(),
                broken.size(), rows, bad, reusedFiles);
        listed(broken, "  FAILED ", out);
        out.println("results: " + parameters.output() + " and the etl_* tables (job_execution_id = " + id + ")");
    }

    /**
     * The fetch step's duration in this execution, as " in T s", or nothing when it ran
     * in an earlier one.
     */
    private static String fetchTime(JobExecution execution) {
        return execution.getStepExecutions()
            .stream()
            .filter(step -> step.getStepName().equals("fetch") && step.getStartTime() != null
                    && step.getEndTime() != null)
            .findFirst()
            .map(step -> String.format(" in %.1f s",
                    java.time.Duration.between(step.getStartTime(), step.getEndTime()).toMillis() / 1000.0))
            .orElse("");
    }

    private static void listed(List<String> lines, String prefix, PrintStream out) {
        listed(lines.subList(0, Math.min(LISTED, lines.size())), lines.size(), prefix, out);
    }

    /** The first of {@code count} lines, and how many more there are. */
    private static void listed(List<String> first, long count, String prefix, PrintStream out) {
        first.forEach(line -> out.println(prefix + line));
        if (count > first.size()) {
            out.println("  ... and " + (count - first.size()) + " more (see the etl_* tables)");
        }
    }

    private static String bytes(long n) {
        return dev.batchetl.progress.LiveLine.size(n);
    }

}
