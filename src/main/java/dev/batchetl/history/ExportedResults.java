package dev.batchetl.history;

import java.util.List;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowCallbackHandler;

/**
 * What the run summary and the run's page read of an execution's exported results, the
 * tables the export step writes for each job execution: {@code etl_source},
 * {@code etl_file_stats}, {@code etl_column_stats} and {@code etl_bad_row}.
 */
public class ExportedResults {

    private final JdbcTemplate jdbc;

    public ExportedResults(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /**
     * The sources of an execution by outcome.
     *
     * @param total every source
     * @param done downloaded or copied
     * @param notModified unchanged since the run they were taken from
     * @param bytes bytes downloaded in this execution (not those taken over)
     * @param reused done or not modified without a request (taken over from another
     * execution)
     */
    public record SourceCounts(long total, long done, long notModified, long bytes, long reused) {

        public long failed() {
            return this.total - this.done - this.notModified;
        }

    }

    public SourceCounts sources(long executionId) {
        return this.jdbc.queryForObject("""
                SELECT COUNT(*),
                       COALESCE(SUM(CASE WHEN status = 'DONE' THEN 1 ELSE 0 END), 0),
                       COALESCE(SUM(CASE WHEN status = 'NOT_MODIFIED' THEN 1 ELSE 0 END), 0),
                       COALESCE(SUM(CASE WHEN status = 'DONE' AND attempts > 0 THEN bytes ELSE 0 END), 0),
                       COALESCE(SUM(CASE WHEN status IN ('DONE', 'NOT_MODIFIED') AND attempts = 0 THEN 1 ELSE 0 END), 0)
                FROM etl_source WHERE job_execution_id = ?""",
                (rs, i) -> new SourceCounts(rs.getLong(1), rs.getLong(2), rs.getLong(3), rs.getLong(4), rs.getLong(5)),
                executionId);
    }

    /** The first {@code limit} failed sources, as "SOURCE: ERROR", by line. */
    public List<String> failedSources(long executionId, int limit) {
        return this.jdbc.queryForList("""
                SELECT source || ': ' || COALESCE(error, 'failed') FROM etl_source
                WHERE job_execution_id = ? AND status NOT IN ('DONE', 'NOT_MODIFIED') ORDER BY line LIMIT ?""",
                String.class, executionId, limit);
    }

    /**
     * An exported file: its counts, or the error that stopped its statistics (then the
     * counts are null).
     */
    public record FileRow(String file, Long rows, Integer columns, Long badRows, String error) {
    }

    /** The files of an execution, by name. */
    public List<FileRow> files(long executionId) {
        return this.jdbc.query("""
                SELECT file, rows_count, columns_count, bad_rows, error
                FROM etl_file_stats WHERE job_execution_id = ? ORDER BY file""",
                (rs, i) -> new FileRow(rs.getString("file"), rs.getObject("rows_count", Long.class),
                        rs.getObject("columns_count", Integer.class), rs.getObject("bad_rows", Long.class),
                        rs.getString("error")),
                executionId);
    }

    /** A row the statistics set aside. */
    public record BadRow(String file, long line, String reason) {
    }

    /** The first {@code perFile} bad rows of each file, by file and line. */
    public List<BadRow> firstBadRows(long executionId, int perFile) {
        return this.jdbc.query("""
                SELECT file, line, reason FROM (
                    SELECT file, line, reason, ROW_NUMBER() OVER (PARTITION BY file ORDER BY line) AS n
                    FROM etl_bad_row WHERE job_execution_id = ?) b
                WHERE n <= ? ORDER BY file, line""",
                (rs, i) -> new BadRow(rs.getString("file"), rs.getLong("line"), rs.getString("reason")), executionId,
                perFile);
    }

    /**
     * The columns of an execution's files, by file and column, each handed over as its
     * row of {@code etl_column_stats} (every statistic of {@code results.csv}, under the
     * column names of the table).
     */
    public void columns(long executionId, RowCallbackHandler column) {
        this.jdbc.query("""
                SELECT file, column_index, column_name, column_type, non_null_count, null_count, mean, min_value,
                       max_value, std, q1, median, q3, distinct_count, distinct_exact, distribution
                FROM etl_column_stats WHERE job_execution_id = ? ORDER BY file, column_index""", column, executionId);
    }

}
