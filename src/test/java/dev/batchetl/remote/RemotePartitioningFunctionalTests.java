package dev.batchetl.remote;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

import dev.batchetl.EtlCli;
import dev.batchetl.EtlProcess;
import dev.batchetl.job.RunRecords;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Remote partitioning against the real RabbitMQ and PostgreSQL: a manager and worker JVMs
 * give the results of a local run; a worker killed inside a partition fails the run with
 * the reason, and a restart finishes it from the checkpoint without running any partition
 * twice; a file a worker cannot see fails its partition; a malformed message is rejected
 * without harming the worker.
 */
class RemotePartitioningFunctionalTests {

    private static final int BIG_ROWS = 400_000;

    @TempDir
    static Path shared;

    static Path data;

    @TempDir
    Path work;

    private final RemoteFixture remote = new RemoteFixture();

    private final String run = "remote-" + UUID.randomUUID();

    @BeforeAll
    static void files() throws Exception {
        data = Files.createDirectories(shared.resolve("data"));
        RunRecords.bigCsv(data.resolve("big.csv"), BIG_ROWS, 7);
        for (int i = 1; i <= 10; i++) {
            RunRecords.bigCsv(Files.createDirectories(data.resolve("part" + (i % 3))).resolve("small-" + i + ".csv"),
                    3_000 + 500 * i, i);
        }
    }

    @AfterEach
    void cleanUp() throws Exception {
        this.remote.close();
    }

    private String[] keys(Path dir, String runKey, String output, String partitioning) {
        return new String[] { "dir=" + dir, "output=" + this.work.resolve(output), "run=" + runKey,
                "partitioning=" + partitioning, "commit-rows=1000", "split-size=1GB", "partitions=2",
                "partition-timeout=5m" };
    }

    private EtlCli.Result localReference(Path dir) {
        EtlCli.Result local = EtlCli.run(prepend("run", keys(dir, "local-" + UUID.randomUUID(), "local.csv", "local")));
        assertThat(local.exitCode()).as(local.toString()).isZero();
        return local;
    }

    @Test
    void aManagerAndTwoWorkersGiveTheResultsOfALocalRun() throws Exception {
        // given: two workers on the queue
        EtlProcess a = this.remote.worker(this.work);
        EtlProcess b = this.remote.worker(this.work);

        // when: a remote run covers the files
        EtlCli.Result result = EtlCli.run(this.remote.run(keys(data, this.run, "results.csv", "remote")));

        // then: it completed, every partition ran on one of the workers, and both workers
        // took part
        assertThat(result.exitCode()).as(result + "\n" + a.output() + "\n" + b.output()).isZero();
        long execution = result.executionId();
        List<Map<String, Object>> partitions = RemoteFixture.partitions(execution);
        assertThat(partitions).hasSize(11).allSatisfy(p -> assertThat(p).containsEntry("status", "COMPLETED"));
        Set<Long> pids = partitions.stream().map(p -> ((Number) p.get("pid")).longValue()).collect(Collectors.toSet());
        assertThat(pids).containsExactlyInAnyOrder(a.pid(), b.pid());

        // and the results equal those of a local run over the same files
        EtlCli.Result local = localReference(data);
        assertThat(RunRecords.fileStats(execution)).hasSize(11)
            .containsExactlyElementsOf(RunRecords.fileStats(local.executionId()));
        assertThat(RunRecords.columnStats(execution))
            .containsExactlyElementsOf(RunRecords.columnStats(local.executionId()));
        assertThat(RemoteFixture.read(this.work.resolve("results.csv")))
            .isEqualTo(RemoteFixture.read(this.work.resolve("local.csv")));
        assertThat(this.remote.waiting()).isZero();
    }

    @Test
    void aWorkerKilledInsideAPartitionFailsTheRunAndARestartFinishesItOnce() throws Exception {
        // given: two workers, and a remote run whose big partition has committed a few
        // checkpoints on one of them
        EtlProcess a = this.remote.worker(this.work);
        EtlProcess b = this.remote.worker(this.work);
        EtlProcess manager = EtlProcess.start(this.work,
                this.remote.run(keys(data, this.run, "results.csv", "remote")));
        long first = RunRecords.awaitCommits(this.run, "stats-file:f00001", 3);
        long owner = await().atMost(Duration.ofMinutes(1))
            .until(() -> RemoteFixture.JDBC.queryForList("""
                    SELECT o.pid FROM etl_partition_owner o JOIN batch_step_execution s
                      ON s.step_execution_id = o.step_execution_id
                    WHERE s.job_execution_id = ? AND s.step_name = 'stats-file:f00001'""", Long.class, first),
                    pids -> pids.size() == 1)
            .get(0);
        EtlProcess victim = owner == a.pid() ? a : b;
        EtlProcess survivor = victim == a ? b : a;

        // when: that worker is killed outright
        victim.kill();

        // then: the manager fails the dead worker's partition, lets the others finish,
        // and the run fails, saying why
        assertThat(manager.waitFor()).as(manager.output()).isEqualTo(1);
        assertThat(manager.output()).contains("f00001").contains("the worker running it died").contains("is gone");
        Map<String, Object> killed = RunRecords.step(first, "stats-file:f00001");
        assertThat(killed).containsEntry("status", "FAILED");
        long committedRows = ((Number) killed.get("write_count")).longValue();
        assertThat(committedRows).isPositive().isLessThan(BIG_ROWS);
        assertThat(RemoteFixture.partitions(first)).filteredOn(p -> !"stats-file:f00001".equals(p.get("step_name")))
            .allSatisfy(p -> assertThat(p).containsEntry("status", "COMPLETED"));

        // when: the run is started again (the killed request was redelivered meanwhile,
        // and not run again)
        EtlCli.Result restarted = EtlCli.run(this.remote.run(keys(data, this.run, "results.csv", "remote")));

        // then: only the unfinished partition ran, from its checkpoint, on the surviving
        // worker
        assertThat(restarted.exitCode()).as(restarted + "\n" + survivor.output()).isZero();
        long second = restarted.executionId();
        assertThat(RemoteFixture.partitions(second)).singleElement().satisfies(p -> {
            assertThat(p).containsEntry("step_name", "stats-file:f00001").containsEntry("status", "COMPLETED");
            assertThat(((Number) p.get("pid")).longValue()).isEqualTo(survivor.pid());
            assertThat(((Number) p.get("write_count")).longValue()).isEqualTo(BIG_ROWS - committedRows);
        });
        assertThat(survivor.output()).contains("ignored: already claimed by pid " + victim.pid());
        assertThat(RemoteFixture.completions(this.run)).hasSize(11)
            .allSatisfy((name, count) -> assertThat(count).isEqualTo(1L));

        // and the results are those of a local run
        EtlCli.Result local = localReference(data);
        assertThat(RunRecords.fileStats(second)).containsExactlyElementsOf(RunRecords.fileStats(local.executionId()));
        assertThat(RunRecords.columnStats(second))
            .containsExactlyElementsOf(RunRecords.columnStats(local.executionId()));
        assertThat(RemoteFixture.read(this.work.resolve("results.csv")))
            .isEqualTo(RemoteFixture.read(this.work.resolve("local.csv")));
    }

    @Test
    void sigtermStopsAWorkersPartitionAtACheckpointAndARestartContinuesIt() throws Exception {
        // given: a remote run of one big partition on a worker
        Path dir = Files.createDirectories(this.work.resolve("data"));
        Files.copy(data.resolve("big.csv"), dir.resolve("big.csv"));
        EtlProcess worker = this.remote.worker(this.work);
        EtlProcess manager = EtlProcess.start(this.work, this.remote.run(keys(dir, this.run, "results.csv", "remote")));
        long first = RunRecords.awaitCommits(this.run, "stats-file:f00001", 2);

        // when: the worker gets SIGTERM
        worker.terminate();

        // then: it stops the partition at a checkpoint and exits 0; the run ends STOPPED
        // (exit 4)
        assertThat(worker.waitFor()).as(worker.output()).isZero();
        assertThat(worker.output()).contains("worker stopped");
        assertThat(manager.waitFor()).as(manager.output()).isEqualTo(4);
        Map<String, Object> stopped = RunRecords.step(first, "stats-file:f00001");
        assertThat(stopped).containsEntry("status", "STOPPED");
        long committedRows = ((Number) stopped.get("write_count")).longValue();

        // and a restart with another worker continues from the checkpoint
        this.remote.worker(this.work);
        EtlCli.Result restarted = EtlCli.run(this.remote.run(keys(dir, this.run, "results.csv", "remote")));
        assertThat(restarted.exitCode()).as(restarted.toString()).isZero();
        assertThat(
                ((Number) RunRecords.step(restarted.executionId(), "stats-file:f00001").get("write_count")).longValue())
            .isEqualTo(BIG_ROWS - committedRows);
    }

    @Test
    void aFileTheWorkerCannotSeeFailsItsPartitionWithTheReason() throws Exception {
        // given: a remote run whose partitions wait for a worker, and one of its files
        // gone before a worker looks
        Path dir = Files.createDirectories(this.work.resolve("data"));
        RunRecords.bigCsv(dir.resolve("a.csv"), 2_000, 1);
        Path vanishing = RunRecords.bigCsv(dir.resolve("b.csv"), 2_000, 2);
        EtlProcess manager = EtlProcess.start(this.work, this.remote.run(keys(dir, this.run, "results.csv", "remote")));
        await().atMost(Duration.ofMinutes(2)).until(() -> this.remote.waiting() == 2);
        Files.delete(vanishing);

        // when: a worker takes the requests
        EtlProcess worker = this.remote.worker(this.work);

        // then: that partition failed with the reason, the other completed, and the run
        // failed saying which and why
        assertThat(manager.waitFor()).as(manager.output() + "\n" + worker.output()).isEqualTo(1);
        long execution = RunRecords.executions(this.run).get(0);
        List<Map<String, Object>> partitions = RemoteFixture.partitions(execution);
        assertThat(partitions).as(manager.output() + "\n" + worker.output())
            .extracting(p -> p.get("step_name") + " " + p.get("status"))
            .containsExactly("stats-file:f00001 COMPLETED", "stats-file:f00002 FAILED");
        assertThat((String) partitions.get(1).get("exit_message"))
            .contains("cannot read " + vanishing + " (no such file)")
            .contains("shared folder");
        assertThat(manager.output()).contains("f00002").contains("cannot read").contains("no such file");
        assertThat(worker.isAlive()).isTrue();
    }

    @Test
    void aMalformedMessageIsRejectedAndTheWorkerGoesOn() throws Exception {
        // given: a worker
        EtlProcess worker = this.remote.worker(this.work);

        // when: messages that are not partition requests arrive
        this.remote.send("not json at all");
        this.remote.send("{\"stepName\":\"stats-file\",\"stepExecutionId\":\"1; DROP TABLE\"}");
        this.remote.send("{\"stepName\":\"other-step\",\"stepExecutionId\":1}");
        this.remote.sendJavaSerialized(new byte[] { (byte) 0xac, (byte) 0xed, 0, 5, 0x73, 0x72 });

        // then: each is rejected (not requeued) and logged, and the worker stays up
        await().atMost(Duration.ofMinutes(1))
            .until(() -> worker.output().split("rejected a malformed partition request", -1).length - 1 == 4);
        assertThat(worker.output()).contains("not JSON")
            .contains("no positive whole stepExecutionId")
            .contains("'other-step' is not fetch-hosts or stats-file");
        assertThat(this.remote.waiting()).isZero();
        assertThat(worker.isAlive()).isTrue();

        // and it still runs a real remote run
        Path dir = Files.createDirectories(this.work.resolve("data"));
        RunRecords.bigCsv(dir.resolve("a.csv"), 2_000, 1);
        EtlCli.Result result = EtlCli.run(this.remote.run(keys(dir, this.run, "results.csv", "remote")));
        assertThat(result.exitCode()).as(result + "\n" + worker.output()).isZero();
    }

    private static String[] prepend(String first, String[] rest) {
        String[] all = new String[rest.length + 1];
        all[0] = first;
        System.arraycopy(rest, 0, all, 1, rest.length);
        return all;
    }

}
