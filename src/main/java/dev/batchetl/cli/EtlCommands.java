package dev.batchetl.cli;

import java.io.PrintStream;

import dev.batchetl.job.EtlRunner;
import dev.batchetl.job.ExitCode;
import dev.batchetl.remote.RemoteContext;

import org.springframework.stereotype.Component;

/**
 * Dispatches the commands that run the job, {@code run}, {@code restart}, {@code retry}
 * and {@code worker}, to the {@link EtlRunner} and the remote worker (those that only
 * read or mark executions are {@link RepositoryCommands}, in a context without the job).
 */
@Component
class EtlCommands {

    private final EtlRunner runner;

    private final RemoteContext remote;

    EtlCommands(EtlRunner runner, RemoteContext remote) {
        this.runner = runner;
        this.remote = remote;
    }

    ExitCode execute(Command command, PrintStream out) {
        if (command instanceof Command.Run run) {
            return this.runner.run(run.request(), run.runKeyGiven(), run.given(), out);
        }
        if (command instanceof Command.Restart restart) {
            return this.runner.restart(restart.executionId(), out);
        }
        if (command instanceof Command.Retry retry) {
            return this.runner.retry(retry.executionId(), out);
        }
        if (command instanceof Command.Worker) {
            this.remote.worker().run(out);
            return ExitCode.OK;
        }
        throw new IllegalArgumentException("not a job command: " + command);
    }

}
