package dev.batchetl.job;

import java.io.IOException;
import java.io.Reader;
import java.math.BigDecimal;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;

import com.opencsv.CSVReader;
import dev.batchetl.EtlCli;
import dev.batchetl.TestDatabase;
import dev.batchetl.fetch.TestHttpServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.jdbc.core.JdbcTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * The etl job end to end, from the command line, against the real PostgreSQL and a real
 * HTTP server.
 */
class EtlJobFunctionalTests {

    private static final List<String> RESULT_HEADER = List.of("file", "rows", "columns", "column", "type", "count",
            "nulls", "mean", "min", "max", "sum", "variance", "std", "min_length", "max_length", "distinct",
            "distinct_exact", "q1", "median", "q3", "quartiles_exact", "bad_rows", "invalid_bytes", "error");

    @TempDir
    Path work;

    @RegisterExtension
    final TestHttpServer server = TestHttpServer.start();

    private final JdbcTemplate jdbc = TestDatabase.jdbc();

    private final String run = "t-" + UUID.randomUUID();

    @Test
    void fetchesComputesAndExportsWhileFailedSourcesAreRecorded() throws Exception {
        // given: two files with the same base name, one more, a 404 and a refused
        // connection
        CsvFixture first = CsvFixture.orders(1, 300);
        CsvFixture second = CsvFixture.orders(2, 120);
        CsvFixture third = CsvFixture.orders(3, 45);
        this.server.serve("/a/orders.csv", first.bytes());
        this.server.serve("/b/orders.csv", second.bytes());
        this.server.serve("/more.csv", third.bytes());
        this.server.status("/missing.csv", 404);
        String refused = "http://127.0.0.1:" + closedPort() + "/refused.csv";
        Path sources = sourceList(this.server.uri("/a/orders.csv"), this.server.uri("/missing.csv"),
                this.server.uri("/b/orders.csv"), refused, this.server.uri("/more.csv"));

        // when
        EtlCli.Result result = EtlCli.run("run", "sources=" + sources, "dir=" + this.work.resolve("data"),
                "output=" + this.work.resolve("out/results.csv"), "threads=3", "run=" + this.run);

        // then: exit 3, the failures are named in the output
        assertThat(result.exitCode()).as(result.toString()).isEqualTo(3);
        assertThat(result.out()).contains("3 done, 2 failed").contains("/missing.csv: HTTP 404").contains(refused);
        long execution = result.executionId();

        // the downloads are on disk, byte for byte, with distinct names and no temporary
        // files left
        Path data = this.work.resolve("data");
        List<Map<String, Object>> done = this.jdbc.queryForList("""
                SELECT source, target, sha256, bytes FROM etl_source
                WHERE job_execution_id = ? AND status = 'DONE' ORDER BY line""", execution);
        assertThat(done).hasSize(3);
        assertThat(done).extracting(row -> row.get("target")).doesNotHaveDuplicates();
        for (Map<String, Object> row : done) {
            byte[] expected = served(row.get("source").toString(), first, second, third);
            byte[] actual = Files.readAllBytes(data.resolve(row.get("target").toString()));
            assertThat(actual).isEqualTo(expected);
            assertThat(row.get("sha256")).isEqualTo(sha256(expected));
        }
        try (Stream<Path> files = Files.list(data)) {
            assertThat(files.map(p -> p.getFileName().toString())).hasSize(3).noneMatch(n -> n.startsWith("."));
        }
        assertThat(this.jdbc.queryForList("""
                SELECT error FROM etl_source WHERE job_execution_id = ? AND status = 'FAILED' ORDER BY line""",
                String.class, execution))
            .satisfiesExactly(e -> assertThat(e).contains("404"), e -> assertThat(e).containsIgnoringCase("refused"));

        // results.csv follows the contract, and its statistics match the independent
        // computation
        List<String[]> csv = readCsv(this.work.resolve("out/results.csv"));
        assertThat(csv.get(0)).containsExactlyElementsOf(RESULT_HEADER);
        assertThat(csv).hasSize(1 + 3 * 4);
        Map<String, CsvFixture> byTarget = Map.of(target(done, "/a/orders.csv"), first, target(done, "/b/orders.csv"),
                second, target(done, "/more.csv"), third);
        List<String> fileOrder = csv.stream().skip(1).map(r -> r[0]).distinct().toList();
        assertThat(fileOrder).isSorted().containsExactlyInAnyOrderElementsOf(byTarget.keySet());
        for (String[] row : csv.subList(1, csv.size())) {
            CsvFixture fixture = byTarget.get(row[0]);
            int column = fixture.header.indexOf(row[3]);
            ExpectedStats.Column expected = ExpectedStats.of(fixture.column(column));
            assertThat(row[1]).isEqualTo(Integer.toString(fixture.rows.size()));
            assertThat(row[2]).isEqualTo("4");
            assertThat(row[4]).as(row[3]).isEqualTo(expected.type());
            assertThat(Long.parseLong(row[5])).isEqualTo(expected.count());
            assertThat(Long.parseLong(row[6])).isEqualTo(expected.nulls());
            if (expected.mean() == null) {
                assertThat(row[7]).isEmpty();
                assertThat(row[8]).isEqualTo(expected.min());
                assertThat(row[9]).isEqualTo(expected.max());
            }
            else {
                assertThat(Double.parseDouble(row[7])).isCloseTo(expected.mean().doubleValue(),
                        within(Math.abs(expected.mean().doubleValue()) * 1e-12));
                assertThat(new BigDecimal(row[8])).isEqualByComparingTo(expected.min());
                assertThat(new BigDecimal(row[9])).isEqualByComparingTo(expected.max());
            }
            assertThat(row[row.length - 1]).isEmpty();
        }

        // the tables hold the same, keyed by the job execution
        assertThat(this.jdbc.queryForObject("SELECT COUNT(*) FROM etl_column_stats WHERE job_execution_id = ?",
                Integer.class, execution))
            .isEqualTo(12);
        Map<String, Object> price = this.jdbc.queryForMap("""
                SELECT column_type, non_null_count, null_count, mean FROM etl_column_stats
                WHERE job_execution_id = ? AND file = ? AND column_name = 'price'""", execution,
                target(done, "/a/orders.csv"));
        ExpectedStats.Column expectedPrice = ExpectedStats.of(first.column(1));
        assertThat(price.get("column_type")).isEqualTo("float");
        assertThat(((Number) price.get("null_count")).longValue()).isEqualTo(expectedPrice.nulls()).isPositive();
        assertThat(((Number) price.get("mean")).doubleValue()).isCloseTo(expectedPrice.mean().doubleValue(),
                within(1e-9));
        assertThat(this.jdbc.queryForList("SELECT file FROM etl_file_stats WHERE job_execution_id = ? ORDER BY file",
                String.class, execution))
            .containsExactlyElementsOf(fileOrder);

        // when: the same run again, as a scheduler re-running the fire would
        EtlCli.Result again = EtlCli.run("run", "sources=" + sources, "dir=" + this.work.resolve("data"),
                "output=" + this.work.resolve("out/results.csv"), "threads=3", "run=" + this.run);

        // then: not 0, since what failed is still failed; it says so and how to go on
        assertThat(again.exitCode()).as(again.toString()).isEqualTo(3);
        assertThat(again.out()).contains("already completed with failures (execution " + execution + "): 2 source(s)")
            .contains("show " + execution)
            .contains("batch-etl retry " + execution);
    }

    @Test
    void aRestartMayWriteTheResultsElsewhereAndKeepsTheTuningItWasStartedWith() throws Exception {
        // given: a tuned run whose export failed (marked so in the job repository, as a
        // full disk would leave it)
        Path data = Files.createDirectories(this.work.resolve("in"));
        Files.writeString(data.resolve("a.csv"), "id,v\n1,2\n3,4\n");
        String runKey = "output-" + UUID.randomUUID();
        EtlCli.Result first = EtlCli.run("run", "dir=" + data, "output=" + this.work.resolve("first.csv"),
                "run=" + runKey, "commit-rows=7", "rate-limit=5MB", "partitions=1");
        assertThat(first.exitCode()).as(first.toString()).isZero();
        long id = first.executionId();
        JdbcTemplate jdbc = TestDatabase.jdbc();
        jdbc.update("UPDATE batch_step_execution SET status = 'FAILED', exit_code = 'FAILED' WHERE job_execution_id = ?"
                + " AND step_name = 'export'", id);
        jdbc.update("UPDATE batch_job_execution SET status = 'FAILED', exit_code = 'FAILED' WHERE job_execution_id = ?",
                id);

        // when: it is run again with another output, one tuning key set again and the
        // others left out
        EtlCli.Result again = EtlCli.run("run", "dir=" + data, "output=" + this.work.resolve("second.csv"),
                "run=" + runKey, "partitions=2");

        // then: the restart is accepted (output does not change what is computed) and
        // writes there
        assertThat(again.exitCode()).as(again.toString()).isZero();
        assertThat(again.out()).contains("restarting adhoc run=" + runKey);
        assertThat(Files.readString(this.work.resolve("second.csv")))
            .isEqualTo(Files.readString(this.work.resolve("first.csv")));
        // and the keys left out kept their values, not the defaults
        Map<String, String> parameters = new java.util.HashMap<>();
        jdbc.query("SELECT parameter_name, parameter_value FROM batch_job_execution_params WHERE job_execution_id = ?",
                rs -> {
                    parameters.put(rs.getString(1), rs.getString(2));
                }, again.executionId());
        assertThat(parameters).containsEntry("commit-rows", "7")
            .containsEntry("rate-limit", String.valueOf(5 << 20))
            .containsEntry("partitions", "2")
            .containsEntry("output", this.work.resolve("second.csv").toString());
    }

    @Test
    void aMalformedFileIsReportedWithItsLineAndTheOthersComplete() throws Exception {
        // given: a folder without a source list: one good file, one with a row too long,
        // one that is not UTF-8
        Path data = Files.createDirectories(this.work.resolve("data/sub"));
        Files.write(data.resolve("good.csv"), CsvFixture.orders(4, 50).bytes());
        Files.writeString(this.work.resolve("data/long-row.csv"), "a,b\n1,2\n3,4\n5,6,7\n8,9\n");
        Files.write(this.work.resolve("data/latin1.csv"),
                "name,n\nok,1\ncaf\u00e9,2\n".getBytes(StandardCharsets.ISO_8859_1));

        // when
        EtlCli.Result result = EtlCli.run("run", "dir=" + this.work.resolve("data"),
                "output=" + this.work.resolve("results.csv"), "run=" + this.run);

        // then: the undecodable file failed with its line, the long row was set aside
        // with its line
        assertThat(result.exitCode()).as(result.toString()).isEqualTo(3);
        assertThat(result.out()).contains("latin1.csv: line 3");
        long execution = result.executionId();
        assertThat(this.jdbc.queryForList("SELECT file || ' ' || COALESCE(error, '') FROM etl_file_stats"
                + " WHERE job_execution_id = ? ORDER BY file", String.class, execution))
            .satisfiesExactly(latin1 -> assertThat(latin1).startsWith("latin1.csv line 3"),
                    longRow -> assertThat(longRow).isEqualTo("long-row.csv "),
                    good -> assertThat(good).isEqualTo("sub/good.csv "));
        assertThat(this.jdbc.queryForMap("SELECT file, line, reason FROM etl_bad_row WHERE job_execution_id = ?",
                execution))
            .containsEntry("file", "long-row.csv")
            .containsEntry("line", 4L);
        assertThat(this.jdbc.queryForObject(
                "SELECT rows_count FROM etl_file_stats WHERE job_execution_id = ? AND file = 'long-row.csv'",
                Long.class, execution))
            .isEqualTo(3);
        List<String[]> csv = readCsv(this.work.resolve("results.csv"));
        assertThat(csv).anySatisfy(row -> {
            assertThat(row[0]).isEqualTo("latin1.csv");
            assertThat(row[row.length - 1]).startsWith("line 3");
            assertThat(List.of(row).subList(1, 10)).allMatch(String::isEmpty);
        });

        // and with bad-rows=fail-file the long row fails its file, naming the line
        EtlCli.Result strict = EtlCli.run("run", "dir=" + this.work.resolve("data"), "bad-rows=fail-file",
                "output=" + this.work.resolve("strict.csv"), "run=" + this.run + "-strict");
        assertThat(strict.exitCode()).as(strict.toString()).isEqualTo(3);
        assertThat(this.jdbc.queryForObject(
                "SELECT error FROM etl_file_stats WHERE job_execution_id = ? AND file = 'long-row.csv'", String.class,
                strict.executionId()))
            .startsWith("line 4");
    }

    @Test
    void aFailedRunRestartsWithoutFetchingOrComputingAgain() throws Exception {
        // given: a run whose export fails: the database refuses its rows as a full disk
        // would
        this.server.serve("/one.csv", CsvFixture.orders(5, 80).bytes());
        this.server.serve("/two.csv", CsvFixture.orders(6, 90).bytes());
        Path sources = sourceList(this.server.uri("/one.csv"), this.server.uri("/two.csv"));
        AutoCloseable full = TestDatabase.refuseAsDiskFull("etl_source",
                "NEW.source = '" + this.server.uri("/one.csv") + "'");
        String[] args = { "run", "sources=" + sources, "dir=" + this.work.resolve("data"),
                "output=" + this.work.resolve("out/results.csv"), "run=" + this.run };
        EtlCli.Result failed = EtlCli.run(args);
        full.close();
        assertThat(failed.exitCode()).as(failed.toString()).isEqualTo(1);
        assertThat(failed.out()).contains("step export failed").contains("restart with: batch-etl restart");
        long firstExecution = failed.executionId();

        // when: the cause is gone and the execution restarted
        EtlCli.Result restarted = EtlCli.run("restart", Long.toString(firstExecution));

        // then: it completes, no source was requested twice, and only the export step ran
        // again
        assertThat(restarted.exitCode()).as(restarted.toString()).isZero();
        assertThat(this.server.requests("/one.csv")).isEqualTo(1);
        assertThat(this.server.requests("/two.csv")).isEqualTo(1);
        long secondExecution = restarted.executionId();
        assertThat(secondExecution).isNotEqualTo(firstExecution);
        assertThat(stepNames(firstExecution)).contains("fetch-plan", "fetch", "stats", "stats-file:f00001",
                "stats-file:f00002", "export");
        assertThat(stepNames(secondExecution)).containsExactly("export");
        assertThat(readCsv(this.work.resolve("out/results.csv"))).hasSize(1 + 2 * 4);

        // and running the same run key again does nothing and says so
        EtlCli.Result again = EtlCli.run(args);
        assertThat(again.exitCode()).as(again.toString()).isZero();
        assertThat(again.out()).contains("already completed (execution " + secondExecution);
        assertThat(this.jdbc.queryForObject("""
                SELECT COUNT(*) FROM batch_job_execution e JOIN batch_job_execution_params p
                  ON p.job_execution_id = e.job_execution_id AND p.parameter_name = 'run'
                WHERE p.parameter_value = ?""", Integer.class, this.run)).isEqualTo(2);
    }

    @Test
    void aFailedRunIsContinuedByRunWithTheSameKeyButNotWithOtherData() throws Exception {
        // given: a failed run (its export refused by the database as a full disk would)
        this.server.serve("/one.csv", CsvFixture.orders(7, 30).bytes());
        Path sources = sourceList(this.server.uri("/one.csv"));
        AutoCloseable full = TestDatabase.refuseAsDiskFull("etl_source",
                "NEW.source = '" + this.server.uri("/one.csv") + "'");
        EtlCli.Result failed = EtlCli.run("run", "sources=" + sources, "dir=" + this.work.resolve("data"),
                "output=" + this.work.resolve("out/results.csv"), "run=" + this.run);
        full.close();
        assertThat(failed.exitCode()).as(failed.toString()).isEqualTo(1);

        // when: the same key with another CSV dialect is refused, and with its own keys
        // (and other tuning) it restarts
        EtlCli.Result otherData = EtlCli.run("run", "sources=" + sources, "dir=" + this.work.resolve("data"),
                "output=" + this.work.resolve("out/results.csv"), "run=" + this.run, "delimiter=;");
        EtlCli.Result same = EtlCli.run("run", "sources=" + sources, "dir=" + this.work.resolve("data"),
                "output=" + this.work.resolve("out/results.csv"), "run=" + this.run, "threads=2");

        // then
        assertThat(otherData.exitCode()).isEqualTo(2);
        assertThat(otherData.err()).contains("delimiter=; (was ,)").contains("use a new run key");
        assertThat(same.exitCode()).as(same.toString()).isZero();
        assertThat(same.out()).contains("restarting adhoc run=" + this.run);
        assertThat(this.server.requests("/one.csv")).isEqualTo(1);
    }

    private List<String> stepNames(long execution) {
        return this.jdbc.queryForList(
                "SELECT step_name FROM batch_step_execution WHERE job_execution_id = ? ORDER BY step_execution_id",
                String.class, execution);
    }

    private Path sourceList(Object... sources) throws IOException {
        StringBuilder text = new StringBuilder("# sources of a test run\n\n");
        for (Object source : sources) {
            text.append(source).append('\n');
        }
        return Files.writeString(this.work.resolve("sources.txt"), text);
    }

    private byte[] served(String source, CsvFixture first, CsvFixture second, CsvFixture third) {
        if (source.endsWith("/a/orders.csv")) {
            return first.bytes();
        }
        return source.endsWith("/b/orders.csv") ? second.bytes() : third.bytes();
    }

    private static String target(List<Map<String, Object>> done, String path) {
        return done.stream()
            .filter(row -> row.get("source").toString().endsWith(path))
            .map(row -> row.get("target").toString())
            .findFirst()
            .orElseThrow();
    }

    static List<String[]> readCsv(Path file) throws Exception {
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8);
                CSVReader csv = new CSVReader(reader)) {
            return csv.readAll();
        }
    }

    private static String sha256(byte[] bytes) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }

    static int closedPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

}
