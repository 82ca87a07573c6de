package dev.batchetl.job;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.batchetl.BatchEtlApplication;
import dev.batchetl.EtlCli;
import dev.batchetl.EtlProcess;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * With no database configured the application uses an embedded database in the working
 * folder: the sample job runs on a fresh machine, offline, and its run key is remembered
 * there; SIGTERM stops a run or a scheduled fire there as on PostgreSQL (STOPPED, and the
 * next run continues it). A database that cannot be reached is exit 2.
 */
class EmbeddedDefaultFunctionalTests {

    private static final int ROWS = 200_000;

    private static final String STATS_STEP = "stats-file:f00001";

    private static final Pattern STARTING = Pattern.compile("starting \\S+ run=(\\S+)");

    @TempDir
    static Path shared;

    static Path data;

    /**
     * results.csv of an uninterrupted run of {@link #data}, with the keys of
     * {@link #bigRun}.
     */
    static String reference;

    @TempDir
    Path work;

    @BeforeAll
    static void bigFileAndItsUninterruptedResults() throws Exception {
        data = Files.createDirectories(shared.resolve("data"));
        RunRecords.bigCsv(data.resolve("big.csv"), ROWS, 7);
        Path folder = Files.createDirectories(shared.resolve("reference"));
        EtlProcess uninterrupted = EtlProcess.startWithout(folder, bigRun(folder, "reference"));
        assertThat(uninterrupted.waitFor()).as(uninterrupted.output()).isZero();
        reference = Files.readString(folder.resolve("results.csv"));
    }

    /**
     * One partition for the whole file and a checkpoint every 4000 rows: a run has 50
     * chunk boundaries.
     */
    private static String[] bigRun(Path folder, String runKey) {
        return new String[] { "run", "dir=" + data, "output=" + folder.resolve("results.csv"), "run=" + runKey,
                "partitions=1", "commit-rows=4000", "split-size=1GB" };
    }

    @Test
    void theSampleJobRunsOnTheEmbeddedDefault() throws Exception {
        // given: the sample definition, run from an empty folder with nothing configured
        Path sample = Path.of("jobs/sample.properties").toAbsolutePath();
        List<String> args = List.of("run", sample.toString(), "dir=" + this.work.resolve("data"),
                "output=" + this.work.resolve("results.csv"), "run=first");

        // when
        Process first = launch(args);

        // then: it completes, the embedded database sits in the working folder, and
        // results.csv has every sample file
        String out = output(first);
        assertThat(first.exitValue()).as(out).isZero();
        assertThat(this.work.resolve(".batch-etl/repository.mv.db")).exists();
        List<String[]> csv = EtlJobFunctionalTests.readCsv(this.work.resolve("results.csv"));
        List<String> expectedFiles;
        try (var files = Files.list(Path.of("input-data"))) {
            expectedFiles = files.map(p -> p.getFileName().toString())
                .filter(n -> n.endsWith(".csv"))
                .sorted()
                .toList();
        }
        assertThat(csv.stream().skip(1).map(row -> row[0]).distinct()).containsExactlyElementsOf(expectedFiles);
        assertThat(csv.stream().skip(1)).allSatisfy(row -> assertThat(row[row.length - 1]).isEmpty());

        // and the same run key again is a no-op success, from the same embedded database
        Process again = launch(args);
        String againOut = output(again);
        assertThat(again.exitValue()).as(againOut).isZero();
        assertThat(againOut).contains("sample run=first already completed");
    }

    @Test
    void remotePartitioningIsRefusedOnTheEmbeddedDatabase() {
        EtlCli.Result result = EtlCli.runWithout("run", "dir=" + this.work.resolve("data"), "partitioning=remote",
                "--spring.datasource.url=jdbc:h2:file:" + this.work.resolve("repository")
                        + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH");
        assertThat(result.exitCode()).as(result.toString()).isEqualTo(2);
        assertThat(result.err()).startsWith("error: partitioning=remote needs a job repository every worker reaches");
    }

    @Test
    void aDatabaseThatCannotBeReachedIsOneLineAndExitTwo() throws IOException {
        int port;
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = socket.getLocalPort();
        }
        EtlCli.Result result = EtlCli.runWithout("run", "dir=" + this.work,
                "--spring.datasource.url=jdbc:postgresql://127.0.0.1:" + port + "/etl");
        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.err()).isEqualTo("error: cannot use the database at 127.0.0.1:" + port
                + "/etl (spring.datasource.url): Connection refused\n");
        assertThat(result.err().lines()).hasSize(1);
    }

    @Test
    void sigtermStopsARunOnTheEmbeddedDefaultAndTheSameRunKeyContinuesIt() throws Exception {
        // given: a run on the embedded default, in the middle of the big file
        EtlProcess process = EtlProcess.startWithout(this.work, bigRun(this.work, "stopped"));
        long execution = awaitCommits(process, 2);

        // when: it gets SIGTERM, as from a scheduler or Ctrl-C, and again while it closes
        // after its stopped run
        process.terminate();
        await().atMost(Duration.ofMinutes(2))
            .pollInterval(Duration.ofMillis(20))
            .until(() -> !process.isAlive() || process.output().contains("execution " + execution + " STOPPED in "));
        process.terminate();

        // then: it stopped at a chunk boundary and recorded it in the embedded database:
        // STOPPED, exit code 4
        assertThat(process.waitFor()).as(process.output()).isEqualTo(4);
        assertThat(process.output()).contains("stop requested: execution " + execution)
            .contains("execution " + execution + " STOPPED in ")
            .doesNotContain("could not request the stop");
        assertThat(status(execution)).isEqualTo("STOPPED");
        Map<String, Object> stopped = step(execution);
        assertThat(stopped).containsEntry("status", "STOPPED");
        long committed = ((Number) stopped.get("write_count")).longValue();
        assertThat(committed).isPositive().isLessThan(ROWS);

        // and the same run key continues it from its checkpoint to the results of an
        // uninterrupted run
        EtlProcess again = EtlProcess.startWithout(this.work, bigRun(this.work, "stopped"));
        assertThat(again.waitFor()).as(again.output()).isZero();
        assertThat(again.output())
            .contains("restarting adhoc run=stopped from the checkpoint of execution " + execution + " (STOPPED)");
        long continued = lastExecution();
        assertThat(status(continued)).isEqualTo("COMPLETED");
        assertThat(((Number) step(continued).get("write_count")).longValue()).isEqualTo(ROWS - committed);
        assertThat(Files.readString(this.work.resolve("results.csv"))).isEqualTo(reference);
    }

    @Test
    void sigtermStopsTheScheduledFireUnderWayOnTheEmbeddedDefault() throws Exception {
        // given: a scheduler on the embedded default, a fire of it in the middle of the
        // big file
        Path definition = this.work.resolve("nightly.properties");
        Files.writeString(definition, String.join("\n", "dir=" + data, "output=" + this.work.resolve("results.csv"),
                "partitions=1", "commit-rows=4000", "split-size=1GB", "cron=*/2 * * * * *", ""));
        EtlProcess scheduler = EtlProcess.startWithout(this.work, "schedule", definition.toString(), "--server.port=0");
        long execution = awaitCommits(scheduler, 2);

        // when: the scheduler gets SIGTERM
        scheduler.terminate();

        // then: the fire stops at a chunk boundary, STOPPED in the embedded database, and
        // the scheduler exits 0
        assertThat(scheduler.waitFor()).as(scheduler.output()).isZero();
        assertThat(scheduler.output()).contains("stop requested: execution " + execution)
            .contains("execution " + execution + " STOPPED in ")
            .contains("schedule stopped")
            .doesNotContain("could not");
        assertThat(status(execution)).isEqualTo("STOPPED");
        assertThat(lastExecution()).isEqualTo(execution);
        long committed = ((Number) step(execution).get("write_count")).longValue();
        assertThat(committed).isPositive().isLessThan(ROWS);

        // and restarting the fire continues it to the results of an uninterrupted run
        EtlProcess restart = EtlProcess.startWithout(this.work, "restart", Long.toString(execution));
        assertThat(restart.waitFor()).as(restart.output()).isZero();
        long continued = lastExecution();
        assertThat(status(continued)).isEqualTo("COMPLETED");
        assertThat(((Number) step(continued).get("write_count")).longValue()).isEqualTo(ROWS - committed);
        assertThat(Files.readString(this.work.resolve("results.csv"))).isEqualTo(reference);
    }

    /**
     * Waits until the process has started a run and its statistics step has committed at
     * least {@code n} chunks; the id of its execution. The embedded database is read only
     * once the process has opened it (its "starting" line comes after the migrations):
     * the process is then the database's server (AUTO_SERVER), as it is without this
     * test, and the test a client of it.
     */
    private long awaitCommits(EtlProcess process, int n) {
        String runKey = await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(50)).until(() -> {
            assertThat(process.isAlive()).as(process.output()).isTrue();
            Matcher matcher = STARTING.matcher(process.output());
            return matcher.find() ? matcher.group(1) : null;
        }, Objects::nonNull);
        return await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(50)).until(() -> {
            assertThat(process.isAlive()).as(process.output()).isTrue();
            List<Long> ids = repository().queryForList("""
                    SELECT e.job_execution_id FROM batch_job_execution e
                    JOIN batch_job_execution_params p ON p.job_execution_id = e.job_execution_id
                    JOIN batch_step_execution s ON s.job_execution_id = e.job_execution_id
                    WHERE p.parameter_name = 'run' AND p.parameter_value = ? AND s.step_name = ? AND s.commit_count >= ?
                    ORDER BY e.job_execution_id""", Long.class, runKey, STATS_STEP, n);
            return ids.isEmpty() ? null : ids.get(ids.size() - 1);
        }, Objects::nonNull);
    }

    /**
     * The embedded database of this test's working folder, a connection per statement.
     */
    private JdbcTemplate repository() {
        return new JdbcTemplate(new DriverManagerDataSource(
                "jdbc:h2:file:" + this.work.resolve(".batch-etl/repository")
                        + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH;AUTO_SERVER=TRUE",
                "sa", ""));
    }

    private String status(long execution) {
        return repository().queryForObject("SELECT status FROM batch_job_execution WHERE job_execution_id = ?",
                String.class, execution);
    }

    private long lastExecution() {
        return repository().queryForObject("SELECT MAX(job_execution_id) FROM batch_job_execution", Long.class);
    }

    private Map<String, Object> step(long execution) {
        return repository().queryForMap("""
                SELECT status, commit_count, write_count FROM batch_step_execution
                WHERE job_execution_id = ? AND step_name = ?""", execution, STATS_STEP);
    }

    private Process launch(List<String> args) throws IOException {
        List<String> command = new ArrayList<>(
                List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
                        System.getProperty("java.class.path"), BatchEtlApplication.class.getName()));
        command.addAll(args);
        return new ProcessBuilder(command).directory(this.work.toFile()).redirectErrorStream(true).start();
    }

    private static String output(Process process) throws Exception {
        byte[] bytes = process.getInputStream().readAllBytes();
        assertThat(process.waitFor(120, TimeUnit.SECONDS)).isTrue();
        return new String(bytes, StandardCharsets.UTF_8);
    }

}
