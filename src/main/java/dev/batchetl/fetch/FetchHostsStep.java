package dev.batchetl.fetch;

import dev.batchetl.job.EtlParameters;

import org.springframework.batch.core.job.JobInterruptedException;
import org.springframework.batch.core.step.Step;
import org.springframework.batch.core.step.StepExecution;

/**
 * The worker step of a remote fetch, {@code fetch-hosts}: a partition
 * ({@code fetch-hosts:2-of-4}) fetches the sources of its host group ({@link HostGroup},
 * read from its name) not fetched yet, with the keys of its run. The chunk step is built
 * for each partition from that partition's job parameters ({@link FetchChunkSteps}), as
 * the local fetch step is for each execution: a worker serves many runs, with their own
 * threads, limits and folders.
 */
final class FetchHostsStep implements Step {

    /** The worker step's name, and the prefix of its partitions' names. */
    static final String NAME = "fetch-hosts";

    private final FetchChunkSteps steps;

    FetchHostsStep(FetchChunkSteps steps) {
        this.steps = steps;
    }

    @Override
    public String getName() {
        return NAME;
    }

    @Override
    public void execute(StepExecution stepExecution) throws JobInterruptedException {
        HostGroup group = HostGroup.ofStep(stepExecution.getStepName());
        EtlParameters run = EtlParameters.from(stepExecution.getJobParameters());
        this.steps.build(NAME, run, group).execute(stepExecution);
    }

}
