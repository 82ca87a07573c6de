package dev.batchetl.job;

import dev.batchetl.job.EtlJobConfiguration;

import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.ExitStatus;

/** Process exit codes: stable, documented in the README, meant for schedulers. */
public enum ExitCode {

    /** Completed; every source and file was processed. */
    OK(0),
    /** Failed; the run can be restarted from its checkpoint. */
    FAILED(1),
    /** Usage or configuration error; nothing was run. */
    USAGE(2),
    /**
     * Completed, but some sources or files failed; they are listed in the output and in
     * the tables.
     */
    COMPLETED_WITH_FAILURES(3),
    /** Stopped on request; the run can be restarted. */
    STOPPED(4);

    private final int code;

    ExitCode(int code) {
        this.code = code;
    }

    public int code() {
        return this.code;
    }

    /**
     * The exit code of a finished job execution, from its status and Spring Batch exit
     * code; null while it runs.
     */
    public static ExitCode of(BatchStatus status, String springExitCode) {
        if (status.isRunning()) {
            return null;
        }
        return switch (status) {
            case COMPLETED ->
                EtlJobConfiguration.COMPLETED_WITH_FAILURES.equals(springExitCode) ? COMPLETED_WITH_FAILURES : OK;
            case STOPPED -> STOPPED;
            default -> ExitStatus.NOOP.getExitCode().equals(springExitCode) ? OK : FAILED;
        };
    }

}
