package dev.batchetl.job;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;

import dev.batchetl.TestDatabase;

import org.springframework.jdbc.core.JdbcTemplate;

import static org.awaitility.Awaitility.await;

/**
 * What the crash, stop and restart tests read back from the job repository and the result
 * tables.
 */
public final class RunRecords {

    static final JdbcTemplate JDBC = TestDatabase.jdbc();

    private RunRecords() {
    }

    /**
     * Writes a CSV of {@code rows} rows: an id, two floats (one with nulls), a category
     * and a quoted note.
     */
    public static Path bigCsv(Path file, int rows, long seed) throws IOException {
        Random random = new Random(seed);
        String[] categories = { "alpha", "beta", "gamma", "delta", "epsilon" };
        try (BufferedWriter out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            out.write("id,value,amount,category,note\n");
            for (int i = 1; i <= rows; i++) {
                out.write(Integer.toString(i));
                out.write(',');
                out.write(Double.toString(random.nextGaussian() * 100));
                out.write(',');
                if (random.nextInt(50) != 0) {
                    out.write(Long.toString(random.nextInt(1_000_000)));
                    out.write('.');
                    out.write(Integer.toString(random.nextInt(100)));
                }
                out.write(',');
                out.write(categories[random.nextInt(categories.length)]);
                out.write(random.nextInt(10) == 0 ? ",\"a, \"\"quoted\"\" note\"\n" : ",plain\n");
            }
        }
        return file;
    }

    /**
     * Removes executions a test ran, with their rows in the result tables, through Spring
     * Batch Test's {@code JobRepositoryTestUtils} for the job repository's own.
     */
    public static void remove(org.springframework.batch.core.repository.JobRepository repository,
            List<org.springframework.batch.core.job.JobExecution> executions) {
        for (org.springframework.batch.core.job.JobExecution execution : executions) {
            long instance = execution.getJobInstance().getInstanceId();
            for (String table : List.of("etl_fetch_item", "etl_partition_result", "etl_bad_row_stage")) {
                JDBC.update("DELETE FROM " + table + " WHERE job_instance_id = ?", instance);
            }
            for (String table : List.of("etl_source", "etl_file_stats", "etl_column_stats", "etl_bad_row",
                    "etl_execution_owner")) {
                JDBC.update("DELETE FROM " + table + " WHERE job_execution_id = ?", execution.getId());
            }
        }
        new org.springframework.batch.test.JobRepositoryTestUtils(repository).removeJobExecutions(executions);
    }

    /** Ids of the executions of the etl instance with this run key, oldest first. */
    public static List<Long> executions(String runKey) {
        return JDBC.queryForList("""
                SELECT e.job_execution_id FROM batch_job_execution e
                JOIN batch_job_execution_params p ON p.job_execution_id = e.job_execution_id
                WHERE p.parameter_name = 'run' AND p.parameter_value = ? ORDER BY e.job_execution_id""", Long.class,
                runKey);
    }

    public static String status(long execution) {
        return JDBC.queryForObject("SELECT status FROM batch_job_execution WHERE job_execution_id = ?", String.class,
                execution);
    }

    /** The step executions of an execution by name: status, commit and write counts. */
    public static Map<String, Object> step(long execution, String stepName) {
        List<Map<String, Object>> rows = JDBC.queryForList("""
                SELECT status, commit_count, write_count, read_skip_count FROM batch_step_execution
                WHERE job_execution_id = ? AND step_name = ?""", execution, stepName);
        return rows.isEmpty() ? Map.of() : rows.get(0);
    }

    /**
     * Waits until the run's latest execution has a step with that name that committed at
     * least n chunks.
     */
    public static long awaitCommits(String runKey, String stepName, int n) {
        return await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(50)).until(() -> {
            List<Long> ids = executions(runKey);
            if (ids.isEmpty()) {
                return null;
            }
            long id = ids.get(ids.size() - 1);
            Map<String, Object> step = step(id, stepName);
            boolean committed = !step.isEmpty() && ((Number) step.get("commit_count")).intValue() >= n;
            return committed ? id : null;
        }, id -> id != null);
    }

    /**
     * Every column statistic of an execution (all columns but its id), in file and column
     * order.
     */
    public static List<Map<String, Object>> columnStats(long execution) {
        return withoutExecutionId(JDBC.queryForList(
                "SELECT * FROM etl_column_stats WHERE job_execution_id = ? ORDER BY file, column_index", execution));
    }

    /** Every file statistic of an execution (all columns but its id), in file order. */
    public static List<Map<String, Object>> fileStats(long execution) {
        return withoutExecutionId(
                JDBC.queryForList("SELECT * FROM etl_file_stats WHERE job_execution_id = ? ORDER BY file", execution));
    }

    private static List<Map<String, Object>> withoutExecutionId(List<Map<String, Object>> rows) {
        rows.forEach(row -> row.remove("job_execution_id"));
        return rows;
    }

    static List<Map<String, Object>> sources(long execution) {
        return JDBC.queryForList("""
                SELECT line, source, target, status, bytes, sha256 FROM etl_source
                WHERE job_execution_id = ? ORDER BY line""", execution);
    }

}
