package dev.batchetl.stats;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import org.springframework.batch.core.step.Step;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.batch.core.partition.support.TaskExecutorPartitionHandler;
import org.springframework.core.task.TaskExecutor;

/**
 * Runs the statistics partitions on the step's threads in a stated order: on a restart,
 * the partitions that were interrupted after a checkpoint first (they have the least left
 * to do), then the untouched ones, each group by name, so that frequent crashes finish
 * partitions instead of starting new ones. The task executor's concurrency limit makes
 * submissions wait for a free thread, so partitions start in this order.
 */
final class RestartFirstPartitionHandler extends TaskExecutorPartitionHandler {

    RestartFirstPartitionHandler(Step step, TaskExecutor executor, int gridSize) {
        setStep(step);
        setTaskExecutor(executor);
        setGridSize(gridSize);
    }

    @Override
    protected Set<StepExecution> doHandle(StepExecution managerStepExecution, Set<StepExecution> partitions)
            throws Exception {
        return super.doHandle(managerStepExecution, order(partitions));
    }

    /** Partitions with a checkpoint first, then the others; by name within each. */
    static Set<StepExecution> order(Set<StepExecution> partitions) {
        List<StepExecution> sorted = new ArrayList<>(partitions);
        sorted.sort(Comparator.comparing((StepExecution partition) -> !resumed(partition))
            .thenComparing(StepExecution::getStepName));
        return new LinkedHashSet<>(sorted);
    }

    private static boolean resumed(StepExecution partition) {
        return partition.getExecutionContext().containsKey(CsvStatsTasklet.OFFSET);
    }

}
