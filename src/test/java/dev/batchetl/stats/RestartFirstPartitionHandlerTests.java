package dev.batchetl.stats;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;

import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.JobInstance;
import org.springframework.batch.core.job.parameters.JobParameters;
import org.springframework.batch.core.step.StepExecution;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * On a restart the interrupted partitions run before the untouched ones, so crashes
 * finish partitions.
 */
class RestartFirstPartitionHandlerTests {

    private final JobExecution job = new JobExecution(1L, new JobInstance(1L, "etl"), new JobParameters());

    @Test
    void partitionsWithACheckpointComeFirstThenTheOthersByName() {
        Set<StepExecution> partitions = new HashSet<>();
        for (String name : List.of("stats-file:f00003", "stats-file:f00001-r0002", "stats-file:f00002",
                "stats-file:f00001-r0001", "stats-file:f00004")) {
            StepExecution partition = new StepExecution(name, this.job);
            if (name.endsWith("f00004") || name.endsWith("r0002")) {
                partition.getExecutionContext().putLong(CsvStatsTasklet.OFFSET, 1234);
            }
            partitions.add(partition);
        }

        assertThat(RestartFirstPartitionHandler.order(partitions)).extracting(StepExecution::getStepName)
            .containsExactly("stats-file:f00001-r0002", "stats-file:f00004", "stats-file:f00001-r0001",
                    "stats-file:f00002", "stats-file:f00003");
    }

}
