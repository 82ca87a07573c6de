package dev.batchetl.schedule;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.batchetl.EtlCli;
import dev.batchetl.EtlProcess;
import dev.batchetl.TestDatabase;
import dev.batchetl.fetch.TestHttpServer;
import dev.batchetl.job.RunRecords;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.scheduling.support.CronExpression;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code batch-etl schedule} in processes of its own against PostgreSQL: two nodes run
 * every fire once, overlap, catch-up, retry-failed, SIGTERM, and the HTTP endpoints.
 */
class ScheduleFunctionalTests {

    private static final JdbcTemplate JDBC = TestDatabase.jdbc();

    private static final Pattern PORT = Pattern.compile("schedule on port (\\d+)");

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private static final Duration START = Duration.ofMinutes(2);

    private static final String EVERY_2S = "*/2 * * * * *";

    @TempDir
    Path work;

    private final String definition = "sched-" + UUID.randomUUID().toString().substring(0, 8);

    /** One execution of a fire of this test's definition. */
    record Execution(String fire, long instance, long id, String status, Instant start, Instant end) {
    }

    @Test
    void twoSchedulersRunEveryFireExactlyOnce() throws Exception {
        Path definitionFile = definition(smallData(), "overlap=queue");
        EtlProcess a = start("schedule", definitionFile.toString(), "cron=" + EVERY_2S, "--server.port=0");
        EtlProcess b = start("schedule", definitionFile.toString(), "cron=" + EVERY_2S, "--server.port=0");
        int portA = port(a);
        int portB = port(b);
        assertThat(portA).isNotEqualTo(portB);
        Instant bothUp = Instant.now();

        // both run fires for a while: at least 6 fires after both were up have completed
        await().atMost(Duration.ofMinutes(3))
            .until(() -> completedFires().stream().filter(f -> f.isAfter(bothUp)).count() >= 6);

        // the endpoints of both answer; a node exposes Spring Batch's job and step
        // metrics once it has run a job
        // (which node wins a fire is up to the run lock, so one of them may not have run
        // any yet)
        int nodesThatRan = 0;
        for (EtlProcess node : List.of(a, b)) {
            int port = node == a ? portA : portB;
            HttpResponse<String> health = get(port, "/actuator/health");
            assertThat(health.statusCode()).isEqualTo(200);
            assertThat(health.body()).contains("\"status\":\"UP\"");
            HttpResponse<String> schedule = get(port, "/actuator/schedule");
            assertThat(schedule.statusCode()).isEqualTo(200);
            assertThat(schedule.body()).contains("\"definition\":\"" + this.definition + "\"")
                .contains("\"nextFire\":\"")
                .containsPattern("\"lastRun\":\\{\"fire\":\"[^\"]+\",\"executionId\":\\d+,\"status\":\"[A-Z]+\"");
            HttpResponse<String> metrics = get(port, "/actuator/prometheus");
            assertThat(metrics.statusCode()).isEqualTo(200);
            assertThat(metrics.body()).contains("jvm_memory_used_bytes");
            if (jobsRunBy(node) > 0) {
                nodesThatRan++;
                assertThat(metrics.body()).contains("spring_batch_job").contains("spring_batch_step");
            }
        }
        assertThat(nodesThatRan).isPositive();

        // SIGTERM: both end cleanly
        a.terminate();
        b.terminate();
        assertThat(a.waitFor()).as(a.output()).isZero();
        assertThat(b.waitFor()).as(b.output()).isZero();

        // every fire has exactly one job instance and one execution, COMPLETED (a run cut
        // by the SIGTERM aside)
        Map<String, List<Execution>> byFire = byFire(executions());
        byFire.forEach((fire, executions) -> {
            assertThat(executions).as(fire).hasSize(1);
            assertThat(executions.get(0).status()).as(fire).isIn("COMPLETED", "STOPPED");
        });
        assertThat(byFire.values().stream().filter(e -> e.get(0).status().equals("STOPPED")).count())
            .isLessThanOrEqualTo(2);
        // and none was lost: every fire from both nodes up to the last completed one ran
        List<Instant> completed = completedFires();
        Instant last = completed.get(completed.size() - 1);
        CronExpression cron = CronExpression.parse(EVERY_2S);
        for (var fire = cron.next(bothUp.atZone(ZoneOffset.UTC)); !fire.toInstant().isAfter(last); fire = cron
            .next(fire)) {
            assertThat(byFire).as("fire " + fire + "\n" + a.output() + "\n" + b.output())
                .containsKey(FireTime.runKey(fire.toInstant()));
        }
    }

    @Test
    void overlapSkipLeavesOutFiresThatComeWhileARunIsGoing() throws Exception {
        try (TestHttpServer server = slowServer()) {
            EtlProcess node = start("schedule", fetching(server, "overlap=skip").toString(), "cron=" + EVERY_2S,
                    "--server.port=0");
            port(node);
            await().atMost(Duration.ofMinutes(2)).until(() -> completedFires().size() >= 2);
            node.terminate();
            assertThat(node.waitFor()).as(node.output()).isZero();

            List<Execution> runs = executions();
            assertSequential(runs);
            Instant first = FireTime.parse(runs.get(0).fire());
            Instant second = FireTime.parse(runs.get(1).fire());
            // each run takes at least the server's 3 s, so the fire 2 s after the first
            // came while it ran
            Instant skipped = first.plusSeconds(2);
            assertThat(second).isAfter(skipped);
            assertThat(node.output()).contains("fire " + FireTime.runKey(skipped) + " skipped");
            assertThat(byFire(runs)).doesNotContainKey(FireTime.runKey(skipped));
        }
    }

    @Test
    void overlapQueueRunsFiresThatComeWhileARunIsGoingAfterIt() throws Exception {
        try (TestHttpServer server = slowServer()) {
            EtlProcess node = start("schedule", fetching(server, "overlap=queue").toString(), "cron=" + EVERY_2S,
                    "--server.port=0");
            port(node);
            await().atMost(Duration.ofMinutes(2)).until(() -> completedFires().size() >= 3);
            node.terminate();
            assertThat(node.waitFor()).as(node.output()).isZero();

            List<Execution> runs = executions();
            assertSequential(runs);
            Instant first = FireTime.parse(runs.get(0).fire());
            assertThat(runs.subList(0, 3)).extracting(Execution::fire)
                .containsExactly(FireTime.runKey(first), FireTime.runKey(first.plusSeconds(2)),
                        FireTime.runKey(first.plusSeconds(4)));
            assertThat(node.output()).contains("fire " + FireTime.runKey(first.plusSeconds(2)) + " queued");
        }
    }

    @Test
    void catchUpOnceRunsTheLatestMissedFireAndNoneRunsNothing() throws Exception {
        // given: the definition last fired three hours ago
        Path data = smallData();
        Instant hour = Instant.now().truncatedTo(ChronoUnit.HOURS);
        String recorded = FireTime.runKey(hour.minus(3, ChronoUnit.HOURS));
        Path once = definition(data, "catch-up=once");
        EtlCli.Result seeded = EtlCli.run("run", once.toString(), "run=" + recorded);
        assertThat(seeded.exitCode()).as(seeded.toString()).isZero();

        // when: an hourly scheduler starts
        EtlProcess node = start("schedule", once.toString(), "cron=0 0 * * * *", "--server.port=0");
        port(node);

        // then: it runs the latest missed fire (this hour's), and only it
        await().atMost(START).until(() -> completedFires().contains(hour));
        node.terminate();
        assertThat(node.waitFor()).as(node.output()).isZero();
        assertThat(node.output()).contains("catch-up: fire " + FireTime.runKey(hour) + " was missed");
        assertThat(byFire(executions())).containsOnlyKeys(recorded, FireTime.runKey(hour));

        // and with catch-up=none, a definition with the same history runs nothing at
        // start
        ScheduleFunctionalTests other = new ScheduleFunctionalTests();
        other.work = this.work;
        Path none = other.definition(data, "catch-up=none");
        assertThat(EtlCli.run("run", none.toString(), "run=" + recorded).exitCode()).isZero();
        EtlProcess idle = start("schedule", none.toString(), "cron=0 0 * * * *", "log-format=json", "--server.port=0");
        await().atMost(START).until(() -> idle.output().contains("catch-up=none"));
        idle.terminate();
        assertThat(idle.waitFor()).as(idle.output()).isZero();
        assertThat(byFire(other.executions())).containsOnlyKeys(recorded);
        // log-format=json: structured log lines
        assertThat(idle.output()).containsPattern("(?m)^\\{\"@timestamp\":.*\"message\":\"catch-up=none");
    }

    @Test
    void sigtermStopsTheRunningFireAndRetryFailedContinuesItFromItsCheckpoint() throws Exception {
        int rows = 300_000;
        Path data = Files.createDirectories(this.work.resolve("big"));
        RunRecords.bigCsv(data.resolve("big.csv"), rows, 7);
        Path definitionFile = definition(data, "partitions=1", "commit-rows=1000", "split-size=1GB");

        // given: a scheduler in the middle of a fire's run
        EtlProcess node = start("schedule", definitionFile.toString(), "cron=" + EVERY_2S, "--server.port=0");
        String fire = await().atMost(START).until(() -> {
            List<Execution> runs = executions();
            return runs.isEmpty() ? null : runs.get(0).fire();
        }, f -> f != null);
        long stopped = RunRecords.awaitCommits(fire, "stats-file:f00001", 2);

        // when: it gets SIGTERM
        node.terminate();

        // then: the run stops at a chunk boundary, STOPPED, and the process exits 0
        assertThat(node.waitFor()).as(node.output()).isZero();
        assertThat(node.output()).contains("stop requested: execution " + stopped);
        assertThat(RunRecords.status(stopped)).isEqualTo("STOPPED");
        assertThat(RunRecords.step(stopped, "stats-file:f00001")).containsEntry("status", "STOPPED");
        long committed = ((Number) RunRecords.step(stopped, "stats-file:f00001").get("write_count")).longValue();
        // and the fire's page, beside its results, shows it stopped
        Path page = this.work.resolve("report.html");
        var report = dev.batchetl.report.ReportData.of(page).get("run");
        assertThat(report.get("executionId").asLong()).isEqualTo(stopped);
        assertThat(report.get("status").asString()).isEqualTo("STOPPED");

        // when: a scheduler with retry-failed starts (hourly, nothing to catch up)
        EtlProcess retrier = start("schedule", definitionFile.toString(), "cron=0 0 * * * *", "catch-up=none",
                "retry-failed=true", "--server.port=0");

        // then: it continues the stopped fire from its checkpoint, in the same job
        // instance
        await().atMost(START).until(() -> completedFires().contains(FireTime.parse(fire)));
        retrier.terminate();
        assertThat(retrier.waitFor()).as(retrier.output()).isZero();
        List<Execution> runs = byFire(executions()).get(fire);
        assertThat(runs).extracting(Execution::status).containsExactly("STOPPED", "COMPLETED");
        assertThat(runs).extracting(Execution::instance).containsOnly(runs.get(0).instance());
        long resumedRows = ((Number) RunRecords.step(runs.get(1).id(), "stats-file:f00001").get("write_count"))
            .longValue();
        assertThat(resumedRows).isEqualTo(rows - committed);
        assertThat(retrier.output()).contains("retry-failed: fire " + fire + " ended STOPPED");
        report = dev.batchetl.report.ReportData.of(page).get("run");
        assertThat(report.get("executionId").asLong()).isEqualTo(runs.get(1).id());
        assertThat(report.get("status").asString()).isEqualTo("COMPLETED");
    }

    // --- support
    // ---------------------------------------------------------------------------------------------

    private final List<EtlProcess> started = new ArrayList<>();

    private EtlProcess start(String... args) throws Exception {
        EtlProcess process = EtlProcess.start(this.work, args);
        this.started.add(process);
        return process;
    }

    /** A scheduler left running by a failed assertion must not outlive its test. */
    @AfterEach
    void killLeftOvers() throws Exception {
        for (EtlProcess process : this.started) {
            if (process.isAlive()) {
                process.kill();
            }
        }
    }

    private Path definition(Path data, String... keys) throws Exception {
        List<String> lines = new ArrayList<>(
                List.of("dir=" + data, "output=" + this.work.resolve(this.definition + ".csv")));
        lines.addAll(List.of(keys));
        return Files.write(this.work.resolve(this.definition + ".properties"), lines);
    }

    private Path smallData() throws Exception {
        Path data = Files.createDirectories(this.work.resolve("small"));
        Files.writeString(data.resolve("a.csv"), "id,value\n1,2.5\n2,3.5\n");
        return data;
    }

    /**
     * A server that answers after 3 s: every run that fetches from it lasts longer than a
     * fire interval.
     */
    private static TestHttpServer slowServer() {
        TestHttpServer server = TestHttpServer.start();
        server.serve("/a.csv", "id,value\n1,2\n".getBytes());
        server.latency(Duration.ofSeconds(3));
        return server;
    }

    /** A definition that downloads the server's file and computes its statistics. */
    private Path fetching(TestHttpServer server, String overlap) throws Exception {
        Path sources = Files.writeString(this.work.resolve("sources.txt"), server.uri("/a.csv") + "\n");
        return definition(this.work.resolve("fetched"), "sources=" + sources, overlap);
    }

    private static int port(EtlProcess process) {
        String port = await().atMost(START).until(() -> {
            Matcher matcher = PORT.matcher(process.output());
            if (!process.isAlive()) {
                throw new AssertionError("scheduler ended:\n" + process.output());
            }
            return matcher.find() ? matcher.group(1) : null;
        }, p -> p != null);
        return Integer.parseInt(port);
    }

    private static HttpResponse<String> get(int port, String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** The executions of this test's definition, oldest first. */
    List<Execution> executions() {
        return JDBC.query(
                """
                        SELECT r.parameter_value, e.job_instance_id, e.job_execution_id, e.status, e.start_time, e.end_time
                        FROM batch_job_execution e
                        JOIN batch_job_execution_params r ON r.job_execution_id = e.job_execution_id AND r.parameter_name = 'run'
                        JOIN batch_job_execution_params d ON d.job_execution_id = e.job_execution_id
                             AND d.parameter_name = 'definition'
                        WHERE d.parameter_value = ? ORDER BY e.job_execution_id""",
                (rs, n) -> new Execution(rs.getString(1), rs.getLong(2), rs.getLong(3), rs.getString(4),
                        instant(rs.getTimestamp(5)), instant(rs.getTimestamp(6))),
                this.definition);
    }

    private static Instant instant(Timestamp timestamp) {
        return timestamp == null ? null : timestamp.toInstant();
    }

    private List<Instant> completedFires() {
        return executions().stream()
            .filter(e -> e.status().equals("COMPLETED"))
            .map(e -> FireTime.parse(e.fire()))
            .sorted()
            .toList();
    }

    private static Map<String, List<Execution>> byFire(List<Execution> executions) {
        Map<String, List<Execution>> byFire = new TreeMap<>();
        executions.forEach(e -> byFire.computeIfAbsent(e.fire(), f -> new ArrayList<>()).add(e));
        return byFire;
    }

    /** Runs of one node never overlap: each starts after the one before it ended. */
    private static void assertSequential(List<Execution> runs) {
        for (int i = 1; i < runs.size(); i++) {
            if (runs.get(i - 1).end() != null) {
                assertThat(runs.get(i).start()).as("run %d starts after run %d ended", i, i - 1)
                    .isAfterOrEqualTo(runs.get(i - 1).end());
            }
        }
    }

    /** Job executions the node's process ran, as the executions' owner records say. */
    private static int jobsRunBy(EtlProcess node) {
        return TestDatabase.jdbc()
            .queryForObject("SELECT COUNT(*) FROM etl_execution_owner WHERE pid = ?", Integer.class, node.pid());
    }

}
