package dev.batchetl.job;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;

import dev.batchetl.EtlCli;
import dev.batchetl.EtlProcess;
import dev.batchetl.TestDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A process killed while Spring Batch recorded the statistics partitions can leave a
 * partition whose step execution exists without its context (the file and range it reads:
 * two writes, the kill in between). The restart gives it its plan again and ends as an
 * uninterrupted run. (The suite's kill test met this once; here the state is made
 * directly.)
 */
class PartitionPlanFunctionalTests {

    @TempDir
    Path work;

    @Test
    void aPartitionLeftWithoutItsPlanIsPlannedAgainOnRestart() throws Exception {
        // given: a run killed in the middle of its big file, recovered, and one
        // partition's context lost
        Path data = Files.createDirectories(this.work.resolve("data"));
        Files.writeString(data.resolve("a.csv"), "n\n1\n2\n");
        RunRecords.bigCsv(data.resolve("big.csv"), 300_000, 9);
        String run = "plan-" + UUID.randomUUID();
        String[] args = { "run", "dir=" + data, "output=" + this.work.resolve("results.csv"), "commit-rows=1000",
                "partitions=2", "split-size=1GB", "run=" + run };
        EtlProcess process = EtlProcess.start(this.work, args);
        long execution = RunRecords.awaitCommits(run, "stats-file:f00002", 3);
        process.kill();
        assertThat(EtlCli.run("recover", Long.toString(execution)).exitCode()).isZero();
        int deleted = TestDatabase.jdbc().update("""
                DELETE FROM batch_step_execution_context WHERE step_execution_id = (
                  SELECT MAX(step_execution_id) FROM batch_step_execution
                  WHERE job_execution_id = ? AND step_name = 'stats-file:f00002')""", execution);
        assertThat(deleted).isOne();

        // when
        EtlCli.Result restarted = EtlCli.run("restart", Long.toString(execution));

        // then: the partition read its file again from its start, and the results are an
        // uninterrupted run's
        assertThat(restarted.exitCode()).as(restarted.toString()).isZero();
        EtlCli.Result reference = EtlCli.run("run", "dir=" + data, "output=" + this.work.resolve("reference.csv"),
                "partitions=2", "split-size=1GB", "run=reference-" + UUID.randomUUID());
        assertThat(reference.exitCode()).as(reference.toString()).isZero();
        assertThat(RunRecords.fileStats(restarted.executionId()))
            .containsExactlyElementsOf(RunRecords.fileStats(reference.executionId()));
        assertThat(RunRecords.columnStats(restarted.executionId()))
            .containsExactlyElementsOf(RunRecords.columnStats(reference.executionId()));
        assertThat(Files.readString(this.work.resolve("results.csv")))
            .isEqualTo(Files.readString(this.work.resolve("reference.csv")));
    }

}
