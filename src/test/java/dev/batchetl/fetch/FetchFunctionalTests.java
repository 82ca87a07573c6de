package dev.batchetl.fetch;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import dev.batchetl.EtlCli;
import dev.batchetl.TestDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.jdbc.core.JdbcTemplate;

import static dev.batchetl.fetch.DownloaderTests.randomBytes;
import static dev.batchetl.fetch.DownloaderTests.sha256;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The fetch step end to end, from the command line, against PostgreSQL and a
 * fault-injecting local server.
 */
class FetchFunctionalTests {

    @TempDir
    Path work;

    @RegisterExtension
    final TestHttpServer server = TestHttpServer.start();

    private final JdbcTemplate jdbc = TestDatabase.jdbc();

    private final String run = "f-" + UUID.randomUUID();

    @Test
    void sourcesSavedUnderNamesTheStatisticsLeaveOutAreNamedAtTheStart() throws Exception {
        this.server.serve("/a.csv", "x\n1\n".getBytes());
        this.server.serve("/b.json", "{}".getBytes());
        Path sources = Files.writeString(this.work.resolve("sources.txt"),
                this.server.uri("/a.csv") + "\n" + this.server.uri("/b.json") + "\n");
        dev.batchetl.EtlProcess process = dev.batchetl.EtlProcess.start(this.work, "run", "sources=" + sources,
                "dir=" + this.work.resolve("data"), "output=" + this.work.resolve("results.csv"),
                "run=names-" + UUID.randomUUID());
        assertThat(process.waitFor()).as(process.output()).isZero();
        assertThat(process.output())
            .contains("fetch-plan: 1 source(s) are saved under names that are not *.csv or"
                    + " *.csv.gz, which the statistics leave out: b.json")
            .contains("files: 1 read")
            .containsPattern("stats: 1 partition\\(s\\), \\d+ B read in [0-9.]+ s");
    }

    @Test
    void everyFaultIsRecordedWithItsReasonAndOnlyGoodFilesLand() throws Exception {
        byte[] csv = "id,v\n1,2\n3,4\n".getBytes();
        byte[] other = "id,w\n5,6\n".getBytes();
        this.server.serve("/ok/data.csv", csv);
        this.server.serve("/dup/data.csv", other);
        this.server.flaky("/flaky.csv", csv, 2, 503);
        this.server.retryAfter("/busy.csv", csv, 1);
        this.server.stall("/stall.csv", randomBytes(20_000, 1), 1000, Duration.ofSeconds(20));
        this.server.truncate("/cut.csv", randomBytes(20_000, 2), 5000);
        this.server.redirect("/loop.csv", 302, "/loop.csv");
        Path secret = Files.writeString(this.work.resolve("secret.csv"), "s\n1\n");
        this.server.redirect("/to-file.csv", 302, secret.toUri().toString());
        this.server.serve("/big.csv", randomBytes(300_000, 3));
        this.server.status("/missing.csv", 404);
        this.server.serve("/sum.csv", csv);
        this.server.serveGzip("/zipped.csv", csv);
        this.server.serve("/dl/../../escape.csv", csv);
        String refused = "http://127.0.0.1:" + closedPort() + "/refused.csv";
        String wrongSum = "0".repeat(64);
        Path sources = Files.writeString(this.work.resolve("sources.txt"),
                String.join("\n", uri("/ok/data.csv"), uri("/dup/data.csv"), uri("/flaky.csv"), uri("/busy.csv"),
                        uri("/stall.csv"), uri("/cut.csv"), uri("/loop.csv"), uri("/to-file.csv"), uri("/big.csv"),
                        uri("/missing.csv"), uri("/sum.csv") + " sha256=" + wrongSum, uri("/zipped.csv"),
                        uri("/dl/..%2F..%2Fescape.csv"), refused) + "\n");
        Path data = this.work.resolve("sub/data");

        EtlCli.Result result = EtlCli.run("run", "sources=" + sources, "dir=" + data,
                "output=" + this.work.resolve("results.csv"), "threads=4", "run=" + this.run, "read-timeout=500ms",
                "fetch-backoff=10ms", "max-redirects=3", "max-file-size=100KB");

        assertThat(result.exitCode()).as(result.toString()).isEqualTo(3);
        long execution = result.executionId();
        Map<String, Map<String, Object>> rows = this.jdbc
            .queryForList("SELECT source, target, status, attempts, error, sha256 FROM etl_source"
                    + " WHERE job_execution_id = ?", execution)
            .stream()
            .collect(Collectors.toMap(r -> r.get("source").toString().replaceFirst("^http://127\\.0\\.0\\.1:\\d+", ""),
                    Function.identity()));
        assertDone(rows.get("/ok/data.csv"), csv, data);
        assertDone(rows.get("/dup/data.csv"), other, data);
        assertThat(rows.get("/ok/data.csv").get("target")).isNotEqualTo(rows.get("/dup/data.csv").get("target"));
        assertDone(rows.get("/flaky.csv"), csv, data);
        assertThat(rows.get("/flaky.csv").get("attempts")).isEqualTo(3);
        assertDone(rows.get("/busy.csv"), csv, data);
        assertThat(rows.get("/busy.csv").get("attempts")).isEqualTo(2);
        assertDone(rows.get("/zipped.csv"), csv, data);
        assertThat(this.server.requestHeader("/zipped.csv", "Accept-Encoding")).containsExactly("gzip");
        Map<String, Object> escape = rows.get("/dl/..%2F..%2Fescape.csv");
        assertDone(escape, csv, data);
        assertThat(escape.get("target").toString()).doesNotContain("/").doesNotStartWith(".");
        assertFailed(rows.get("/stall.csv"), "timeout: no data for 500ms after 1000 bytes", 3);
        assertFailed(rows.get("/cut.csv"), "short body: 5000 of 20000 bytes", 3);
        assertFailed(rows.get("/loop.csv"), "too many redirects (more than 3)", 1);
        assertFailed(rows.get("/to-file.csv"), "redirect to another scheme refused: " + secret.toUri(), 1);
        assertFailed(rows.get("/big.csv"), "too large: more than max-file-size (102400 bytes)", 1);
        assertFailed(rows.get("/missing.csv"), "HTTP 404 Not Found", 1);
        assertFailed(rows.get("/sum.csv"), "checksum mismatch: expected " + wrongSum + ", got " + sha256(csv), 1);
        assertFailed(rows.get("/refused.csv"), "connection refused", 3);
        assertThat(this.server.requests("/missing.csv")).isEqualTo(1);
        assertThat(this.server.requests("/big.csv")).isEqualTo(1);
        try (Stream<Path> files = Files.list(data)) {
            assertThat(files.map(p -> p.getFileName().toString())).hasSize(6).noneMatch(n -> n.startsWith("."));
        }
        try (Stream<Path> files = Files.list(this.work)) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("sources.txt",
                    "secret.csv", "sub", "results.csv", "report.html");
        }
        assertThat(result.out()).contains("sources: 6 done, 8 failed, 0 not modified").contains("/big.csv: too large");
    }

    @Test
    void tooManyFailedSourcesFailTheRunAndARestartFetchesOnlyThem() throws Exception {
        byte[] csv = "id,v\n1,2\n".getBytes();
        this.server.serve("/good.csv", csv);
        this.server.status("/bad.csv", 500);
        Path sources = Files.writeString(this.work.resolve("sources.txt"),
                uri("/good.csv") + "\n" + uri("/bad.csv") + "\n");
        Path data = this.work.resolve("data");

        EtlCli.Result failed = EtlCli.run("run", "sources=" + sources, "dir=" + data,
                "output=" + this.work.resolve("results.csv"), "run=" + this.run, "fetch-attempts=2",
                "fetch-backoff=10ms", "max-failed-sources=40%");

        assertThat(failed.exitCode()).as(failed.toString()).isEqualTo(1);
        assertThat(failed.out()).contains("step fetch failed: 1 of 2 sources failed, more than max-failed-sources=40%");
        assertThat(this.jdbc.queryForList("""
                SELECT f.status || ' ' || f.attempts || ' ' || COALESCE(f.error, '') FROM etl_fetch_item f
                JOIN batch_job_execution e ON e.job_instance_id = f.job_instance_id
                WHERE e.job_execution_id = ? ORDER BY f.line""", String.class, failed.executionId()))
            .containsExactly("DONE 1 ", "FAILED 2 HTTP 500 Internal Server Error");
        assertThat(this.server.requests("/bad.csv")).isEqualTo(2);
        assertThat(this.work.resolve("results.csv")).doesNotExist();

        this.server.serve("/bad.csv", csv);
        EtlCli.Result restarted = EtlCli.run("restart", Long.toString(failed.executionId()));

        assertThat(restarted.exitCode()).as(restarted.toString()).isZero();
        assertThat(this.server.requests("/good.csv")).isEqualTo(1);
        assertThat(this.server.requests("/bad.csv")).isEqualTo(3);
        try (Stream<Path> files = Files.list(data)) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("good.csv", "bad.csv");
        }
        assertThat(restarted.out()).contains("sources: 2 done, 0 failed");
    }

    @Test
    void eachSourceRecordsWhenItsFetchEndedWhichARestartKeepsForTheSourcesItSkips() throws Exception {
        // given a good source and one that fails, which fails the first run
        byte[] csv = "id,v\n1,2\n".getBytes();
        this.server.serve("/good.csv", csv);
        this.server.status("/bad.csv", 404);
        Path sources = Files.writeString(this.work.resolve("sources.txt"),
                uri("/good.csv") + "\n" + uri("/bad.csv") + "\n");
        EtlCli.Result failed = EtlCli.run("run", "sources=" + sources, "dir=" + this.work.resolve("data"),
                "output=" + this.work.resolve("results.csv"), "run=" + this.run, "max-failed-sources=0");
        assertThat(failed.exitCode()).as(failed.toString()).isEqualTo(1);

        // then both results carry when they ended, within the fetch step
        long[] firstStep = fetchStep(failed.executionId());
        Map<String, Long> first = finishedAt("etl_fetch_item", "job_instance_id",
                this.jdbc.queryForObject("SELECT job_instance_id FROM batch_job_execution WHERE job_execution_id = ?",
                        Long.class, failed.executionId()));
        assertThat(first.keySet()).containsExactlyInAnyOrder("DONE /good.csv", "FAILED /bad.csv");
        assertThat(first.values()).allSatisfy(end -> assertThat(end).isBetween(firstStep[0], firstStep[1]));

        // when the source is fixed and the run restarted
        this.server.serve("/bad.csv", csv);
        EtlCli.Result restarted = EtlCli.run("restart", Long.toString(failed.executionId()));
        assertThat(restarted.exitCode()).as(restarted.toString()).isZero();

        // then the good source, not fetched again, keeps its time; the other has the
        // time of its fetch in the restart; the exported rows and the run's page carry
        // the same
        long[] secondStep = fetchStep(restarted.executionId());
        Map<String, Long> exported = finishedAt("etl_source", "job_execution_id", restarted.executionId());
        assertThat(exported.keySet()).containsExactlyInAnyOrder("DONE /good.csv", "DONE /bad.csv");
        assertThat(exported.get("DONE /good.csv")).isEqualTo(first.get("DONE /good.csv"));
        assertThat(exported.get("DONE /bad.csv")).isBetween(secondStep[0], secondStep[1]);
        Path page = this.work.resolve("page.html");
        EtlCli.Result report = EtlCli.run("report", Long.toString(restarted.executionId()), "output=" + page);
        assertThat(report.exitCode()).as(report.toString()).isZero();
        Map<String, Long> shown = new java.util.HashMap<>();
        for (var source : dev.batchetl.report.ReportData.of(page).get("fetch").get("sources")) {
            shown.put(source.get("status").asString() + " " + path(source.get("source").asString()),
                    source.get("end").asLong());
        }
        assertThat(shown).isEqualTo(exported);
    }

    /** The start and end of the execution's fetch step, in epoch milliseconds. */
    private long[] fetchStep(long executionId) {
        return this.jdbc.queryForObject("""
                SELECT start_time, end_time FROM batch_step_execution
                WHERE job_execution_id = ? AND step_name = 'fetch'""",
                (rs, n) -> new long[] { rs.getTimestamp(1).getTime(), rs.getTimestamp(2).getTime() }, executionId);
    }

    /** {@code finished_at} of the rows of a table, by status and source path. */
    private Map<String, Long> finishedAt(String table, String key, long id) {
        Map<String, Long> ends = new java.util.HashMap<>();
        this.jdbc.query("SELECT status, source, finished_at FROM " + table + " WHERE " + key + " = ?", rs -> {
            long end = rs.getLong(3);
            ends.put(rs.getString(1) + " " + path(rs.getString(2)), rs.wasNull() ? null : end);
        }, id);
        return ends;
    }

    private static String path(String source) {
        return source.replaceFirst("^http://127\\.0\\.0\\.1:\\d+", "");
    }

    @Test
    void theNextChunksSourcesAreFetchedWhileAChunkWaitsForItsSlowestDownload() throws Exception {
        // chunks of 2 on 2 threads: [slow, a] then [b, c]. The slow source is answered
        // only once b, a source of the
        // next chunk, has been requested (or after 20 s). With chunks that wait for their
        // slowest download before the
        // next one is read, b could only be requested after the slow source was answered:
        // the wait would run out.
        byte[] csv = "id,v\n1,2\n".getBytes();
        this.server.serveAfter("/slow.csv", csv, "/b.csv", Duration.ofSeconds(20));
        for (String name : List.of("a", "b", "c")) {
            this.server.serve("/" + name + ".csv", csv);
        }
        Path sources = Files.writeString(this.work.resolve("sources.txt"),
                String.join("\n", uri("/slow.csv"), uri("/a.csv"), uri("/b.csv"), uri("/c.csv")) + "\n");
        Path data = this.work.resolve("data");

        EtlCli.Result result = EtlCli.run("run", "sources=" + sources, "dir=" + data,
                "output=" + this.work.resolve("results.csv"), "run=" + this.run, "threads=2", "fetch-chunk=2");

        assertThat(result.exitCode()).as(result.toString()).isZero();
        assertThat(this.server.releasedBy("/slow.csv")).isEqualTo("/b.csv");
        for (String name : List.of("slow", "a", "b", "c")) {
            assertThat(data.resolve(name + ".csv")).hasBinaryContent(csv);
            assertThat(this.server.requests("/" + name + ".csv")).as(name).isEqualTo(1);
        }
        assertThat(this.jdbc.queryForObject(
                "SELECT count(*) FROM etl_source WHERE job_execution_id = ? AND status = 'DONE'", Integer.class,
                result.executionId()))
            .isEqualTo(4);
    }

    @Test
    void tooManyFailedSourcesStopTheStepEarlyAndARestartFetchesTheFailedAndTheUntried() throws Exception {
        // one good source, then 30 that answer 404 (a permanent failure: one request
        // each)
        byte[] csv = "id,v\n1,2\n".getBytes();
        this.server.serve("/good.csv", csv);
        int dead = 30;
        StringBuilder list = new StringBuilder(uri("/good.csv")).append('\n');
        for (int i = 1; i <= dead; i++) {
            this.server.status("/dead/" + i + ".csv", 404);
            list.append(uri("/dead/" + i + ".csv")).append('\n');
        }
        Path sources = Files.writeString(this.work.resolve("sources.txt"), list);
        Path data = this.work.resolve("data");

        EtlCli.Result failed = EtlCli.run("run", "sources=" + sources, "dir=" + data,
                "output=" + this.work.resolve("results.csv"), "run=" + this.run, "max-failed-sources=3", "threads=2",
                "fetch-chunk=2");

        // the step stopped starting sources once a 4th one failed. A source is read only
        // while at most 3 have
        // failed; then at most one chunk (2 sources, the one just read included) is under
        // way, so 4 or 5 of the
        // dead sources were requested, once each
        assertThat(failed.exitCode()).as(failed.toString()).isEqualTo(1);
        int requested = deadRequests(dead);
        assertThat(requested).as(failed.toString()).isBetween(4, 5);
        assertThat(this.server.totalRequests()).isEqualTo(1 + requested);
        int untried = dead - requested;
        assertThat(failed.out()).contains("step fetch failed: " + requested + " of 31 sources failed, more than"
                + " max-failed-sources=3; the step stopped starting new sources then, " + untried
                + " were not attempted; a restart fetches the failed and the not attempted sources");
        List<String> statuses = this.jdbc.queryForList("""
                SELECT f.status FROM etl_fetch_item f
                JOIN batch_job_execution e ON e.job_instance_id = f.job_instance_id
                WHERE e.job_execution_id = ? ORDER BY f.line""", String.class, failed.executionId());
        assertThat(statuses).hasSize(31);
        assertThat(statuses.get(0)).isEqualTo("DONE");
        // sources are taken in list order: the requested ones failed, the others are
        // still
        // pending. Which of the last two queued the two download threads requested
        // depends on which of them looked at the failure count first, so the requested
        // ones are among the first requested + 1
        int[] firstRequests = new int[dead + 1];
        for (int i = 1; i <= dead; i++) {
            String path = "/dead/" + i + ".csv";
            firstRequests[i] = this.server.requests(path);
            assertThat(statuses.get(i)).as(path).isEqualTo(firstRequests[i] == 1 ? "FAILED" : "PENDING");
            assertThat(firstRequests[i]).as(path)
                .isEqualTo(i < requested ? 1 : i > requested + 1 ? 0 : firstRequests[i]);
            assertThat(firstRequests[i]).as(path).isBetween(0, 1);
        }
        assertThat(this.jdbc.queryForList("""
                SELECT status FROM batch_step_execution WHERE job_execution_id = ? AND step_name = 'fetch'""",
                String.class, failed.executionId()))
            .containsExactly("FAILED");
        assertThat(Files.readAllBytes(data.resolve("good.csv"))).isEqualTo(csv);
        assertThat(this.work.resolve("results.csv")).doesNotExist();

        // the sources are fixed: a restart fetches the failed and the never attempted
        // ones, not the good one
        byte[] fixed = "id,v\n3,4\n".getBytes();
        for (int i = 1; i <= dead; i++) {
            this.server.serve("/dead/" + i + ".csv", fixed);
        }
        EtlCli.Result restarted = EtlCli.run("restart", Long.toString(failed.executionId()));

        assertThat(restarted.exitCode()).as(restarted.toString()).isZero();
        assertThat(this.server.requests("/good.csv")).isEqualTo(1);
        for (int i = 1; i <= dead; i++) {
            assertThat(this.server.requests("/dead/" + i + ".csv")).as("/dead/" + i + ".csv")
                .isEqualTo(firstRequests[i] + 1);
        }
        assertThat(this.jdbc.queryForList("""
                SELECT DISTINCT status FROM etl_source WHERE job_execution_id = ?""", String.class,
                restarted.executionId()))
            .containsExactly("DONE");
        assertThat(this.jdbc.queryForObject("SELECT COUNT(*) FROM etl_source WHERE job_execution_id = ?", Integer.class,
                restarted.executionId()))
            .isEqualTo(31);
        assertThat(restarted.out()).contains("sources: 31 done, 0 failed");
        try (Stream<Path> files = Files.list(data)) {
            assertThat(files.count()).isEqualTo(31);
        }
    }

    private int deadRequests(int dead) {
        int requested = 0;
        for (int i = 1; i <= dead; i++) {
            requested += this.server.requests("/dead/" + i + ".csv");
        }
        return requested;
    }

    @Test
    void aNewRunOfTheSameDefinitionAsksIfModifiedAndKeepsTheVerifiedFile() throws Exception {
        byte[] csv = "id,v\n1,2\n3,4\n".getBytes();
        this.server.serveConditional("/c.csv", csv);
        this.server.serve("/plain.csv", csv);
        Files.writeString(this.work.resolve("sources.txt"), uri("/c.csv") + "\n" + uri("/plain.csv") + "\n");
        Path definition = Files.writeString(this.work.resolve("fn" + this.run.substring(2, 8) + ".properties"),
                "sources=sources.txt\ndir=data\noutput=results.csv\n");

        EtlCli.Result first = EtlCli.run("run", definition.toString(), "run=" + this.run + "-1");
        EtlCli.Result second = EtlCli.run("run", definition.toString(), "run=" + this.run + "-2");

        assertThat(first.exitCode()).as(first.toString()).isZero();
        assertThat(second.exitCode()).as(second.toString()).isZero();
        String etag = this.server.requestHeader("/c.csv", "If-None-Match").get(1);
        assertThat(this.server.requestHeader("/c.csv", "If-None-Match")).hasSize(2).first().isNull();
        assertThat(etag).isNotNull();
        assertThat(this.server.requestHeader("/plain.csv", "If-Modified-Since")).containsExactly(null,
                TestHttpServer.LAST_MODIFIED);
        assertThat(this.jdbc.queryForList("""
                SELECT status || ' ' || http_status || ' ' || sha256 FROM etl_source WHERE job_execution_id = ?
                ORDER BY line""", String.class, second.executionId()))
            .containsExactly("NOT_MODIFIED 304 " + sha256(csv), "DONE 200 " + sha256(csv));
        assertThat(Files.readAllBytes(this.work.resolve("data/c.csv"))).isEqualTo(csv);
        assertThat(second.out()).contains("sources: 1 done, 0 failed, 1 not modified");

        // a file changed on disk since is not trusted: fetched whole again
        Files.writeString(this.work.resolve("data/c.csv"), "id,v\n9,9\n3,4\n");
        EtlCli.Result third = EtlCli.run("run", definition.toString(), "run=" + this.run + "-3");
        assertThat(third.exitCode()).as(third.toString()).isZero();
        assertThat(Files.readAllBytes(this.work.resolve("data/c.csv"))).isEqualTo(csv);
        assertThat(this.jdbc.queryForObject("SELECT status FROM etl_source WHERE job_execution_id = ? AND line = 1",
                String.class, third.executionId()))
            .isEqualTo("DONE");
    }

    private void assertDone(Map<String, Object> row, byte[] content, Path data) throws Exception {
        assertThat(row.get("status")).as(row.toString()).isEqualTo("DONE");
        assertThat(row.get("sha256")).isEqualTo(sha256(content));
        assertThat(Files.readAllBytes(data.resolve(row.get("target").toString()))).isEqualTo(content);
    }

    private static void assertFailed(Map<String, Object> row, String reason, int attempts) {
        assertThat(row.get("status")).as(row.toString()).isEqualTo("FAILED");
        assertThat(row.get("error")).isEqualTo(reason);
        assertThat(row.get("attempts")).as(row.toString()).isEqualTo(attempts);
        assertThat(row.get("sha256")).isNull();
    }

    private String uri(String path) {
        return "http://127.0.0.1:" + this.server.port() + path;
    }

    private static int closedPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

}
