package dev.batchetl.export;

import java.io.PrintStream;
import java.util.List;
import java.util.Map;

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
 * results are, from what the export wrote ({@code etl_source}, {@code etl_file_stats}).
 * The first thing done after a run ({@link AfterRun}), before its page is written.
 */
@Component
@Order(0)
final class RunSummary implements AfterRun {

    private static final int LISTED = 20;

    private final JdbcTemplate jdbc;

    RunSummary(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
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
        Map<String, Object> sources = this.jdbc.queryForMap("""
                SELECT COUNT(*) AS total,
                       COALESCE(SUM(CASE WHEN status = 'DONE' THEN 1 ELSE 0 END), 0) AS done,
                       COALESCE(SUM(CASE WHEN status = 'NOT_MODIFIED' THEN 1 ELSE 0 END), 0) AS not_modified,
                       COALESCE(SUM(CASE WHEN status = 'DONE' AND attempts > 0 THEN bytes ELSE 0 END), 0) AS bytes,
                       COALESCE(SUM(CASE WHEN status IN ('DONE', 'NOT_MODIFIED') AND attempts = 0 THEN 1 ELSE 0 END), 0)
                           AS reused
                FROM etl_source WHERE job_execution_id = ?""", id);
        long total = ((Number) sources.get("total")).longValue();
        Long retryOf = parameters.retryOf();
        if (total > 0) {
            long done = ((Number) sources.get("done")).longValue();
            long notModified = ((Number) sources.get("not_modified")).longValue();
            long reused = ((Number) sources.get("reused")).longValue();
            out.printf("sources: %d done, %d failed, %d not modified, %s downloaded%s%s%n", done,
                    total - done - notModified, notModified, bytes(((Number) sources.get("bytes")).longValue()),
                    fetchTime(execution), retryOf == null ? ""
                            : "; " + reused + " taken over from execution " + retryOf + " without a request");
            List<String> failed = this.jdbc.queryForList("""
                    SELECT source || ': ' || COALESCE(error, 'failed') FROM etl_source
                    WHERE job_execution_id = ? AND status NOT IN ('DONE', 'NOT_MODIFIED') ORDER BY line LIMIT ?""",
                    String.class, id, LISTED);
            listed(failed, total - done - notModified, "  FAILED ", out);
        }
        Map<String, Object> files = this.jdbc.queryForMap("""
                SELECT COUNT(*) AS total, COALESCE(SUM(rows_count), 0) AS rows_total, COALESCE(SUM(bad_rows), 0) AS bad
                FROM etl_file_stats WHERE job_execution_id = ?""", id);
        List<String> broken = this.jdbc.queryForList("""
                SELECT file || ': ' || error FROM etl_file_stats
                WHERE job_execution_id = ? AND error IS NOT NULL ORDER BY file""", String.class, id);
        String reusedFiles = "";
        if (retryOf != null) {
            long reused = this.jdbc.queryForObject("""
                    SELECT COUNT(DISTINCT file) FROM etl_partition_result WHERE job_instance_id = ?
                    AND partition_name LIKE 'reused:%'""", Long.class, execution.getJobInstance().getInstanceId());
            reusedFiles = "; " + reused + " taken over from execution " + retryOf + " without reading";
        }
        out.printf("files: %d read, %d failed, %d rows, %d bad rows skipped%s%n",
                ((Number) files.get("total")).longValue() - broken.size(), broken.size(),
                ((Number) files.get("rows_total")).longValue(), ((Number) files.get("bad")).longValue(), reusedFiles);
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
