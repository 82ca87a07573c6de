package dev.batchetl.job;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;

import dev.batchetl.EtlCli;
import dev.batchetl.EtlProcess;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A process killed after it created an execution and before it recorded itself as its
 * owner leaves an execution that no process owns: the next run, which takes the
 * instance's run lock, knows its creator is gone and continues at once, instead of
 * waiting for the lease to run out.
 */
class OwnerlessExecutionFunctionalTests {

    @TempDir
    Path work;

    @Test
    void anExecutionLeftWithoutOwnerIsContinuedAtOnce() throws Exception {
        // given: a run killed mid-way, whose owner record is then removed, as a kill just
        // after the execution was
        // created would have left it
        Path data = Files.createDirectories(this.work.resolve("data"));
        RunRecords.bigCsv(data.resolve("big.csv"), 200_000, 3);
        String run = "ownerless-" + UUID.randomUUID();
        String[] args = { "run", "dir=" + data, "output=" + this.work.resolve("results.csv"), "run=" + run,
                "partitions=1", "commit-rows=100", "split-size=1GB" };
        EtlProcess process = EtlProcess.start(this.work, args);
        long execution = RunRecords.awaitCommits(run, "stats-file:f00001", 2);
        process.kill();
        RunRecords.JDBC.update("DELETE FROM etl_execution_owner WHERE job_execution_id = ?", execution);
        RunRecords.JDBC.update(
                "UPDATE batch_job_execution SET last_updated = LOCALTIMESTAMP WHERE job_execution_id = ?", execution);

        // when: the same run again, at once
        EtlCli.Result again = EtlCli.run(args);

        // then: the ownerless execution is marked FAILED and the run continues and
        // completes
        assertThat(again.exitCode()).as(again.toString()).isZero();
        assertThat(again.out()).contains("execution " + execution + " was left STARTED")
            .contains("no process recorded itself as its owner");
        List<Long> executions = RunRecords.executions(run);
        assertThat(executions).hasSize(2).startsWith(execution);
        assertThat(RunRecords.status(execution)).isEqualTo("FAILED");
        assertThat(RunRecords.status(executions.get(1))).isEqualTo("COMPLETED");
    }

}
