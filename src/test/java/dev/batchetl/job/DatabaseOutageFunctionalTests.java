package dev.batchetl.job;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import dev.batchetl.EtlCli;
import dev.batchetl.EtlProcess;
import dev.batchetl.TestDatabase;
import dev.batchetl.fetch.TestHttpServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * PostgreSQL restarted in the middle of a run: the run either rides through or fails with
 * a clear message, and either way running it again completes it with the results of an
 * uninterrupted run. The suite restarts the local server with
 * {@code -Dtest.db.restart-command} (default: Debian's {@code pg_ctlcluster}); where it
 * cannot, the test is skipped.
 */
class DatabaseOutageFunctionalTests {

    private static final int ROWS = 600_000;

    @TempDir
    Path work;

    @Test
    void aDatabaseRestartMidRunIsSurvivedByARestart() throws Exception {
        List<String> restartCommand = restartCommand();
        assumeTrue(restartCommand != null, "cannot restart the test database server here");

        // given: a run with a checkpoint every 50 rows, in the middle of its big file
        Path data = Files.createDirectories(this.work.resolve("data"));
        RunRecords.bigCsv(data.resolve("big.csv"), ROWS, 21);
        String run = "outage-" + UUID.randomUUID();
        String[] args = { "run", "dir=" + data, "output=" + this.work.resolve("results.csv"), "run=" + run,
                "partitions=1", "commit-rows=50", "split-size=1GB" };
        EtlProcess process = EtlProcess.start(this.work, args);
        long execution = RunRecords.awaitCommits(run, "stats-file:f00001", 20);

        // when: the database server restarts
        Process restart = new ProcessBuilder(restartCommand).inheritIO().start();
        assertThat(restart.waitFor(2, TimeUnit.MINUTES)).isTrue();
        assertThat(restart.exitValue()).isZero();

        // then: the run rode through, or failed saying so, without a stack trace
        int exit = process.waitFor();
        assertThat(exit).as(process.output()).isIn(0, 1);
        assertThat(process.output()).doesNotContain("\tat org.");
        if (exit == 1) {
            assertThat(process.output())
                .containsPattern("lost the connection to the job repository at \\S+ during step stats;"
                        + " continue with: batch-etl restart \\d+");
        }

        // and running it again completes it, as an uninterrupted run would have ended
        EtlCli.Result again = EtlCli.run(args);
        assertThat(again.exitCode()).as(again.toString()).isZero();
        List<Long> executions = RunRecords.executions(run);
        long last = executions.get(executions.size() - 1);
        assertThat(RunRecords.status(last)).isEqualTo("COMPLETED");
        assertThat(executions).startsWith(execution);
        EtlCli.Result reference = EtlCli.run("run", "dir=" + data, "output=" + this.work.resolve("reference.csv"),
                "run=reference-" + UUID.randomUUID(), "partitions=1", "split-size=1GB");
        assertThat(RunRecords.fileStats(last)).containsExactlyElementsOf(RunRecords.fileStats(reference.executionId()));
        assertThat(RunRecords.columnStats(last))
            .containsExactlyElementsOf(RunRecords.columnStats(reference.executionId()));
        assertThat(Files.readString(this.work.resolve("results.csv")))
            .isEqualTo(Files.readString(this.work.resolve("reference.csv")));
    }

    @Test
    void aDatabaseRestartMidFetchSaysSoAndLosesNoFinishedDownload() throws Exception {
        List<String> restartCommand = restartCommand();
        assumeTrue(restartCommand != null, "cannot restart the test database server here");

        // given: 16 sources that take 400 ms each, two at a time, all in one chunk
        try (TestHttpServer server = TestHttpServer.start()) {
            server.latency(java.time.Duration.ofMillis(400));
            StringBuilder list = new StringBuilder();
            for (int i = 1; i <= 16; i++) {
                server.serve("/s" + i + ".csv", ("a,b\n" + i + ",x\n").getBytes());
                list.append(server.uri("/s" + i + ".csv")).append('\n');
            }
            Path sources = Files.writeString(this.work.resolve("sources.txt"), list);
            String run = "fetch-outage-" + UUID.randomUUID();
            String[] args = { "run", "sources=" + sources, "dir=" + this.work.resolve("data"),
                    "output=" + this.work.resolve("results.csv"), "run=" + run, "threads=2", "fetch-chunk=16" };
            EtlProcess process = EtlProcess.start(this.work, args);
            org.awaitility.Awaitility.await().atMost(java.time.Duration.ofMinutes(2)).until(() -> doneItems(run) >= 4);

            // when: the database server restarts mid-fetch
            Process restart = new ProcessBuilder(restartCommand).inheritIO().start();
            assertThat(restart.waitFor(2, TimeUnit.MINUTES)).isTrue();
            assertThat(restart.exitValue()).isZero();
            long doneBefore = doneItems(run);

            // then: the run rode through, or said in one line that it lost the job
            // repository and how to go on
            int exit = process.waitFor();
            assertThat(exit).as(process.output()).isIn(0, 1);
            assertThat(process.output()).doesNotContain("\tat org.")
                .doesNotContain("Exception")
                .doesNotContain(" WARN ");
            if (exit == 1) {
                assertThat(process.output()).containsPattern(
                        "lost the connection to the job repository at 127\\.0\\.0\\.1:\\d+/\\S+ during step fetch;"
                                + " continue with: batch-etl restart \\d+");
            }

            // and the continuation completes without requesting a download recorded
            // before the restart again
            EtlCli.Result again = EtlCli.run(args);
            assertThat(again.exitCode()).as(again.toString()).isZero();
            assertThat(doneBefore).isGreaterThanOrEqualTo(4);
            int requestedTwice = 0;
            for (int i = 1; i <= 16; i++) {
                int requests = server.requests("/s" + i + ".csv");
                assertThat(requests).as("requests of s%d.csv", i).isBetween(1, 2);
                requestedTwice += requests - 1;
            }
            // only downloads under way or ended while the database was down may be
            // requested again
            assertThat(requestedTwice).isLessThanOrEqualTo(16 - (int) doneBefore);
            assertThat(Files.list(this.work.resolve("data")).count()).isEqualTo(16);
        }
    }

    private static long doneItems(String run) {
        return TestDatabase.jdbc().queryForObject("""
                SELECT COUNT(DISTINCT i.line) FROM etl_fetch_item i
                JOIN batch_job_execution e ON e.job_instance_id = i.job_instance_id
                JOIN batch_job_execution_params p ON p.job_execution_id = e.job_execution_id
                WHERE p.parameter_name = 'run' AND p.parameter_value = ? AND i.status = 'DONE'""", Long.class, run);
    }

    /**
     * The command that restarts the test database server, or null where there is none to
     * run.
     */
    private static List<String> restartCommand() throws Exception {
        String configured = System.getProperty("test.db.restart-command");
        if (configured != null) {
            return configured.isBlank() ? null : List.of("sh", "-c", configured);
        }
        if (!TestDatabase.URL.contains("//127.0.0.1:") && !TestDatabase.URL.contains("//localhost:")) {
            return null;
        }
        Path clusters = Path.of("/etc/postgresql");
        if (!Files.isDirectory(clusters) || !Files.isExecutable(Path.of("/usr/bin/pg_ctlcluster"))) {
            return null;
        }
        try (var versions = Files.list(clusters)) {
            String version = versions.map(p -> p.getFileName().toString()).sorted().reduce((a, b) -> b).orElse(null);
            return version == null ? null
                    : List.of("pg_ctlcluster", "--skip-systemctl-redirect", version, "main", "restart");
        }
    }

}
