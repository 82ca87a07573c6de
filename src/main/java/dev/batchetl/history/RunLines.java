package dev.batchetl.history;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

import dev.batchetl.job.CommandName;
import dev.batchetl.job.ExecutionOwnership;

import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.JobInstance;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The failures of a run and what a restart of an execution would redo, as lines of text:
 * {@code show} prints them, and the run's page shows the same lines.
 */
public class RunLines {

    /** Failures listed at most; the rest are counted. */
    public static final int LISTED = 20;

    private final FetchItemRecords fetchItems;

    private final PartitionResultRecords partitionResults;

    private final RestartPlanner restartPlanner;

    public RunLines(FetchItemRecords fetchItems, PartitionResultRecords partitionResults,
            RestartPlanner restartPlanner) {
        this.fetchItems = fetchItems;
        this.partitionResults = partitionResults;
        this.restartPlanner = restartPlanner;
    }

    /** The lines read from the job repository and the tables {@code jdbc} reaches. */
    public static RunLines of(JobRepository jobRepository, JdbcTemplate jdbc, ExecutionOwnership ownership) {
        FetchItemRecords fetchItems = new FetchItemRecords(jdbc);
        return new RunLines(fetchItems, new PartitionResultRecords(jdbc),
                new RestartPlanner(jobRepository, ownership, fetchItems));
    }

    /** The sources and files of the instance that failed, the first {@link #LISTED}. */
    public void printFailures(JobInstance instance, PrintStream out) {
        List<String> failures = failures(instance, LISTED);
        if (failures.isEmpty()) {
            out.println("failures: none");
            return;
        }
        out.println("failures:");
        failures.forEach(line -> out.println("  " + line));
    }

    /** What a restart of the execution would redo, and the command that does it. */
    public void printRestart(JobExecution execution, PrintStream out) {
        String label = "a restart would redo: ";
        RestartPlan plan = this.restartPlanner.plan(execution);
        if (plan.nothing() != null) {
            out.println(label + plan.nothing());
            return;
        }
        out.println(label.strip());
        TextTable table = new TextTable("  ", "", "", "");
        for (RestartPlan.Step step : plan.steps()) {
            table.row(step.name(), step.redo() ? "redo" : "skip", step.why());
        }
        List<String> lines = table.lines();
        for (int i = 1; i < lines.size(); i++) {
            out.println(lines.get(i));
            plan.steps().get(i - 1).partitions().forEach(out::println);
        }
        out.println("  command: " + CommandName.get() + " restart " + plan.executionId());
    }

    /**
     * The instance's failures, one line each (sources that failed, then files that
     * failed), the first {@code limit} of them, and a last line that says how many more
     * there are and where, when there are.
     */
    public List<String> failures(JobInstance instance, int limit) {
        long instanceId = instance.getInstanceId();
        List<String> failures = new ArrayList<>(this.fetchItems.failures(instanceId, limit));
        long failed = this.fetchItems.failedCount(instanceId);
        if (failures.size() < limit) {
            failures.addAll(this.partitionResults.failures(instanceId, limit - failures.size()));
        }
        long total = failed + this.partitionResults.failedCount(instanceId);
        if (total > failures.size()) {
            failures.add("... and " + (total - failures.size())
                    + " more (etl_fetch_item, etl_partition_result: job_instance_id = " + instanceId + ")");
        }
        return failures;
    }

    /** {@link #printRestart}'s lines. */
    public List<String> restart(JobExecution execution) {
        return linesOf(out -> printRestart(execution, out));
    }

    private static List<String> linesOf(Consumer<PrintStream> printer) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8)) {
            printer.accept(out);
        }
        return bytes.toString(StandardCharsets.UTF_8).lines().toList();
    }

}
