package dev.batchetl.cli;

import dev.batchetl.job.EtlRequest;
import dev.batchetl.schedule.ScheduleSettings;

/** A parsed command line. */
sealed interface Command {

    /**
     * {@code run [DEFINITION] [key=value ...]}; {@code given} names the keys the
     * definition or the command line set (the others hold their defaults).
     */
    record Run(EtlRequest request, boolean runKeyGiven, java.util.Set<String> given) implements Command {
    }

    /**
     * {@code schedule DEFINITION [cron=EXPR] [zone=ZONE] [key=value ...]}: runs the job
     * at every fire, the fire time as run key; {@code request} holds the job's keys (its
     * run key is replaced by each fire's).
     */
    record Schedule(EtlRequest request, ScheduleSettings settings) implements Command {
    }

    /** {@code restart EXECUTION_ID}. */
    record Restart(long executionId) implements Command {
    }

    /**
     * {@code retry EXECUTION_ID}: a run of what failed in a completed execution, reusing
     * what succeeded there.
     */
    record Retry(long executionId) implements Command {
    }

    /** {@code list [N]}: the latest executions. */
    record ListExecutions(int limit) implements Command {
    }

    /** {@code report EXECUTION_ID [output=FILE]}: the page of a run, as one HTML file. */
    record Report(long executionId, java.nio.file.Path output) implements Command {
    }

    /** {@code show EXECUTION_ID}. */
    record Show(long executionId) implements Command {
    }

    /**
     * {@code stop EXECUTION_ID}: a graceful stop at the next chunk boundary, from any
     * process.
     */
    record Stop(long executionId) implements Command {
    }

    /** {@code recover [EXECUTION_ID]}: mark executions whose process died as FAILED. */
    record Recover(Long executionId) implements Command {
    }

    /**
     * {@code dashboard}: serves the runs list and the pages of runs over HTTP until
     * stopped.
     */
    record Dashboard() implements Command {
    }

    /** {@code worker}: runs statistics partitions of remote runs until stopped. */
    record Worker() implements Command {
    }

    /** {@code help}. */
    record Help() implements Command {
    }

}
