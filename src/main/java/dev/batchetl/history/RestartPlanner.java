package dev.batchetl.history;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

import dev.batchetl.job.CommandName;
import dev.batchetl.job.ExecutionOwnership;

import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.JobInstance;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.StepExecution;

/**
 * Works out the {@link RestartPlan} of an execution from the job repository and the fetch
 * items: which steps and partitions a restart would run again.
 */
public class RestartPlanner {

    /**
     * The steps of the etl job in the order it runs them (see
     * {@link dev.batchetl.job.EtlJobConfiguration}).
     */
    static final List<String> STEPS = List.of("fetch-plan", "fetch", "stats", "export");

    private final JobRepository jobRepository;

    private final ExecutionOwnership ownership;

    private final FetchItemRecords fetchItems;

    public RestartPlanner(JobRepository jobRepository, ExecutionOwnership ownership, FetchItemRecords fetchItems) {
        this.jobRepository = jobRepository;
        this.ownership = ownership;
        this.fetchItems = fetchItems;
    }

    public RestartPlan plan(JobExecution execution) {
        long id = execution.getId();
        BatchStatus status = execution.getStatus();
        if (status == BatchStatus.COMPLETED) {
            return RestartPlan.nothing("nothing (completed)", id);
        }
        JobInstance instance = execution.getJobInstance();
        JobExecution latest = this.jobRepository.getLastJobExecution(instance);
        if (latest != null && latest.getId() != id && latest.getStatus() == BatchStatus.COMPLETED) {
            return RestartPlan.nothing("nothing, this run completed in execution " + latest.getId() + ", its latest",
                    id);
        }
        if (latest != null && latest.getId() != id) {
            return RestartPlan.nothing(
                    "see execution " + latest.getId() + ", the latest of this run (" + latest.getStatus()
                            + "): only it can be restarted (" + CommandName.get() + " show " + latest.getId() + ")",
                    id);
        }
        if (status.isRunning() && ExecutionHistory.deathOf(this.ownership, execution) == null) {
            return RestartPlan.nothing("nothing, it is still running (stop it with: " + CommandName.get() + " stop "
                    + id + "; if its process died: " + CommandName.get() + " recover " + id + ")", id);
        }
        if (status == BatchStatus.ABANDONED) {
            return RestartPlan
                .nothing("nothing, an execution that is " + status + " cannot be restarted (start a new run)", id);
        }
        List<RestartPlan.Step> steps = new ArrayList<>();
        for (String name : STEPS) {
            StepExecution last = this.jobRepository.getLastStepExecution(instance, name);
            String why = last == null ? "not run yet" : last.getStatus() + " in execution " + last.getJobExecutionId();
            if (last != null
                    && (last.getStatus() == BatchStatus.COMPLETED || last.getStatus() == BatchStatus.ABANDONED)) {
                steps.add(new RestartPlan.Step(name, false, why, List.of()));
                continue;
            }
            List<String> partitions = List.of();
            switch (name) {
                case "fetch" -> why += "; " + fetchRedo(instance.getInstanceId());
                case "stats" -> {
                    StatsRedo redo = statsRedo(instance);
                    why += "; " + redo.summary();
                    partitions = redo.lines();
                }
                default -> {
                }
            }
            steps.add(new RestartPlan.Step(name, true, why, partitions));
        }
        return new RestartPlan(null, steps, id);
    }

    private String fetchRedo(long instanceId) {
        FetchItemRecords.Counts counts = this.fetchItems.counts(instanceId);
        if (counts.total() == 0) {
            return "fetches the sources fetch-plan records";
        }
        return "fetches " + counts.pending() + " of " + counts.total() + " sources (those not DONE or NOT_MODIFIED)";
    }

    private record StatsRedo(String summary, List<String> lines) {
    }

    /** Which partitions of the instance a restart runs again, and from where. */
    private StatsRedo statsRedo(JobInstance instance) {
        TreeSet<String> names = new TreeSet<>();
        for (JobExecution execution : this.jobRepository.getJobExecutions(instance)) {
            for (StepExecution step : execution.getStepExecutions()) {
                if (step.getStepName().startsWith(Partitions.PREFIX)) {
                    names.add(step.getStepName());
                }
            }
        }
        if (names.isEmpty()) {
            return new StatsRedo("runs a partition per CSV file in dir", List.of());
        }
        TextTable table = new TextTable("    ", "PARTITION", "FROM", "FILE");
        int again = 0;
        for (String name : names) {
            StepExecution last = this.jobRepository.getLastStepExecution(instance, name);
            if (last == null || last.getStatus() == BatchStatus.COMPLETED) {
                continue;
            }
            again++;
            String checkpoint = Partitions.checkpoint(last.getExecutionContext());
            table.row(name.substring(Partitions.PREFIX.length()),
                    checkpoint.equals("not started") ? "the start (not started)" : checkpoint,
                    Partitions.file(last.getExecutionContext()));
        }
        String summary = again + " of " + names.size() + " partitions again, the COMPLETED ones are skipped";
        return new StatsRedo(summary, again == 0 ? List.of() : table.lines());
    }

}
