package dev.batchetl.cli;

import java.io.PrintStream;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

import dev.batchetl.job.ExitCode;
import dev.batchetl.job.UsageException;
import dev.batchetl.job.Messages;
import dev.batchetl.job.CommandName;
import dev.batchetl.job.EtlJobConfiguration;
import dev.batchetl.job.EtlKey;
import dev.batchetl.job.EtlRequest;
import dev.batchetl.history.BadRowRecords;
import dev.batchetl.history.ExecutionHistory;
import dev.batchetl.history.Partitions;
import dev.batchetl.history.RunLines;
import dev.batchetl.history.TextTable;

import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.ExitStatus;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.JobInstance;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.dao.EmptyResultDataAccessException;

/**
 * The read-only commands {@code list} and {@code show}: what ran, how far it got, and
 * what a restart would redo.
 */
class Inspection {

    private static final String CAUSED_BY = "Caused by: ";

    /** Bad rows listed at most; the rest are counted. */
    private static final int LISTED = RunLines.LISTED;

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");

    private final JobRepository jobRepository;

    private final dev.batchetl.job.ExecutionOwnership ownership;

    private final ExecutionHistory history;

    private final BadRowRecords badRows;

    private final RunLines runLines;

    Inspection(JobRepository jobRepository, dev.batchetl.job.ExecutionOwnership ownership, ExecutionHistory history,
            BadRowRecords badRows, RunLines runLines) {
        this.jobRepository = jobRepository;
        this.ownership = ownership;
        this.history = history;
        this.badRows = badRows;
        this.runLines = runLines;
    }

    /** Prints the latest {@code limit} executions of the etl job, newest first. */
    void list(int limit, PrintStream out) {
        List<ExecutionHistory.Listed> executions = this.history.latest(limit);
        if (executions.isEmpty()) {
            out.println("no executions yet");
            return;
        }
        LocalDateTime now = LocalDateTime.now();
        TextTable table = new TextTable("", ">EXECUTION", ">INSTANCE", "DEFINITION", "RUN", "STATUS", "STARTED",
                "DURATION", "EXIT");
        for (ExecutionHistory.Listed e : executions) {
            // a run whose process died is still STARTED in the job repository: say so
            // instead of "running"
            boolean dead = e.status().isRunning()
                    && ExecutionHistory.deathOf(this.ownership, this.jobRepository.getJobExecution(e.id())) != null;
            table.row(e.id(), e.instanceId(), e.definition(), e.runKey(), e.status() + (dead ? " (dead)" : ""),
                    time(e.start()), dead ? "died" : duration(e.status(), e.start(), e.end(), now),
                    exitCode(e.status(), e.exitCode()));
        }
        table.lines().forEach(out::println);
    }

    /**
     * Prints one execution: its steps and partitions, checkpoints, failures and what a
     * restart would redo.
     * @throws UsageException when there is no such execution
     */
    void show(long executionId, PrintStream out) {
        JobExecution execution = execution(executionId);
        LocalDateTime now = LocalDateTime.now();
        printHeader(execution, now, out);
        printSteps(execution, now, out);
        this.runLines.printFailures(execution.getJobInstance(), out);
        printBadRows(execution.getJobInstance(), out);
        this.runLines.printRestart(execution, out);
    }

    private void printHeader(JobExecution execution, LocalDateTime now, PrintStream out) {
        EtlRequest request = EtlRequest.from(execution.getJobParameters());
        BatchStatus status = execution.getStatus();
        ExitStatus exit = execution.getExitStatus();
        out.println("execution " + execution.getId() + ": " + request.name() + " (instance "
                + execution.getJobInstance().getInstanceId() + ")");
        String code = exitCode(status, exit.getExitCode());
        String description = readable(Messages.firstException(exit.getExitDescription()));
        out.println("status   " + status + (code.isEmpty() ? "" : ", exit " + code) + " (" + exit.getExitCode()
                + (description.isEmpty() ? "" : ": " + description) + ")");
        String death = ExecutionHistory.deathOf(this.ownership, execution);
        LocalDateTime end = ExecutionHistory.endOf(status, execution.getEndTime());
        String took = death != null ? "" : duration(status, execution.getStartTime(), end, now);
        out.println("started  " + time(execution.getStartTime()) + (end == null ? "" : ", ended " + time(end))
                + (took.isEmpty() ? "" : ", " + (took.startsWith("running") ? took : "took " + took)));
        if (death != null) {
            out.println("owner    dead: " + death + "; the job repository still shows it " + status
                    + " (restart continues it: " + CommandName.get() + " restart " + execution.getId() + ")");
        }
        out.println("keys:");
        Map<String, String> keys = new LinkedHashMap<>();
        for (EtlKey key : EtlKey.values()) {
            String value = request.keys().get(key.key());
            if (value != null) {
                keys.put(key.key(), key.display(value));
            }
        }
        new TreeSet<>(request.keys().keySet()).forEach(name -> keys.putIfAbsent(name, request.keys().get(name)));
        TextTable table = new TextTable("  ", "", "");
        keys.forEach(table::row);
        table.lines().stream().skip(1).forEach(out::println);
    }

    private void printSteps(JobExecution execution, LocalDateTime now, PrintStream out) {
        List<StepExecution> steps = new ArrayList<>(execution.getStepExecutions());
        steps.sort(Comparator.comparing(StepExecution::getId));
        List<StepExecution> partitions = steps.stream()
            .filter(s -> s.getStepName().startsWith(Partitions.PREFIX))
            .sorted(Comparator.comparing(StepExecution::getStepName))
            .toList();
        steps.removeAll(partitions);
        out.println("steps:");
        if (steps.isEmpty()) {
            out.println("  none started");
            return;
        }
        TextTable table = new TextTable("  ", "STEP", "STATUS", ">READ", ">WRITE", ">SKIP", ">COMMITS", ">ROLLBACKS",
                "DURATION");
        for (StepExecution step : steps) {
            table.row(step.getStepName(), step.getStatus(), step.getReadCount(), step.getWriteCount(),
                    step.getSkipCount(), step.getCommitCount(), step.getRollbackCount(),
                    duration(step.getStatus(), step.getStartTime(), step.getEndTime(), now));
        }
        List<String> lines = table.lines();
        out.println(lines.get(0));
        for (int i = 0; i < steps.size(); i++) {
            StepExecution step = steps.get(i);
            out.println(lines.get(i + 1));
            if (step.getStatus() == BatchStatus.FAILED) {
                printFailure(step, "    ", out);
            }
            if (step.getStepName().equals("stats") && !partitions.isEmpty()) {
                printPartitions(partitions, out);
            }
        }
        if (steps.stream().noneMatch(s -> s.getStepName().equals("stats")) && !partitions.isEmpty()) {
            printPartitions(partitions, out);
        }
    }

    private static void printPartitions(List<StepExecution> partitions, PrintStream out) {
        TextTable table = new TextTable("    ", "PARTITION", "STATUS", ">ROWS", ">SKIPPED", "CHECKPOINT", "FILE");
        for (StepExecution partition : partitions) {
            table.row(partition.getStepName().substring(Partitions.PREFIX.length()), partition.getStatus(),
                    partition.getWriteCount(), partition.getReadSkipCount(),
                    partition.getStatus() == BatchStatus.COMPLETED ? ""
                            : Partitions.checkpoint(partition.getExecutionContext()),
                    Partitions.file(partition.getExecutionContext()));
        }
        List<String> lines = table.lines();
        out.println(lines.get(0));
        for (int i = 0; i < partitions.size(); i++) {
            out.println(lines.get(i + 1));
            if (partitions.get(i).getStatus() == BatchStatus.FAILED) {
                printFailure(partitions.get(i), "      ", out);
            }
        }
    }

    /**
     * The first line of a failed step's exit description and, when it names one, its root
     * cause.
     */
    private static void printFailure(StepExecution step, String indent, PrintStream out) {
        String description = step.getExitStatus().getExitDescription();
        out.println(indent + "failed: " + orNone(readable(Messages.firstException(description))));
        if (description != null) {
            description.lines()
                .map(String::strip)
                .filter(line -> line.startsWith(CAUSED_BY))
                .reduce((first, second) -> second)
                .map(cause -> readable(Messages.firstException(cause.substring(CAUSED_BY.length()))))
                .filter(cause -> !cause.isEmpty() && !cause.equals(readable(Messages.firstException(description))))
                .ifPresent(cause -> out.println(indent + "cause:  " + cause));
        }
    }

    /**
     * The rows the statistics set aside (bad-rows=skip), with their place and reason, the
     * first {@link #LISTED}.
     */
    private void printBadRows(JobInstance instance, PrintStream out) {
        long instanceId = instance.getInstanceId();
        long count = this.badRows.count(instanceId);
        if (count == 0) {
            return;
        }
        out.println("bad rows (set aside, not counted in the statistics):");
        for (BadRowRecords.BadRow row : this.badRows.first(instanceId, LISTED)) {
            out.println("  " + row.file() + " line " + row.line() + ": " + row.reason());
        }
        if (count > LISTED) {
            out.println("  ... and " + (count - LISTED) + " more (etl_bad_row: job_execution_id of the run)");
        }
    }

    /**
     * The report of the run of {@code executionId}, with the failures and the restart
     * plan as {@code show} prints them.
     * @throws UsageException when there is no such execution
     */
    dev.batchetl.report.RunReport report(long executionId, dev.batchetl.report.RunReportReader reader) {
        execution(executionId);
        return reader.read(executionId);
    }

    /**
     * The execution of the etl job of that id.
     * @throws UsageException when there is none
     */
    private JobExecution execution(long executionId) {
        JobExecution execution;
        try {
            execution = this.jobRepository.getJobExecution(executionId);
        }
        catch (EmptyResultDataAccessException ex) {
            execution = null;
        }
        if (execution == null || !EtlJobConfiguration.JOB_NAME.equals(execution.getJobInstance().getJobName())) {
            throw new UsageException("no job execution with id " + executionId);
        }
        return execution;
    }

    /**
     * Our process exit code for an execution's status and Spring Batch exit code, as
     * {@code run} returns it.
     */
    static String exitCode(BatchStatus status, String springExitCode) {
        ExitCode code = ExitCode.of(status, springExitCode);
        return code == null ? "" : Integer.toString(code.code());
    }

    static String time(LocalDateTime time) {
        return time == null ? "-" : TIME.format(time);
    }

    /**
     * {@code 12.3s}, {@code 4m05s}, {@code 2h07m}; {@code running 1m10s} while running;
     * empty if never started.
     */
    static String duration(BatchStatus status, LocalDateTime start, LocalDateTime end, LocalDateTime now) {
        if (start == null) {
            return "";
        }
        if (ExecutionHistory.endOf(status, end) == null) {
            return status.isRunning() ? "running " + duration(Duration.between(start, now)) : "";
        }
        return duration(Duration.between(start, end));
    }

    static String duration(Duration duration) {
        long millis = Math.max(0, duration.toMillis());
        if (millis < 60_000) {
            return String.format("%d.%ds", millis / 1000, millis % 1000 / 100);
        }
        long seconds = millis / 1000;
        if (seconds < 3600) {
            return String.format("%dm%02ds", seconds / 60, seconds % 60);
        }
        return String.format("%dh%02dm", seconds / 3600, seconds % 3600 / 60);
    }

    private static final java.util.regex.Pattern EXCEPTION_CLASS = java.util.regex.Pattern
        .compile("^(?:[a-z][\\w]*\\.)+[A-Z][\\w$]*(?:Exception|Error)(?::\\s*|$)");

    /**
     * A failure as a person reads it: without the exception class names before the
     * message, and for a statement the database refused, the database's own message
     * without the SQL and PL/pgSQL context around it
     * ({@code PreparedStatementCallback; SQL [...]; ERROR: disk full Where: ...} is
     * {@code disk full}).
     */
    static String readable(String line) {
        String text = line;
        for (var matcher = EXCEPTION_CLASS.matcher(text); matcher.find(); matcher = EXCEPTION_CLASS.matcher(text)) {
            String rest = text.substring(matcher.end());
            if (rest.isEmpty()) {
                break; // only a class name: keep it, it is all there is
            }
            text = rest;
        }
        int sql = text.indexOf("; SQL [");
        if (sql >= 0) {
            int end = text.indexOf("]; ", sql);
            text = end < 0 ? text.substring(0, sql) : text.substring(end + 3);
        }
        if (text.startsWith("ERROR: ")) {
            text = text.substring("ERROR: ".length());
        }
        for (String context : List.of(" Where: ", "  Where: ", " Detail: ", " Hint: ", " Position: ")) {
            int at = text.indexOf(context);
            if (at > 0) {
                text = text.substring(0, at);
            }
        }
        return text.strip();
    }

    private static String orNone(String text) {
        return text.isEmpty() ? "(no description)" : text;
    }

}
