package dev.batchetl.job;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import dev.batchetl.EtlCli;
import dev.batchetl.EtlProcess;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A run killed inside a large file resumes from its last checkpoint; SIGTERM and
 * {@code stop} end a run STOPPED with exit 4; a dead execution is recovered and a live
 * one is not; two restarts at once run once.
 */
class CrashRecoveryFunctionalTests {

    private static final int ROWS = 600_000;

    @TempDir
    static Path shared;

    static Path data;

    @TempDir
    Path work;

    private final String run = "crash-" + UUID.randomUUID();

    @BeforeAll
    static void bigFile() throws Exception {
        data = Files.createDirectories(shared.resolve("data"));
        RunRecords.bigCsv(data.resolve("big.csv"), ROWS, 11);
    }

    /** One partition for the whole file, a checkpoint every 1000 rows. */
    private String[] args(String runKey) {
        return new String[] { "run", "dir=" + data, "output=" + this.work.resolve("results.csv"), "run=" + runKey,
                "partitions=1", "commit-rows=1000", "split-size=1GB" };
    }

    @Test
    void aPartitionKilledInsideTheFileResumesFromItsCheckpoint() throws Exception {
        // given: a run killed after the big file's partition committed a few checkpoints
        EtlProcess first = EtlProcess.start(this.work, args(this.run));
        long killed = RunRecords.awaitCommits(this.run, "stats-file:f00001", 5);
        first.kill();
        Map<String, Object> before = RunRecords.step(killed, "stats-file:f00001");
        long committedRows = ((Number) before.get("write_count")).longValue();
        assertThat(RunRecords.status(killed)).isEqualTo("STARTED");
        assertThat(committedRows).isPositive().isLessThan(ROWS);

        // when: the same run is started again
        EtlCli.Result restarted = EtlCli.run(args(this.run));

        // then: the dead execution was recovered, and the partition read only the rows
        // after its checkpoint
        assertThat(restarted.exitCode()).as(restarted.toString()).isZero();
        assertThat(restarted.out()).contains("execution " + killed + " was left STARTED by a process that died");
        assertThat(RunRecords.status(killed)).isEqualTo("FAILED");
        long resumed = restarted.executionId();
        long resumedRows = ((Number) RunRecords.step(resumed, "stats-file:f00001").get("write_count")).longValue();
        assertThat(resumedRows).isLessThan(ROWS).isEqualTo(ROWS - committedRows);

        // and the results are those of an uninterrupted run
        String reference = "reference-" + UUID.randomUUID();
        EtlCli.Result uninterrupted = EtlCli.run("run", "dir=" + data, "output=" + this.work.resolve("reference.csv"),
                "run=" + reference, "partitions=1", "split-size=1GB");
        assertThat(uninterrupted.exitCode()).as(uninterrupted.toString()).isZero();
        assertThat(RunRecords.fileStats(resumed))
            .containsExactlyElementsOf(RunRecords.fileStats(uninterrupted.executionId()));
        assertThat(RunRecords.columnStats(resumed))
            .containsExactlyElementsOf(RunRecords.columnStats(uninterrupted.executionId()));
        assertThat(Files.readString(this.work.resolve("results.csv")))
            .isEqualTo(Files.readString(this.work.resolve("reference.csv")));
    }

    @Test
    void sigtermStopsAtAChunkBoundaryWithExitFourAndTheRunRestarts() throws Exception {
        // given: a run in the middle of the big file
        EtlProcess process = EtlProcess.start(this.work, args(this.run));
        long execution = RunRecords.awaitCommits(this.run, "stats-file:f00001", 2);

        // when: it gets SIGTERM, as from a scheduler or Ctrl-C
        process.terminate();

        // then: it stops at the next chunk boundary, STOPPED, exit code 4
        assertThat(process.waitFor()).as(process.output()).isEqualTo(4);
        assertThat(process.output()).contains("stop requested: execution " + execution);
        assertThat(RunRecords.status(execution)).isEqualTo("STOPPED");
        assertThat(RunRecords.step(execution, "stats-file:f00001")).containsEntry("status", "STOPPED");

        // and the same run key continues it to the end
        EtlCli.Result restarted = EtlCli.run(args(this.run));
        assertThat(restarted.exitCode()).as(restarted.toString()).isZero();
        assertThat(RunRecords.fileStats(restarted.executionId())).singleElement()
            .satisfies(file -> assertThat(((Number) file.get("rows_count")).longValue()).isEqualTo(ROWS));
    }

    @Test
    void stopFromAnotherProcessEndsTheRunStopped() throws Exception {
        // given: a running run
        EtlProcess process = EtlProcess.start(this.work, args(this.run));
        long execution = RunRecords.awaitCommits(this.run, "stats-file:f00001", 2);

        // when: another process asks it to stop
        EtlCli.Result stop = EtlCli.run("stop", Long.toString(execution));

        // then
        assertThat(stop.exitCode()).as(stop.toString()).isZero();
        assertThat(stop.out()).contains("stop requested: execution " + execution);
        assertThat(process.waitFor()).as(process.output()).isEqualTo(4);
        assertThat(RunRecords.status(execution)).isEqualTo("STOPPED");
        assertThat(EtlCli.run("stop", Long.toString(execution)).exitCode()).isEqualTo(2);
    }

    @Test
    void recoverMarksADeadExecutionFailedAndRefusesALiveOne() throws Exception {
        // given: a running process
        EtlProcess process = EtlProcess.start(this.work, args(this.run));
        long execution = RunRecords.awaitCommits(this.run, "stats-file:f00001", 2);

        // when it is alive: recover, run and restart refuse, with exit code 2
        EtlCli.Result refused = EtlCli.run("recover", Long.toString(execution));
        assertThat(refused.exitCode()).as(refused.toString()).isEqualTo(2);
        assertThat(refused.err()).contains("may be alive").contains("pid " + process.pid());
        EtlCli.Result runAgain = EtlCli.run(args(this.run));
        assertThat(runAgain.exitCode()).as(runAgain.toString()).isEqualTo(2);
        assertThat(runAgain.err()).contains("another process");
        assertThat(RunRecords.status(execution)).isEqualTo("STARTED");

        // when it died: recover marks it and its running steps FAILED
        process.kill();
        EtlCli.Result recovered = EtlCli.run("recover", Long.toString(execution));
        assertThat(recovered.exitCode()).as(recovered.toString()).isZero();
        assertThat(recovered.out()).contains("execution " + execution + " marked FAILED")
            .contains("pid " + process.pid())
            .contains("is gone");
        assertThat(RunRecords.status(execution)).isEqualTo("FAILED");
        assertThat(RunRecords.step(execution, "stats-file:f00001")).containsEntry("status", "FAILED");
        assertThat(RunRecords.step(execution, "stats")).containsEntry("status", "FAILED");

        // and restart completes it
        EtlCli.Result restarted = EtlCli.run("restart", Long.toString(execution));
        assertThat(restarted.exitCode()).as(restarted.toString()).isZero();
    }

    @Test
    void twoRestartsAtTheSameMomentRunOnce() throws Exception {
        // given: a run that died inside the big file
        EtlProcess first = EtlProcess.start(this.work, args(this.run));
        long killed = RunRecords.awaitCommits(this.run, "stats-file:f00001", 2);
        first.kill();

        // when: two processes restart it at once
        EtlProcess a = EtlProcess.start(this.work, args(this.run));
        EtlProcess b = EtlProcess.start(this.work, args(this.run));
        int exitA = a.waitFor();
        int exitB = b.waitFor();

        // then: one ran it to the end, the other was refused with a clear message, and
        // one execution was added
        assertThat(List.of(exitA, exitB)).as(a.output() + "\n----\n" + b.output()).containsExactlyInAnyOrder(0, 2);
        EtlProcess refused = exitA == 2 ? a : b;
        assertThat(refused.output()).contains("is being started or run by another process right now");
        List<Long> executions = RunRecords.executions(this.run);
        assertThat(executions).hasSize(2).startsWith(killed);
        assertThat(RunRecords.status(executions.get(1))).isEqualTo("COMPLETED");
    }

}
