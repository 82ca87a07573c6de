package dev.batchetl.remote;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import dev.batchetl.EtlCli;
import dev.batchetl.EtlProcess;
import dev.batchetl.TestDatabase;
import dev.batchetl.job.RunRecords;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.postgresql.ds.PGSimpleDataSource;

import org.springframework.jdbc.core.JdbcTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Workers and managers that do not share a job repository, against the real RabbitMQ and
 * PostgreSQL: a worker on the embedded default refuses to start; a worker on another
 * database leaves the requests in the queue for a worker of the run's repository; a run
 * no worker serves fails after {@code partition-pickup-timeout}, and a restart with a
 * worker completes it.
 */
class WorkerRepositoryFunctionalTests {

    @TempDir
    Path work;

    private Path data;

    private final RemoteFixture remote = new RemoteFixture();

    private final String run = "repository-" + UUID.randomUUID();

    @BeforeEach
    void files() throws Exception {
        this.data = Files.createDirectories(this.work.resolve("data"));
        RunRecords.bigCsv(this.data.resolve("a.csv"), 3_000, 1);
        RunRecords.bigCsv(this.data.resolve("b.csv"), 4_000, 2);
    }

    @AfterEach
    void cleanUp() throws Exception {
        this.remote.close();
    }

    private String[] keys(String runKey, String output, String partitioning, String... more) {
        List<String> keys = new java.util.ArrayList<>(
                List.of("dir=" + this.data, "output=" + this.work.resolve(output), "run=" + runKey,
                        "partitioning=" + partitioning, "commit-rows=1000", "partitions=2", "partition-timeout=5m"));
        keys.addAll(List.of(more));
        return keys.toArray(String[]::new);
    }

    /**
     * The results of a local run over the same files, compared with those of remote
     * execution {@code execution}.
     */
    private void assertResultsOfALocalRun(long execution) throws Exception {
        List<String> args = new java.util.ArrayList<>(List.of("run"));
        args.addAll(List.of(keys("local-" + UUID.randomUUID(), "local.csv", "local")));
        EtlCli.Result local = EtlCli.run(args.toArray(String[]::new));
        assertThat(local.exitCode()).as(local.toString()).isZero();
        assertThat(RunRecords.fileStats(execution)).hasSize(2)
            .containsExactlyElementsOf(RunRecords.fileStats(local.executionId()));
        assertThat(RunRecords.columnStats(execution))
            .containsExactlyElementsOf(RunRecords.columnStats(local.executionId()));
        assertThat(RemoteFixture.read(this.work.resolve("results.csv")))
            .isEqualTo(RemoteFixture.read(this.work.resolve("local.csv")));
    }

    @Test
    void aWorkerOnTheEmbeddedDefaultRefusesToStartInOneLine() throws Exception {
        // given: a partition request waiting in the queue
        this.remote.declare();
        this.remote.send("{\"stepName\":\"stats-file\",\"stepExecutionId\":1}");

        // when: a worker starts without the PostgreSQL settings
        EtlProcess worker = EtlProcess.startWithout(this.work, "worker",
                "--batch-etl.remote.queue=" + this.remote.queue);

        // then: it exits 2 with one line saying it needs the shared job repository, and
        // the request is still there
        assertThat(worker.waitFor()).as(worker.output()).isEqualTo(2);
        assertThat(worker.output().lines()).as(worker.output())
            .containsExactly("error: worker needs the job repository"
                    + " of the runs it serves, a shared PostgreSQL (spring.datasource.url, see README, Scale-out); the"
                    + " embedded default database belongs to this process");
        assertThat(this.remote.waiting()).isEqualTo(1);
    }

    @Test
    void aWorkerOnAnotherJobRepositoryLeavesTheRequestsForAWorkerOfTheRunsRepository() throws Exception {
        // given: a worker on a database of its own
        String otherUrl = otherDatabase();
        EtlProcess stranger = this.remote.workerOn(this.work, otherUrl, "--batch-etl.worker.requeue-delay=1s");
        JdbcTemplate other = jdbc(otherUrl);

        // when: a remote run sends its requests
        EtlProcess manager = EtlProcess.start(this.work, this.remote.run(keys(this.run, "results.csv", "remote")));

        // then: the stranger leaves them (the one at the head of the queue, again and
        // again), saying why, and runs
        // nothing
        await().atMost(Duration.ofMinutes(2))
            .until(() -> stranger.output().contains("left in queue " + this.remote.queue) || !manager.isAlive());
        assertThat(stranger.output()).as(manager.output())
            .contains("it is for job repository " + databaseName(TestDatabase.URL) + "/")
            .doesNotContain("running partition");
        long execution = RunRecords.executions(this.run).get(0);
        assertThat(RemoteFixture.partitions(execution)).hasSize(2)
            .allSatisfy(p -> assertThat(p).containsEntry("status", "STARTING").containsEntry("pid", null));
        assertThat(other.queryForObject("SELECT COUNT(*) FROM etl_partition_owner", Long.class)).isZero();
        assertThat(manager.isAlive()).isTrue();

        // when: a worker of the run's job repository starts
        EtlProcess worker = this.remote.worker(this.work);

        // then: it runs both partitions, the run completes with the results of a local
        // run, and the queue is empty
        assertThat(manager.waitFor()).as(manager.output() + "\n" + worker.output()).isZero();
        assertThat(RemoteFixture.partitions(execution)).hasSize(2).allSatisfy(p -> {
            assertThat(p).containsEntry("status", "COMPLETED");
            assertThat(((Number) p.get("pid")).longValue()).isEqualTo(worker.pid());
        });
        assertResultsOfALocalRun(execution);
        await().atMost(Duration.ofMinutes(1)).until(() -> this.remote.waiting() == 0);
        assertThat(stranger.isAlive()).isTrue();
        assertThat(stranger.output()).doesNotContain("running partition");
    }

    @Test
    void aRunNoWorkerTakesFailsAfterThePickupTimeoutAndARestartWithAWorkerCompletesIt() throws Exception {
        // when: a remote run has no worker
        String[] run = this.remote.run(keys(this.run, "results.csv", "remote", "partition-pickup-timeout=5s"));
        EtlCli.Result failed = EtlCli.run(run);

        // then: it fails after the pickup timeout, in one line naming the queue, and its
        // partitions say so
        assertThat(failed.exitCode()).as(failed.toString()).isEqualTo(1);
        String line = "no worker took the partitions from queue " + this.remote.queue
                + " within partition-pickup-timeout=5s (no consumer on it); restart the run once workers of its job"
                + " repository run";
        assertThat((failed.out() + failed.err()).lines().filter(l -> l.contains(line))).as(failed.toString())
            .singleElement()
            .asString()
            .startsWith("step stats failed: ");
        long first = failed.executionId();
        List<Map<String, Object>> partitions = RemoteFixture.partitions(first);
        assertThat(partitions).hasSize(2).allSatisfy(p -> {
            assertThat(p).containsEntry("status", "FAILED");
            assertThat((String) p.get("exit_message")).contains("no worker took it from queue " + this.remote.queue);
        });

        // when: a worker runs and the run is started again (a longer pickup timeout: a
        // restart may change it)
        EtlProcess worker = this.remote.worker(this.work);
        EtlCli.Result restarted = EtlCli
            .run(this.remote.run(keys(this.run, "results.csv", "remote", "partition-pickup-timeout=2m")));

        // then: the restart completes with the results of a local run
        assertThat(restarted.exitCode()).as(restarted + "\n" + worker.output()).isZero();
        long second = restarted.executionId();
        assertThat(second).isNotEqualTo(first);
        assertThat(RunRecords.executions(this.run)).containsExactly(first, second);
        assertThat(RemoteFixture.partitions(second)).hasSize(2)
            .allSatisfy(p -> assertThat(p).containsEntry("status", "COMPLETED"));
        assertResultsOfALocalRun(second);
    }

    /**
     * A second database on the test server, fresh, for a worker that is not on the run's
     * job repository.
     */
    private static String otherDatabase() throws Exception {
        String name = databaseName(TestDatabase.URL) + "_other";
        String server = TestDatabase.URL.substring(0, TestDatabase.URL.lastIndexOf('/') + 1);
        try (Connection connection = DriverManager.getConnection(server + "postgres", TestDatabase.USER, null);
                Statement statement = connection.createStatement()) {
            statement.execute("DROP DATABASE IF EXISTS \"" + name + "\" WITH (FORCE)");
            statement.execute("CREATE DATABASE \"" + name + "\"");
        }
        return server + name;
    }

    private static JdbcTemplate jdbc(String url) {
        PGSimpleDataSource dataSource = new PGSimpleDataSource();
        dataSource.setUrl(url);
        dataSource.setUser(TestDatabase.USER);
        return new JdbcTemplate(dataSource);
    }

    private static String databaseName(String url) {
        return url.substring(url.lastIndexOf('/') + 1).replaceAll("\\?.*", "");
    }

}
