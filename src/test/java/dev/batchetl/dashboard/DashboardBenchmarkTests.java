package dev.batchetl.dashboard;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.batchetl.EtlCli;
import dev.batchetl.EtlProcess;
import dev.batchetl.TestDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.postgresql.ds.PGSimpleDataSource;

import org.springframework.jdbc.core.JdbcTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * How fast the dashboard's pages answer over a job repository of many executions: a
 * database of its own on the test PostgreSQL, one real run, then copies of that run's
 * rows in Spring Batch's tables up to {@code -Ddashboard.benchmark.executions=N} (default
 * 10,000) executions of 20 definitions, with steps and partitions like the run's, over
 * 200 days; then the dashboard started as a user starts it, and each page asked for 7
 * times (medians, the first turn left out as warm-up). Not part of the suite:
 *
 * <pre>
 * ./mvnw -o test -Dtest=DashboardBenchmarkTests -Ddashboard.benchmark=true
 * </pre>
 *
 * {@code -Ddashboard.screenshots=docs} also saves the runs list and a run's page there.
 */
class DashboardBenchmarkTests {

    private static final String DATABASE = "batch_etl_dashboard_bench";

    @TempDir
    Path work;

    @Test
    void pagesOverManyExecutions() throws Exception {
        assumeTrue(Boolean.getBoolean("dashboard.benchmark"), "-Ddashboard.benchmark=true runs it");
        int executions = Integer.getInteger("dashboard.benchmark.executions", 10_000);
        TestDatabase.jdbc().execute("DROP DATABASE IF EXISTS " + DATABASE + " WITH (FORCE)");
        TestDatabase.jdbc().execute("CREATE DATABASE " + DATABASE);
        String url = TestDatabase.URL.replaceAll("/[^/]+$", "/" + DATABASE);
        String[] db = { "--spring.datasource.url=" + url, "--spring.datasource.username=" + TestDatabase.USER };

        // one real run: the schema, and the rows copied below
        Path data = Files.createDirectories(this.work.resolve("data"));
        for (int f = 0; f < 4; f++) {
            StringBuilder csv = new StringBuilder("id,amount,name\n");
            for (int i = 0; i < 1000; i++) {
                csv.append(i).append(',').append(i * 0.5).append(",n").append(i % 37).append('\n');
            }
            Files.writeString(data.resolve("f" + f + ".csv"), csv);
        }
        List<String> args = new ArrayList<>(
                List.of("run", "dir=" + data, "output=" + this.work.resolve("r.csv"), "partitions=4", "run=seed"));
        args.addAll(Arrays.asList(db));
        EtlCli.Result seed = EtlCli.runWithout(args.toArray(String[]::new));
        assertThat(seed.exitCode()).as(seed.toString()).isZero();
        JdbcTemplate jdbc = jdbc(url);
        long started = System.nanoTime();
        copies(jdbc, seed.executionId(), executions - 1);
        System.out.printf("seeded %,d executions in %.1f s%n", executions, (System.nanoTime() - started) / 1e9);

        List<String> serve = new ArrayList<>(List.of("dashboard", "--server.port=0"));
        serve.addAll(Arrays.asList(db));
        EtlProcess dashboard = EtlProcess.startWithout(this.work, serve.toArray(String[]::new));
        Map<String, Map<String, List<Long>>> times = new LinkedHashMap<>();
        try {
            String base = started(dashboard);
            if (System.getProperty("dashboard.screenshots") != null) {
                screenshots(base, seed.executionId());
            }
            Map<String, String> pages = pages(seed.executionId() + executions - 1);
            HttpClient client = HttpClient.newHttpClient();
            for (int turn = 0; turn < 2; turn++) {
                request(client, base, pages, null);
            }
            // turns alternate between the schema as migrated and the same without the
            // index of V12, which the runs list's joins with the parameters use
            for (int turn = 0; turn < 12; turn++) {
                boolean indexed = turn % 4 == 0 || turn % 4 == 3;
                jdbc.execute(indexed
                        ? "CREATE INDEX IF NOT EXISTS etl_job_execution_params_execution"
                                + " ON batch_job_execution_params (job_execution_id)"
                        : "DROP INDEX IF EXISTS etl_job_execution_params_execution");
                jdbc.execute("ANALYZE batch_job_execution_params");
                request(client, base, pages,
                        times.computeIfAbsent(indexed ? "as migrated" : "without V12", key -> new LinkedHashMap<>()));
            }
        }
        finally {
            dashboard.terminate();
            dashboard.endsWithin(Duration.ofSeconds(20));
        }
        System.out.printf("%nDashboard over %,d executions (median of 6 requests each, ms):%n", executions);
        System.out.printf("| page | as migrated | without the index of V12 |%n| --- | --- | --- |%n");
        for (String page : times.get("as migrated").keySet()) {
            System.out.printf("| `%s` | %d | %d |%n", page, median(times.get("as migrated").get(page)),
                    median(times.get("without V12").get(page)));
        }
    }

    private static Map<String, String> pages(long newest) {
        Map<String, String> pages = new LinkedHashMap<>();
        pages.put("/", "/");
        pages.put("/?definition=nightly-07", "/?definition=nightly-07");
        pages.put("/?status=FAILED", "/?status=FAILED");
        pages.put("/?from=…&to=… (one week)", "/?from=2026-03-01&to=2026-03-07");
        pages.put("/?before=… (page 100)", "/?before=" + (newest - 100 * 50));
        pages.put("/runs/ID", "/runs/" + newest);
        pages.put("/runs/ID/data", "/runs/" + newest + "/data");
        return pages;
    }

    private static void request(HttpClient client, String base, Map<String, String> pages,
            Map<String, List<Long>> times) throws Exception {
        for (Map.Entry<String, String> page : pages.entrySet()) {
            long start = System.nanoTime();
            HttpResponse<String> response = client.send(
                    HttpRequest.newBuilder(URI.create(base + page.getValue())).build(),
                    HttpResponse.BodyHandlers.ofString());
            long ms = (System.nanoTime() - start) / 1_000_000;
            assertThat(response.statusCode()).as(page.getValue()).isEqualTo(200);
            if (times != null) {
                times.computeIfAbsent(page.getKey(), key -> new ArrayList<>()).add(ms);
            }
        }
    }

    /** The runs list and the seeded run's page, for the documentation. */
    private static void screenshots(String base, long seeded) throws Exception {
        org.openqa.selenium.chrome.ChromeDriver browser = dev.batchetl.report.ReportPageBrowserTests.headlessChromium();
        try {
            browser.get(base + "/");
            Files.write(Files.createDirectories(Path.of(System.getProperty("dashboard.screenshots")))
                .resolve("dashboard-runs.png"), browser.getScreenshotAs(org.openqa.selenium.OutputType.BYTES));
            browser.get(base + "/runs/" + seeded);
            Files.write(Path.of(System.getProperty("dashboard.screenshots")).resolve("dashboard-run.png"),
                    browser.getScreenshotAs(org.openqa.selenium.OutputType.BYTES));
        }
        finally {
            browser.quit();
        }
    }

    private static String started(EtlProcess dashboard) {
        Pattern started = Pattern.compile("dashboard on (http://127\\.0\\.0\\.1:\\d+)/");
        String[] base = new String[1];
        await().atMost(Duration.ofSeconds(60)).until(() -> {
            Matcher matcher = started.matcher(dashboard.output());
            if (matcher.find()) {
                base[0] = matcher.group(1);
                return true;
            }
            assertThat(dashboard.isAlive()).as(dashboard.output()).isTrue();
            return false;
        });
        return base[0];
    }

    /**
     * Copies of execution {@code seed} (its instance, parameters and steps), {@code n} of
     * them, with ids after it: 20 definitions, one in 14 FAILED and one in 30 STOPPED,
     * started over 200 days.
     */
    private static void copies(JdbcTemplate jdbc, long seed, int n) {
        jdbc.update("""
                INSERT INTO batch_job_instance (job_instance_id, version, job_name, job_key)
                SELECT i.job_instance_id + k, i.version, i.job_name, md5('bench' || k)
                FROM batch_job_instance i JOIN batch_job_execution e ON e.job_instance_id = i.job_instance_id,
                     generate_series(1, ?) k
                WHERE e.job_execution_id = ?""", n, seed);
        jdbc.update("""
                INSERT INTO batch_job_execution (job_execution_id, version, job_instance_id, create_time, start_time,
                                                 end_time, status, exit_code, exit_message, last_updated)
                SELECT e.job_execution_id + k, e.version, e.job_instance_id + k,
                       TIMESTAMP '2026-01-01' + k * INTERVAL '1728 seconds',
                       TIMESTAMP '2026-01-01' + k * INTERVAL '1728 seconds',
                       TIMESTAMP '2026-01-01' + k * INTERVAL '1728 seconds' + (30 + k % 17) * INTERVAL '1 second',
                       CASE WHEN k % 14 = 0 THEN 'FAILED' WHEN k % 30 = 0 THEN 'STOPPED' ELSE 'COMPLETED' END,
                       CASE WHEN k % 14 = 0 THEN 'FAILED' WHEN k % 30 = 0 THEN 'STOPPED' ELSE 'COMPLETED' END,
                       e.exit_message, e.last_updated
                FROM batch_job_execution e, generate_series(1, ?) k
                WHERE e.job_execution_id = ?""", n, seed);
        jdbc.update("""
                INSERT INTO batch_job_execution_params (job_execution_id, parameter_name, parameter_type,
                                                        parameter_value, identifying)
                SELECT p.job_execution_id + k, p.parameter_name, p.parameter_type,
                       CASE p.parameter_name WHEN 'definition' THEN 'nightly-' || lpad((k % 20)::text, 2, '0')
                                             WHEN 'run' THEN 'run-' || k ELSE p.parameter_value END,
                       p.identifying
                FROM batch_job_execution_params p, generate_series(1, ?) k
                WHERE p.job_execution_id = ?""", n, seed);
        jdbc.update("""
                INSERT INTO batch_job_execution_context (job_execution_id, short_context, serialized_context)
                SELECT c.job_execution_id + k, c.short_context, c.serialized_context
                FROM batch_job_execution_context c, generate_series(1, ?) k
                WHERE c.job_execution_id = ?""", n, seed);
        long steps = jdbc.queryForObject("SELECT count(*) FROM batch_step_execution", Long.class);
        long maxStep = jdbc.queryForObject("SELECT max(step_execution_id) FROM batch_step_execution", Long.class);
        jdbc.update("""
                INSERT INTO batch_step_execution (step_execution_id, version, step_name, job_execution_id,
                        create_time, start_time, end_time, status, commit_count, read_count, filter_count,
                        write_count, read_skip_count, write_skip_count, process_skip_count, rollback_count,
                        exit_code, exit_message, last_updated)
                SELECT s.step_execution_id + k * ?, s.version, s.step_name, s.job_execution_id + k,
                       s.create_time + (k * INTERVAL '1728 seconds') - (TIMESTAMP '2026-01-01' - e.start_time),
                       s.start_time + (k * INTERVAL '1728 seconds') - (TIMESTAMP '2026-01-01' - e.start_time),
                       s.end_time + (k * INTERVAL '1728 seconds') - (TIMESTAMP '2026-01-01' - e.start_time),
                       s.status, s.commit_count, s.read_count, s.filter_count, s.write_count, s.read_skip_count,
                       s.write_skip_count, s.process_skip_count, s.rollback_count, s.exit_code, s.exit_message,
                       s.last_updated
                FROM batch_step_execution s JOIN batch_job_execution e ON e.job_execution_id = s.job_execution_id,
                     generate_series(1, ?) k
                WHERE s.job_execution_id = ?""", maxStep, n, seed);
        jdbc.update("""
                INSERT INTO batch_step_execution_context (step_execution_id, short_context, serialized_context)
                SELECT c.step_execution_id + k * ?, c.short_context, c.serialized_context
                FROM batch_step_execution_context c JOIN batch_step_execution s
                     ON s.step_execution_id = c.step_execution_id, generate_series(1, ?) k
                WHERE s.job_execution_id = ?""", maxStep, n, seed);
        jdbc.execute("SELECT setval('batch_job_instance_seq', (SELECT max(job_instance_id) FROM batch_job_instance))");
        jdbc.execute(
                "SELECT setval('batch_job_execution_seq', (SELECT max(job_execution_id) FROM batch_job_execution))");
        jdbc.execute(
                "SELECT setval('batch_step_execution_seq', (SELECT max(step_execution_id) FROM batch_step_execution))");
        jdbc.execute("ANALYZE");
        assertThat(steps).isPositive();
    }

    private static JdbcTemplate jdbc(String url) {
        PGSimpleDataSource dataSource = new PGSimpleDataSource();
        dataSource.setUrl(url);
        dataSource.setUser(TestDatabase.USER);
        return new JdbcTemplate(dataSource);
    }

    private static long median(List<Long> values) {
        List<Long> sorted = values.stream().sorted().toList();
        return sorted.get(sorted.size() / 2);
    }

}
