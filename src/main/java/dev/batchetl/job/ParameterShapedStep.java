package dev.batchetl.job;

import java.time.LocalDateTime;
import java.util.function.Function;

import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.ExitStatus;
import org.springframework.batch.core.job.JobInterruptedException;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.Step;
import org.springframework.batch.core.step.StepExecution;

/**
 * A step whose shape is read from the job parameters of each execution (a chunk size, a
 * grid size, local threads or worker processes): a singleton with a fixed name, which
 * builds the step that runs for each execution it is asked to run, from that execution's
 * parameters. Being a plain singleton, not a job-scoped bean, it can be looked up outside
 * a run, as Spring Batch's {@code JobOperator.stop} looks the running step up.
 */
public final class ParameterShapedStep implements Step {

    private final String name;

    private final JobRepository jobRepository;

    private final Function<StepExecution, Step> build;

    /**
     * @param name the step's name, under which its restart state is stored
     * @param jobRepository where a step that could not be built is recorded as failed
     * @param build the step that runs one execution, named {@code name}
     */
    public ParameterShapedStep(String name, JobRepository jobRepository, Function<StepExecution, Step> build) {
        this.name = name;
        this.jobRepository = jobRepository;
        this.build = build;
    }

    @Override
    public String getName() {
        return this.name;
    }

    @Override
    public void execute(StepExecution stepExecution) throws JobInterruptedException {
        Step step;
        try {
            step = this.build.apply(stepExecution);
            if (!step.getName().equals(this.name)) {
                throw new IllegalStateException("step " + this.name + " was built as " + step.getName());
            }
        }
        catch (RuntimeException ex) {
            // recorded as a step that ran and failed, so that a restart runs it again
            stepExecution.setStartTime(LocalDateTime.now());
            stepExecution.setStatus(BatchStatus.FAILED);
            stepExecution.setExitStatus(ExitStatus.FAILED.addExitDescription(ex));
            stepExecution.addFailureException(ex);
            stepExecution.setEndTime(LocalDateTime.now());
            this.jobRepository.update(stepExecution);
            return;
        }
        step.execute(stepExecution);
    }

    @Override
    public String toString() {
        return "step " + this.name + ", built for each execution from its job parameters";
    }

}
