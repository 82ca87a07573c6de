package dev.batchetl.job;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import dev.batchetl.EtlCli;
import dev.batchetl.TestDatabase;
import dev.batchetl.fetch.TestHttpServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A run that completed with failures (exit 3) can be finished: {@code retry ID} fetches
 * and reads again only what failed, reusing what succeeded, and ends with the results of
 * a run in which nothing had failed. The work is measured where it happens: requests on
 * the test server, statistics partitions in the job repository.
 */
class RetryFunctionalTests {

    @TempDir
    Path work;

    @RegisterExtension
    final TestHttpServer server = TestHttpServer.start();

    @Test
    void aRetryFetchesAndReadsOnlyWhatFailed() throws Exception {
        // given: four sources, one of which the server refuses
        for (int i = 1; i <= 4; i++) {
            this.server.serve("/s" + i + ".csv", CsvFixture.orders(i, 40 + 10 * i).bytes());
        }
        this.server.status("/s3.csv", 503);
        StringBuilder list = new StringBuilder();
        for (int i = 1; i <= 4; i++) {
            list.append(this.server.uri("/s" + i + ".csv")).append('\n');
        }
        Path sources = Files.writeString(this.work.resolve("sources.txt"), list);
        String run = "retry-" + UUID.randomUUID();
        String[] args = { "run", "sources=" + sources, "dir=" + this.work.resolve("data"),
                "output=" + this.work.resolve("results.csv"), "run=" + run, "fetch-attempts=1" };
        EtlCli.Result first = EtlCli.run(args);
        assertThat(first.exitCode()).as(first.toString()).isEqualTo(3);
        long failed = first.executionId();

        // when: the same run is run again, it says what failed and how to finish it, and
        // exits 3 again
        EtlCli.Result again = EtlCli.run(args);
        assertThat(again.exitCode()).as(again.toString()).isEqualTo(3);
        assertThat(again.out()).contains("already completed with failures (execution " + failed + ")")
            .contains("batch-etl retry " + failed);

        // and once the server is right, the retry finishes it
        this.server.serve("/s3.csv", CsvFixture.orders(3, 70).bytes());
        EtlCli.Result retry = EtlCli.run("retry", Long.toString(failed));
        assertThat(retry.exitCode()).as(retry.toString()).isZero();
        long retried = retry.executionId();
        assertThat(retry.out()).contains(run + ".retry1")
            .contains("3 taken over from execution " + failed + " without a request")
            .contains("3 taken over from execution " + failed + " without reading");

        // then: only the failed source was requested again, and only its file was read
        assertThat(List.of(1, 2, 4)).allSatisfy(i -> assertThat(this.server.requests("/s" + i + ".csv")).isEqualTo(1));
        assertThat(this.server.requests("/s3.csv")).isEqualTo(2);
        assertThat(statsPartitions(retried)).isEqualTo(1);

        // and the results are those of a run in which nothing failed
        EtlCli.Result reference = EtlCli.run("run", "sources=" + sources, "dir=" + this.work.resolve("reference"),
                "output=" + this.work.resolve("reference.csv"), "run=reference-" + UUID.randomUUID());
        assertThat(reference.exitCode()).as(reference.toString()).isZero();
        assertSameResults(retried, reference.executionId());
        assertThat(RunRecords.sources(retried)).isEqualTo(RunRecords.sources(reference.executionId()));
        assertThat(Files.readString(this.work.resolve("results.csv")))
            .isEqualTo(Files.readString(this.work.resolve("reference.csv")));

        // and retrying again changes nothing
        int requests = this.server.totalRequests();
        EtlCli.Result twice = EtlCli.run("retry", Long.toString(failed));
        assertThat(twice.exitCode()).as(twice.toString()).isZero();
        assertThat(twice.out()).contains("already completed");
        EtlCli.Result ofTheRetry = EtlCli.run("retry", Long.toString(retried));
        assertThat(ofTheRetry.exitCode()).as(ofTheRetry.toString()).isZero();
        assertThat(ofTheRetry.out()).contains("nothing to retry");
        assertThat(this.server.totalRequests()).isEqualTo(requests);
    }

    @Test
    void aRunThatFilledTheDiskIsFinishedByARetryOnceSpaceIsFreed() throws Exception {
        // given: a download folder on a small file system of its own (tmpfs, 2 MiB),
        // nearly full
        Path small = Files.createDirectories(this.work.resolve("small"));
        Process mount = new ProcessBuilder("mount", "-t", "tmpfs", "-o", "size=2m", "tmpfs", small.toString())
            .redirectErrorStream(true)
            .start();
        org.junit.jupiter.api.Assumptions.assumeTrue(mount.waitFor() == 0, "cannot mount a tmpfs here (needs root)");
        try {
            Path filler = Files.write(small.resolve(".filler"), new byte[1200 << 10]);
            for (int i = 1; i <= 3; i++) {
                this.server.serve("/d" + i + ".csv", CsvFixture.orders(i, i == 3 ? 24_000 : 12_000).bytes());
            }
            Path sources = Files.writeString(this.work.resolve("sources.txt"), this.server.uri("/d1.csv") + "\n"
                    + this.server.uri("/d2.csv") + "\n" + this.server.uri("/d3.csv") + "\n");
            String run = "disk-full-" + UUID.randomUUID();
            EtlCli.Result first = EtlCli.run("run", "sources=" + sources, "dir=" + small.resolve("data"),
                    "output=" + this.work.resolve("results.csv"), "run=" + run, "threads=1", "fetch-attempts=1");

            // when: the third download does not fit, the run completes with it failed
            assertThat(first.exitCode()).as(first.toString()).isEqualTo(3);
            assertThat(first.out())
                .containsPattern("FAILED http://127\\.0\\.0\\.1:\\d+/d3\\.csv: .*(No space left|space)");

            // then: once space is freed, the retry fetches only that one and completes
            Files.delete(filler);
            EtlCli.Result retry = EtlCli.run("retry", Long.toString(first.executionId()));
            assertThat(retry.exitCode()).as(retry.toString()).isZero();
            assertThat(this.server.requests("/d1.csv")).isEqualTo(1);
            assertThat(this.server.requests("/d2.csv")).isEqualTo(1);
            assertThat(this.server.requests("/d3.csv")).isEqualTo(2);
            assertThat(TestDatabase.jdbc()
                .queryForObject("""
                        SELECT COUNT(*) FROM etl_file_stats WHERE job_execution_id = ? AND error IS NULL""",
                        Integer.class, retry.executionId()))
                .isEqualTo(3);
        }
        finally {
            new ProcessBuilder("umount", small.toString()).start().waitFor();
        }
    }

    @Test
    void aRetryReadsTheFilesThatFailedOrChangedAndKeepsTheRest() throws Exception {
        // given: a folder with a file holding a bad row, a good file, and a file with a
        // byte invalid in UTF-8
        Path data = Files.createDirectories(this.work.resolve("data"));
        Files.writeString(data.resolve("a.csv"), "id,name\n1,x\n2,y,extra\n3,z\n");
        Files.writeString(data.resolve("b.csv"), "id,v\n1,1.5\n2,2.5\n");
        Files.write(data.resolve("c.csv"), new byte[] { 'i', 'd', '\n', '1', '\n', (byte) 0xff, '\n' });
        String run = "retry-files-" + UUID.randomUUID();
        String[] args = { "run", "dir=" + data, "output=" + this.work.resolve("results.csv"), "run=" + run };
        EtlCli.Result first = EtlCli.run(args);
        assertThat(first.exitCode()).as(first.toString()).isEqualTo(3);
        assertThat(first.out()).contains("c.csv");
        long failed = first.executionId();

        // when: the bad file is mended and the good one changes, and the run is retried
        Files.writeString(data.resolve("c.csv"), "id\n1\n2\n");
        Files.writeString(data.resolve("b.csv"), "id,v\n1,1.5\n2,2.5\n3,4.0\n");
        EtlCli.Result retry = EtlCli.run("retry", Long.toString(failed));
        assertThat(retry.exitCode()).as(retry.toString()).isZero();
        long retried = retry.executionId();

        // then: the two files that failed or changed were read, the untouched one (and
        // its bad row) taken over
        assertThat(statsPartitions(retried)).isEqualTo(2);
        assertThat(retry.out()).contains("1 taken over from execution " + failed + " without reading");
        EtlCli.Result reference = EtlCli.run("run", "dir=" + data, "output=" + this.work.resolve("reference.csv"),
                "run=reference-" + UUID.randomUUID());
        assertThat(reference.exitCode()).as(reference.toString()).isZero();
        assertSameResults(retried, reference.executionId());
        assertThat(badRows(retried)).hasSize(1).isEqualTo(badRows(reference.executionId()));
        assertThat(Files.readString(this.work.resolve("results.csv")))
            .isEqualTo(Files.readString(this.work.resolve("reference.csv")));
    }

    @Test
    void aRetryOfWhatCannotBeRetriedSaysWhatToDoInstead() throws Exception {
        Path data = Files.createDirectories(this.work.resolve("data"));
        Files.writeString(data.resolve("a.csv"), "id\n1\n");
        String run = "retry-refused-" + UUID.randomUUID();
        EtlCli.Result clean = EtlCli.run("run", "dir=" + data, "output=" + this.work.resolve("results.csv"),
                "run=" + run);
        assertThat(clean.exitCode()).as(clean.toString()).isZero();
        long id = clean.executionId();

        // a run without failures: nothing to retry
        EtlCli.Result nothing = EtlCli.run("retry", Long.toString(id));
        assertThat(nothing.exitCode()).isZero();
        assertThat(nothing.out()).contains("completed without failures").contains("nothing to retry");

        // retry-of naming no execution, or one run with other keys: refused before
        // anything runs
        EtlCli.Result missing = EtlCli.run("run", "dir=" + data, "run=other-" + UUID.randomUUID(),
                "retry-of=999999999");
        assertThat(missing.exitCode()).isEqualTo(2);
        assertThat(missing.err()).contains("retry-of: no job execution with id 999999999");
        EtlCli.Result otherKeys = EtlCli.run("run", "dir=" + data, "output=" + this.work.resolve("results.csv"),
                "run=other-" + UUID.randomUUID(), "retry-of=" + id, "delimiter=;");
        assertThat(otherKeys.exitCode()).isEqualTo(2);
        assertThat(otherKeys.err()).contains("ran with other keys").contains("delimiter=; (was ,)");

        // an execution that failed is continued with restart, not retried
        TestDatabase.jdbc().update("UPDATE batch_job_execution SET status = 'FAILED' WHERE job_execution_id = ?", id);
        EtlCli.Result failed = EtlCli.run("retry", Long.toString(id));
        assertThat(failed.exitCode()).isEqualTo(2);
        assertThat(failed.err()).contains("is FAILED, not completed").contains("batch-etl restart " + id);
    }

    private static int statsPartitions(long execution) {
        return TestDatabase.jdbc()
            .queryForObject(
                    """
                            SELECT COUNT(*) FROM batch_step_execution WHERE job_execution_id = ? AND step_name LIKE 'stats-file:%'""",
                    Integer.class, execution);
    }

    private static List<Map<String, Object>> badRows(long execution) {
        return TestDatabase.jdbc()
            .queryForList("SELECT file, line, reason FROM etl_bad_row WHERE job_execution_id = ? ORDER BY file, line",
                    execution);
    }

    private static void assertSameResults(long execution, long reference) {
        assertThat(RunRecords.fileStats(execution)).isEqualTo(RunRecords.fileStats(reference));
        assertThat(RunRecords.columnStats(execution)).isEqualTo(RunRecords.columnStats(reference));
    }

}
