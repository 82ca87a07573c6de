package dev.batchetl.stats;

import java.util.Map;
import java.util.Set;

import org.springframework.batch.core.job.JobExecutionException;
import org.springframework.batch.core.partition.Partitioner;
import org.springframework.batch.core.partition.StepExecutionSplitter;
import org.springframework.batch.core.partition.support.SimpleStepExecutionSplitter;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.batch.infrastructure.item.ExecutionContext;

/**
 * Spring Batch's splitter, made safe against a kill while it records the partitions. It
 * creates each partition's step execution and then, in a second write, stores its context
 * (the file and range it reads); a process killed between the two leaves a partition
 * without its plan, and the restart, which takes the context of the partition's last
 * execution, would start it with an empty one. Such a partition gets its plan again from
 * the partitioner (which names partitions the same way for the same files); it had read
 * nothing, since nothing told it what to read.
 */
final class PlanKeepingSplitter implements StepExecutionSplitter {

    private final SimpleStepExecutionSplitter delegate;

    private final JobRepository jobRepository;

    private final Partitioner partitioner;

    PlanKeepingSplitter(JobRepository jobRepository, String stepName, Partitioner partitioner) {
        this.delegate = new SimpleStepExecutionSplitter(jobRepository, stepName, partitioner);
        this.jobRepository = jobRepository;
        this.partitioner = partitioner;
    }

    @Override
    public String getStepName() {
        return this.delegate.getStepName();
    }

    @Override
    public Set<StepExecution> split(StepExecution managerStepExecution, int gridSize) throws JobExecutionException {
        Set<StepExecution> partitions = this.delegate.split(managerStepExecution, gridSize);
        Map<String, ExecutionContext> plans = null;
        for (StepExecution partition : partitions) {
            if (partition.getExecutionContext().containsKey(PartitionKeys.FILE)) {
                continue;
            }
            if (plans == null) {
                // the grid size the delegate kept for this step (a restart keeps the
                // first one)
                int grid = (int) managerStepExecution.getExecutionContext()
                    .getLong("SimpleStepExecutionSplitter.GRID_SIZE", gridSize);
                plans = this.partitioner.partition(grid);
            }
            String name = partition.getStepName().substring(getStepName().length() + 1);
            ExecutionContext plan = plans.get(name);
            if (plan == null) {
                throw new JobExecutionException("partition " + name + " lost its plan (the process was killed while"
                        + " it recorded the partitions) and the files in dir changed since: start a new run");
            }
            partition.setExecutionContext(plan);
            this.jobRepository.updateExecutionContext(partition);
        }
        return partitions;
    }

}
