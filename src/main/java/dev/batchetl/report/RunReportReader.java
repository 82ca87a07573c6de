package dev.batchetl.report;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.batchetl.history.ExecutionHistory;
import dev.batchetl.history.ExportedResults;
import dev.batchetl.history.RunLines;
import dev.batchetl.job.EtlJobConfiguration;
import dev.batchetl.job.EtlKey;
import dev.batchetl.job.EtlRequest;
import dev.batchetl.job.ExecutionOwnership;
import dev.batchetl.job.ExitCode;
import dev.batchetl.job.Messages;
import dev.batchetl.job.ProcessIdentity;
import dev.batchetl.report.RunReport.BadRow;
import dev.batchetl.report.RunReport.Bar;
import dev.batchetl.report.RunReport.Column;
import dev.batchetl.report.RunReport.Execution;
import dev.batchetl.report.RunReport.Fetch;
import dev.batchetl.report.RunReport.FileStats;
import dev.batchetl.report.RunReport.Histogram;
import dev.batchetl.report.RunReport.Run;

import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.JobInstance;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Reads what the page of a run shows from the job repository (executions, steps and
 * partitions through Spring Batch's own API) and the result tables of the execution
 * ({@code etl_source}, {@code etl_file_stats}, {@code etl_column_stats},
 * {@code etl_bad_row}; for the latest execution of a run that has not exported, the
 * sources as {@code etl_fetch_item} has them), and compares them with the previous
 * completed run of the same definition ({@link Drifts}).
 */
public final class RunReportReader {

    /** Bad rows shown per file; all of them are in {@code etl_bad_row}. */
    static final int BAD_ROWS_SHOWN = 20;

    private final JobRepository jobRepository;

    private final JdbcTemplate jdbc;

    private final ExecutionOwnership ownership;

    private final RunLines runLines;

    private final ExecutionHistory history;

    public RunReportReader(JobRepository jobRepository, JdbcTemplate jdbc, ExecutionOwnership ownership,
            RunLines runLines) {
        this.jobRepository = jobRepository;
        this.jdbc = jdbc;
        this.history = new ExecutionHistory(jdbc);
        this.ownership = ownership;
        this.runLines = runLines;
    }

    public RunReportReader(JobRepository jobRepository, JdbcTemplate jdbc, ExecutionOwnership ownership) {
        this(jobRepository, jdbc, ownership, RunLines.of(jobRepository, jdbc, ownership));
    }

    /**
     * The report of the run of {@code executionId}, as of now, with its failures and what
     * a restart would redo as {@code show} prints them ({@link RunLines}); null when
     * there is no such execution.
     */
    public RunReport read(long executionId) {
        JobExecution execution = this.jobRepository.getJobExecution(executionId);
        if (execution == null) {
            return null;
        }
        return read(execution, this.runLines.failures(execution.getJobInstance(), FetchSection.SOURCES_SHOWN),
                this.runLines.restart(execution));
    }

    private RunReport read(JobExecution execution, List<String> failures, List<String> restart) {
        long executionId = execution.getId();
        JobInstance instance = execution.getJobInstance();
        List<JobExecution> executions = new ArrayList<>(this.jobRepository.getJobExecutions(instance));
        executions.sort(Comparator.comparingLong(JobExecution::getId));
        String definition = execution.getJobParameters().getString(EtlRequest.DEFINITION);
        String runKey = execution.getJobParameters().getString(EtlKey.RUN.key());
        List<Execution> attempts = new ArrayList<>();
        List<Bar> timeline = new ArrayList<>();
        Long fetchMs = null;
        String host = null;
        for (JobExecution e : executions) {
            ExitCode exit = ExitCode.of(e.getStatus(), e.getExitStatus().getExitCode());
            java.util.Optional<ProcessIdentity> owner = this.ownership.owner(e.getId());
            if (e.getId() == executionId) {
                host = owner.map(ProcessIdentity::host).orElse(null);
            }
            attempts.add(new Execution(e.getId(), e.getStatus().name(), exit == null ? null : exit.code(),
                    millis(e.getStartTime()), millis(ExecutionHistory.endOf(e.getStatus(), e.getEndTime())),
                    owner.map(ProcessIdentity::toString).orElse(null), summary(e)));
            for (StepExecution step : e.getStepExecutions()) {
                if (step.getStartTime() == null) {
                    continue;
                }
                timeline.add(new Bar(e.getId(), step.getStepName(), step.getStatus().name(),
                        millis(step.getStartTime()), millis(step.getEndTime()), note(step)));
                if (e.getId() == executionId && step.getStepName().equals("fetch") && step.getEndTime() != null) {
                    fetchMs = millis(step.getEndTime()) - millis(step.getStartTime());
                }
            }
        }
        timeline.sort(Comparator.comparingLong(Bar::start));
        ExitCode exit = ExitCode.of(execution.getStatus(), execution.getExitStatus().getExitCode());
        Long start = millis(execution.getStartTime());
        Long end = millis(ExecutionHistory.endOf(execution.getStatus(), execution.getEndTime()));
        Run run = new Run(definition == null ? EtlRequest.ADHOC : definition, runKey, instance.getInstanceId(),
                executionId, execution.getStatus().name(), exit == null ? null : exit.code(), meaning(exit),
                start == null ? null : (end == null ? System.currentTimeMillis() : end) - start, host);
        FetchSection sources = new FetchSection(this.jdbc);
        Fetch fetch = sources.exported(fetchMs, executionId);
        if (fetch == null && executions.get(executions.size() - 1).getId() == executionId) {
            // not exported (failed or stopped before the export, or still running): the
            // sources as the fetch step has recorded them so far
            fetch = sources.recorded(fetchMs, instance.getInstanceId());
        }
        List<FileStats> files = files(this.jdbc, executionId);
        RunReport.Drift drift = new Drifts(this.jdbc).against(this.history.previousCompleted(definition, executionId),
                files);
        return new RunReport(run, attempts, timeline, fetch, files, drift, failures, restart,
                System.currentTimeMillis());
    }

    /** The files of an execution with their columns and first bad rows. */
    static List<FileStats> files(JdbcTemplate jdbc, long executionId) {
        ExportedResults results = new ExportedResults(jdbc);
        Map<String, List<Column>> columns = new LinkedHashMap<>();
        results.columns(executionId,
                rs -> columns.computeIfAbsent(rs.getString("file"), f -> new ArrayList<>()).add(column(rs)));
        Map<String, List<BadRow>> bad = new LinkedHashMap<>();
        for (ExportedResults.BadRow row : results.firstBadRows(executionId, BAD_ROWS_SHOWN)) {
            bad.computeIfAbsent(row.file(), f -> new ArrayList<>()).add(new BadRow(row.line(), row.reason()));
        }
        return results.files(executionId)
            .stream()
            .map(file -> new FileStats(file.file(), file.rows(), file.columns(), file.badRows(), file.error(),
                    columns.getOrDefault(file.file(), List.of()), bad.getOrDefault(file.file(), List.of())))
            .toList();
    }

    private static Column column(ResultSet rs) throws SQLException {
        String type = rs.getString("column_type");
        boolean numeric = type.equals("float"); // integers stay text: exact at any size
        return new Column(rs.getString("column_name"), type, rs.getLong("non_null_count"), rs.getLong("null_count"),
                numeric ? numberOf(rs.getString("min_value")) : rs.getString("min_value"),
                numeric ? numberOf(rs.getString("max_value")) : rs.getString("max_value"), number(rs, "mean"),
                number(rs, "std"), number(rs, "q1"), number(rs, "median"), number(rs, "q3"),
                longOrNull(rs, "distinct_count"), (Boolean) rs.getObject("distinct_exact"),
                histogram(rs.getString("distribution")));
    }

    /** {@code "LOW HIGH C1 C2 ..."} as the export writes it. */
    static Histogram histogram(String text) {
        if (text == null || text.isBlank()) {
            return null;
        }
        String[] parts = text.strip().split(" ");
        long[] counts = new long[parts.length - 2];
        for (int i = 2; i < parts.length; i++) {
            counts[i - 2] = Long.parseLong(parts[i]);
        }
        return new Histogram(Double.parseDouble(parts[0]), Double.parseDouble(parts[1]), counts);
    }

    private static String summary(JobExecution e) {
        List<String> steps = new ArrayList<>();
        for (StepExecution step : e.getStepExecutions()) {
            if (!step.getStepName().contains(":")) {
                steps.add(step.getStepName() + " " + step.getStatus().name().toLowerCase());
            }
        }
        return String.join(", ", steps);
    }

    private static String note(StepExecution step) {
        return Messages.firstLine(step.getExitStatus().getExitDescription(), null);
    }

    static String meaning(ExitCode exit) {
        if (exit == null) {
            return "still running";
        }
        return switch (exit) {
            case OK -> "completed, every source and file processed";
            case FAILED -> "failed; restart it to continue from its checkpoint";
            case USAGE -> "usage or configuration error";
            case COMPLETED_WITH_FAILURES -> "completed, but some sources or files failed";
            case STOPPED -> "stopped; restart it to continue";
        };
    }

    private static Long millis(LocalDateTime time) {
        return time == null ? null : time.atZone(ZoneId.systemDefault()).toInstant().toEpochMilli();
    }

    private static Object number(ResultSet rs, String column) throws SQLException {
        double value = rs.getDouble(column);
        return rs.wasNull() ? null : RunReport.number(value);
    }

    private static Object numberOf(String text) {
        if (text == null) {
            return null;
        }
        try {
            return RunReport.number(Double.parseDouble(text));
        }
        catch (NumberFormatException ex) {
            return text;
        }
    }

    private static Long longOrNull(ResultSet rs, String column) throws SQLException {
        long value = rs.getLong(column);
        return rs.wasNull() ? null : value;
    }

}
