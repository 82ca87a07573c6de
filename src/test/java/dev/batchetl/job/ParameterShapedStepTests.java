package dev.batchetl.job;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.parameters.JobParameters;
import org.springframework.batch.core.job.parameters.JobParametersBuilder;
import org.springframework.batch.core.repository.support.ResourcelessJobRepository;
import org.springframework.batch.core.step.Step;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.batch.infrastructure.item.ExecutionContext;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A step built for each execution from its job parameters: the step built runs the
 * execution it was asked to run, and a step that cannot be built is recorded as failed,
 * so that a restart runs it again.
 */
class ParameterShapedStepTests {

    private final ResourcelessJobRepository repository = new ResourcelessJobRepository();

    @Test
    void theStepBuiltFromTheExecutionsParametersRunsThatExecution() throws Exception {
        List<String> ran = new ArrayList<>();
        Step shaped = new ParameterShapedStep("fetch", this.repository,
                execution -> named("fetch", step -> ran.add(step.getJobParameters().getString("chunk"))));
        StepExecution first = stepOf("chunk", "16");
        StepExecution second = stepOf("chunk", "64");

        shaped.execute(first);
        shaped.execute(second);

        assertThat(shaped.getName()).isEqualTo("fetch");
        assertThat(ran).containsExactly("16", "64");
    }

    @Test
    void aStepThatCannotBeBuiltIsRecordedAsFailedWithTheReason() throws Exception {
        Step shaped = new ParameterShapedStep("stats", this.repository, execution -> {
            throw new IllegalArgumentException("partitions=0: must be at least 1");
        });
        StepExecution execution = stepOf("partitions", "0");

        shaped.execute(execution);

        assertThat(execution.getStatus()).isEqualTo(BatchStatus.FAILED);
        assertThat(execution.getExitStatus().getExitDescription()).contains("partitions=0: must be at least 1");
        assertThat(execution.getStartTime()).isNotNull();
        assertThat(execution.getEndTime()).isNotNull();
        assertThat(execution.getFailureExceptions()).hasSize(1);
    }

    @Test
    void aStepBuiltUnderAnotherNameDoesNotRun() throws Exception {
        List<String> ran = new ArrayList<>();
        Step shaped = new ParameterShapedStep("fetch", this.repository,
                execution -> named("fetch-hosts", step -> ran.add("ran")));
        StepExecution execution = stepOf("chunk", "16");

        shaped.execute(execution);

        assertThat(ran).isEmpty();
        assertThat(execution.getStatus()).isEqualTo(BatchStatus.FAILED);
        assertThat(execution.getExitStatus().getExitDescription()).contains("step fetch was built as fetch-hosts");
    }

    private StepExecution stepOf(String key, String value) throws Exception {
        JobParameters parameters = new JobParametersBuilder().addString(key, value).toJobParameters();
        JobExecution job = this.repository.createJobExecution(this.repository.createJobInstance("etl", parameters),
                parameters, new ExecutionContext());
        return this.repository.createStepExecution("step", job);
    }

    private static Step named(String name, java.util.function.Consumer<StepExecution> body) {
        return new Step() {
            @Override
            public String getName() {
                return name;
            }

            @Override
            public void execute(StepExecution stepExecution) {
                body.accept(stepExecution);
            }
        };
    }

}
