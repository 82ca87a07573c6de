package dev.batchetl.job;

import java.io.PrintStream;

import org.springframework.batch.core.job.JobExecution;

/**
 * Something done once an execution of the job has ended and the job repository holds its
 * final state: after every run, restart, retry and scheduled fire that ran the job,
 * whatever its status. {@link EtlRunner} calls the beans of this type, in their order,
 * before the run's closing line (and {@link #starting} as it starts the execution); what
 * one throws is one line of the run's output and changes neither the execution nor the
 * exit code. (A {@code JobExecutionListener} would not do: its {@code afterJob} comes
 * before the final status is stored.)
 */
public interface AfterRun {

    /**
     * @param execution the execution as it ended
     * @param parameters its keys
     * @param out the run's output
     */
    void ended(JobExecution execution, EtlParameters parameters, PrintStream out);

    /**
     * Called as an execution is about to start, so that what {@link #ended} needs can be
     * readied while the job runs; nothing by default.
     * @param parameters the keys it is started with
     */
    default void starting(EtlParameters parameters) {
    }

}
