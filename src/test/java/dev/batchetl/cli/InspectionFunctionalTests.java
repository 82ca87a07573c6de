package dev.batchetl.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;

import dev.batchetl.EtlCli;
import dev.batchetl.EtlProcess;
import dev.batchetl.TestDatabase;
import dev.batchetl.fetch.TestHttpServer;
import dev.batchetl.job.RunRecords;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code list} and {@code show} after real runs of the job, against the real PostgreSQL.
 * The database is shared with other tests, so runs have their own run keys and are found
 * by the execution ids they print. Start and end times and durations are the only parts
 * of the output not compared as they are: they become {@code <time>} and {@code <d>}.
 */
class InspectionFunctionalTests {

    private static final String TIME = "\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d";

    private static final String DURATION = "(\\d+\\.\\ds|\\d+m\\d\\ds|\\d+h\\d\\dm)";

    @TempDir
    Path work;

    @RegisterExtension
    final TestHttpServer server = TestHttpServer.start();

    private final String run = "t-" + UUID.randomUUID();

    @Test
    void aRunThatCompletedWithAFailedSourceIsListedAndShown() throws IOException {
        // given: a completed run of two good files (one with a bad row) and a source that
        // answers 404
        this.server.serve("/one.csv", bytes("a,b\n1,2\n3,4\n5,6\n"));
        this.server.serve("/two.csv", bytes("a,b\n1,2\n3,4,5\n6,7\n"));
        this.server.status("/missing.csv", 404);
        Path sources = sourceList("/one.csv", "/missing.csv", "/two.csv");
        EtlCli.Result result = EtlCli.run("run", "sources=" + sources, "dir=" + this.work.resolve("data"),
                "output=" + this.work.resolve("out/results.csv"), "partitions=2", "run=" + this.run);
        assertThat(result.exitCode()).as(result.toString()).isEqualTo(3);
        long execution = result.executionId();
        long instance = instanceOf(execution);

        // when
        EtlCli.Result list = EtlCli.run("list");
        EtlCli.Result show = EtlCli.run("show", Long.toString(execution));

        // then: list has the execution as COMPLETED with exit 3
        assertThat(list.exitCode()).as(list.toString()).isZero();
        List<String> lines = list.out().lines().toList();
        assertThat(lines.get(0)).matches("EXECUTION +INSTANCE +DEFINITION +RUN +STATUS +STARTED +DURATION +EXIT");
        assertThat(lines).anySatisfy(line -> assertThat(line).matches(" *" + execution + " +" + instance + "  adhoc +"
                + this.run + " +COMPLETED +" + TIME + "  " + DURATION + " +3"));

        // and show has the steps, both partitions with their rows, the failed source, and
        // nothing to restart
        assertThat(show.exitCode()).as(show.toString()).isZero();
        assertThat(show.err()).isEmpty();
        assertThat(normalized(show.out())).isEqualTo("""
                execution %1$d: adhoc run=%2$s (instance %3$d)
                status   COMPLETED, exit 3 (COMPLETED_WITH_FAILURES: 1 source(s) and 0 file(s) failed)
                started  <time>, ended <time>, took <d>
                keys:
                  sources                   %4$s/sources.txt
                  dir                       %4$s/data
                  output                    %4$s/out/results.csv
                  threads                   8
                  partitions                2
                  run                       %2$s
                  fetch-attempts            3
                  connect-timeout           10s
                  timeout                   5m
                  read-timeout              30s
                  fetch-backoff             500ms
                  fetch-max-backoff         10s
                  max-failed-sources        none
                  max-file-size             64GB
                  max-redirects             5
                  per-host                  16
                  rate-limit                none
                  allowed-hosts             any
                  file-roots                %6$s,%7$s
                  fetch-partitioning        local
                  fetch-partitions          4
                  delimiter                 ,
                  quote                     "
                  escape                    none
                  header                    true
                  encoding                  UTF-8
                  bad-rows                  skip
                  split-size                64MB
                  commit-rows               50000
                  na-values                 pandas
                  invalid-bytes             fail-file
                  partitioning              local
                  partition-timeout         24h
                  partition-pickup-timeout  5m
                steps:
                  STEP        STATUS     READ  WRITE  SKIP  COMMITS  ROLLBACKS  DURATION
                  fetch-plan  COMPLETED     0      3     0        1          0  <d>
                  fetch       COMPLETED     3      3     0        1          0  <d>
                  stats       COMPLETED     0      5     1        2          0  <d>
                    PARTITION  STATUS     ROWS  SKIPPED  CHECKPOINT  FILE
                    f00001     COMPLETED     3        0              one.csv
                    f00002     COMPLETED     2        1              two.csv
                  export      COMPLETED     0      2     0        1          0  <d>
                failures:
                  source %5$s: HTTP 404 Not Found
                bad rows (set aside, not counted in the statistics):
                  two.csv line 3: expected 2 fields, saw 3
                a restart would redo: nothing (completed)
                """.formatted(execution, this.run, instance, this.work, this.server.uri("/missing.csv"),
                this.work.getParent(), Path.of("").toAbsolutePath()));
    }

    @Test
    void aRunThatFailedInExportShowsWhyAndThatARestartRedoesOnlyTheExport() throws Exception {
        // given: a run whose export fails: the database refuses its rows as if its disk
        // were full
        String name = "one-" + this.tag + ".csv";
        this.server.serve("/" + name, bytes("x,y\n1,a\n2,b\n"));
        Path sources = sourceList("/" + name);
        refuse("etl_source", "NEW.target = '" + name + "'");
        EtlCli.Result failed = EtlCli.run("run", "sources=" + sources, "dir=" + this.work.resolve("data"),
                "output=" + this.work.resolve("out/results.csv"), "partitions=2", "run=" + this.run);
        assertThat(failed.exitCode()).as(failed.toString()).isEqualTo(1);
        long execution = failed.executionId();

        // when
        EtlCli.Result show = EtlCli.run("show", Long.toString(execution));

        // then: the export step failed with its reason, and a restart redoes only the
        // export
        assertThat(show.exitCode()).as(show.toString()).isZero();
        String out = normalized(show.out());
        assertThat(out).startsWith("""
                execution %d: adhoc run=%s (instance %d)
                status   FAILED, exit 1 (FAILED: %s)
                """.formatted(execution, this.run, instanceOf(execution), DISK_FULL));
        assertThat(out).containsPattern("""
                steps:
                  STEP        STATUS     READ  WRITE  SKIP  COMMITS  ROLLBACKS  DURATION
                  fetch-plan  COMPLETED     0      1     0        1          0  <d>
                  fetch       COMPLETED     1      1     0        1          0  <d>
                  stats       COMPLETED     0      2     0        1          0  <d>
                    PARTITION  STATUS     ROWS  SKIPPED  CHECKPOINT  FILE
                    f00001     COMPLETED     2        0              %s
                  export      FAILED        0      0     0        0          1  <d>
                    failed: %s
                """.formatted(java.util.regex.Pattern.quote(name), DISK_FULL));
        assertThat(out).endsWith("""
                failures: none
                a restart would redo:
                  fetch-plan  skip  COMPLETED in execution %1$d
                  fetch       skip  COMPLETED in execution %1$d
                  stats       skip  COMPLETED in execution %1$d
                  export      redo  FAILED in execution %1$d
                  command: batch-etl restart %1$d
                """.formatted(execution));

        // and once restarted and completed, the failed execution is no longer the one to
        // restart
        dropTriggers();
        EtlCli.Result restarted = EtlCli.run("restart", Long.toString(execution));
        assertThat(restarted.exitCode()).as(restarted.toString()).isZero();
        assertThat(EtlCli.run("show", Long.toString(execution)).out())
            .endsWith("a restart would redo: nothing, this run completed in execution " + restarted.executionId()
                    + ", its latest\n");
    }

    @Test
    void aRunThatFailedAtTheStartWouldBeRedoneWhole() throws IOException {
        // given: a run whose fetch plan cannot be recorded (the database refuses it, as
        // if its disk were full)
        String name = "one-" + this.tag + ".csv";
        this.server.serve("/" + name, bytes("x\n1\n"));
        Path sources = sourceList("/" + name);
        refuse("etl_fetch_item", "NEW.target = '" + name + "'");
        EtlCli.Result failed = EtlCli.run("run", "sources=" + sources, "dir=" + this.work.resolve("data"),
                "output=" + this.work.resolve("results.csv"), "run=" + this.run);
        assertThat(failed.exitCode()).as(failed.toString()).isEqualTo(1);
        long execution = failed.executionId();

        // when
        EtlCli.Result show = EtlCli.run("show", Long.toString(execution));

        // then: only fetch-plan ran, and a restart runs every step
        assertThat(show.exitCode()).as(show.toString()).isZero();
        assertThat(normalized(show.out())).containsPattern("""
                steps:
                  STEP        STATUS  READ  WRITE  SKIP  COMMITS  ROLLBACKS  DURATION
                  fetch-plan  FAILED     0      0     0        0          1  <d>
                    failed: %s
                failures: none
                a restart would redo:
                  fetch-plan  redo  FAILED in execution %2$d
                  fetch       redo  not run yet; fetches the sources fetch-plan records
                  stats       redo  not run yet; runs a partition per CSV file in dir
                  export      redo  not run yet
                  command: batch-etl restart %2$d
                """.formatted(DISK_FULL, execution));
    }

    private static final String DISK_FULL = TestDatabase.DISK_FULL;

    private final String tag = UUID.randomUUID().toString().substring(0, 8);

    private final List<AutoCloseable> refusals = new java.util.ArrayList<>();

    @org.junit.jupiter.api.AfterEach
    void dropTriggers() throws Exception {
        for (AutoCloseable refusal : this.refusals) {
            refusal.close();
        }
        this.refusals.clear();
    }

    /**
     * PostgreSQL refuses inserts of rows matching the condition as a full disk would,
     * until the test ends.
     */
    private void refuse(String table, String condition) {
        this.refusals.add(TestDatabase.refuseAsDiskFull(table, condition));
    }

    @Test
    void aPartitionThatFailedIsRestartedFromItsCheckpoint() throws Exception {
        // given: a run whose process was killed inside its big file, then recovered
        // (marked FAILED)
        Path data = Files.createDirectories(this.work.resolve("data"));
        Files.writeString(data.resolve("a.csv"), "n\n1\n2\n");
        RunRecords.bigCsv(data.resolve("big.csv"), 400_000, 3);
        String[] args = { "run", "dir=" + data, "output=" + this.work.resolve("results.csv"), "commit-rows=1000",
                "partitions=2", "split-size=1GB", "run=" + this.run };
        EtlProcess process = EtlProcess.start(this.work, args);
        long execution = RunRecords.awaitCommits(this.run, "stats-file:f00002", 3);
        process.kill();

        // before it is recovered, list and show tell that its process is gone, and show
        // what a restart would redo
        EtlCli.Result list = EtlCli.run("list", "3");
        assertThat(normalized(list.out())).containsPattern("(?m)^ *" + execution + " +\\d+ +adhoc +"
                + java.util.regex.Pattern.quote(this.run) + " +STARTED \\(dead\\) +<time> +died");
        EtlCli.Result dead = EtlCli.run("show", Long.toString(execution));
        assertThat(normalized(dead.out()))
            .containsPattern("owner    dead: pid \\d+ on .+ is gone; the job repository"
                    + " still shows it STARTED \\(restart continues it: batch-etl restart " + execution + "\\)")
            .contains("a restart would redo:")
            .contains("  command: batch-etl restart " + execution)
            .doesNotContain("still running");

        EtlCli.Result recovered = EtlCli.run("recover", Long.toString(execution));
        assertThat(recovered.exitCode()).as(recovered.toString()).isZero();

        // when
        EtlCli.Result show = EtlCli.run("show", Long.toString(execution));

        // then: the failed partition is shown with its checkpoint, and a restart runs it
        // again from there
        assertThat(show.exitCode()).as(show.toString()).isZero();
        String out = normalized(show.out());
        assertThat(out).containsPattern("""
                    PARTITION  STATUS +ROWS  SKIPPED  CHECKPOINT +FILE
                    f00001     COMPLETED +2 +0 +a.csv
                    f00002     FAILED +\\d+ +0  line \\d+, byte \\d+  big.csv
                      failed: the process running it died \\(pid \\d+ on .+ is gone\\); recovered
                """);
        assertThat(out).containsPattern("""
                a restart would redo:
                  fetch-plan  skip  COMPLETED in execution %1$d
                  fetch       skip  COMPLETED in execution %1$d
                  stats       redo  FAILED in execution %1$d; 1 of 2 partitions again, the COMPLETED ones are skipped
                    PARTITION  FROM +FILE
                    f00002     line \\d+, byte \\d+ +big.csv
                  export      redo  not run yet
                  command: batch-etl restart %1$d
                """.formatted(execution));
    }

    @Test
    void anUnknownExecutionIsAUsageError() {
        EtlCli.Result result = EtlCli.run("show", "987654321987");

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.out()).isEmpty();
        assertThat(result.err()).isEqualTo("error: no job execution with id 987654321987\n");
        for (String command : List.of("restart", "stop", "recover")) {
            EtlCli.Result other = EtlCli.run(command, "987654321987");
            assertThat(other.exitCode()).as(command).isEqualTo(2);
            assertThat(other.err()).as(command).isEqualTo("error: no job execution with id 987654321987\n");
        }
    }

    @Test
    void listShowsAsManyExecutionsAsAsked() {
        // given: at least one execution
        EtlCli.Result result = EtlCli.run("run", "dir=" + this.work.resolve("data"),
                "output=" + this.work.resolve("results.csv"), "run=" + this.run);
        assertThat(result.exitCode()).as(result.toString()).isZero();

        // when
        EtlCli.Result list = EtlCli.run("list", "1");

        // then: a header and one execution, the newest (other tests may have started one
        // since)
        assertThat(list.exitCode()).as(list.toString()).isZero();
        List<String> lines = list.out().lines().toList();
        assertThat(lines).hasSize(2);
        assertThat(lines.get(0)).matches("EXECUTION +INSTANCE +DEFINITION +RUN +STATUS +STARTED +DURATION +EXIT");
        assertThat(lines.get(1))
            .matches(" *\\d+ +\\d+  \\S+ +\\S+ +[A-Z]+ +" + TIME + "  (running )?" + DURATION + "( +[0-4])?");
        assertThat(Long.parseLong(lines.get(1).strip().split(" +")[0])).isGreaterThanOrEqualTo(result.executionId());
    }

    private static String normalized(String out) {
        return out.replaceAll(TIME, "<time>").replaceAll("(?m)(took |  )" + DURATION + "$", "$1<d>");
    }

    private long instanceOf(long execution) {
        return TestDatabase.jdbc()
            .queryForObject("SELECT job_instance_id FROM batch_job_execution WHERE job_execution_id = ?", Long.class,
                    execution);
    }

    private Path sourceList(String... paths) throws IOException {
        StringBuilder text = new StringBuilder();
        for (String path : paths) {
            text.append(this.server.uri(path)).append('\n');
        }
        return Files.writeString(this.work.resolve("sources.txt"), text);
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

}
