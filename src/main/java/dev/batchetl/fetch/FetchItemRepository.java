package dev.batchetl.fetch;

import java.sql.Statement;
import java.sql.Types;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import dev.batchetl.job.EtlRequest;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;

/**
 * The {@code etl_fetch_item} table: one row per source of a job instance, the fetch
 * step's process indicator.
 */
@Repository
class FetchItemRepository {

    private final JdbcTemplate jdbc;

    FetchItemRepository(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** Sources inserted per JDBC batch by {@link #plan}. */
    static final int PLAN_BATCH = 2_000;

    /**
     * Records each planned source once per instance: planning again changes nothing. The
     * inserts go in JDBC batches: one statement per source cost a round trip each, which
     * for a list of 200,000 sources was most of the plan's time.
     */
    int plan(long jobInstanceId, List<Source> sources, List<String> targets) {
        int added = 0;
        for (int from = 0; from < sources.size(); from += PLAN_BATCH) {
            int to = Math.min(sources.size(), from + PLAN_BATCH);
            List<Object[]> rows = new ArrayList<>(to - from);
            for (int i = from; i < to; i++) {
                Source source = sources.get(i);
                rows.add(new Object[] { jobInstanceId, source.line(), source.uri().toString(), targets.get(i),
                        source.expectedSha256() });
            }
            for (int count : this.jdbc.batchUpdate("""
                    INSERT INTO etl_fetch_item (job_instance_id, line, source, target, expected_sha256, status)
                    VALUES (?, ?, ?, ?, ?, 'PENDING') ON CONFLICT DO NOTHING""", rows,
                    new int[] { Types.BIGINT, Types.INTEGER, Types.VARCHAR, Types.VARCHAR, Types.VARCHAR })) {
                // a driver that rewrites the batch reports no count per row
                added += count == Statement.SUCCESS_NO_INFO ? 1 : count;
            }
        }
        return added;
    }

    /**
     * Takes over, for the instance's sources not attempted yet, what the instance of
     * execution {@code fromExecution} recorded for the same source and file name as DONE
     * or NOT_MODIFIED, where that file is in {@code dir} at the length recorded; the
     * source keeps the record of the execution that fetched it (and when), with no
     * attempt of this run.
     * @return how many sources were taken over
     */
    int reuse(long jobInstanceId, long fromExecution, java.nio.file.Path dir) {
        Long fromInstance = this.jdbc.queryForObject(
                "SELECT job_instance_id FROM batch_job_execution WHERE job_execution_id = ?", Long.class,
                fromExecution);
        List<Object[]> reused = new ArrayList<>();
        this.jdbc.query("""
                SELECT f.line, f.target, p.status, p.bytes, p.sha256, p.http_status, p.etag, p.last_modified,
                       p.duration_ms, p.job_execution_id, p.finished_at
                FROM etl_fetch_item f
                JOIN etl_fetch_item p ON p.job_instance_id = ? AND p.source = f.source AND p.target = f.target
                     AND p.status IN ('DONE', 'NOT_MODIFIED')
                WHERE f.job_instance_id = ? AND f.status = 'PENDING' AND f.attempts = 0""", rs -> {
            java.nio.file.Path file = dir.resolve(rs.getString(2));
            Long bytes = (Long) rs.getObject(4);
            try {
                if (!java.nio.file.Files.isRegularFile(file)
                        || (bytes != null && java.nio.file.Files.size(file) != bytes)) {
                    return;
                }
            }
            catch (java.io.IOException ex) {
                return; // not readable as it was: fetched again
            }
            reused.add(new Object[] { rs.getString(3), bytes, rs.getString(5), rs.getObject(6), rs.getString(7),
                    rs.getString(8), rs.getObject(9), rs.getObject(10), rs.getObject(11), jobInstanceId,
                    rs.getInt(1) });
        }, fromInstance, jobInstanceId);
        this.jdbc.batchUpdate("""
                UPDATE etl_fetch_item SET status = ?, bytes = ?, sha256 = ?, http_status = ?, etag = ?,
                       last_modified = ?, duration_ms = ?, job_execution_id = ?, finished_at = ?
                WHERE job_instance_id = ? AND line = ? AND status = 'PENDING'""", reused);
        return reused.size();
    }

    /**
     * Sources of the instance not yet DONE or NOT_MODIFIED, each with what the previous
     * run of the same definition (its latest earlier instance that fetched anything)
     * recorded for its URL; the largest expected first (by that record), the rest in list
     * order, so that big downloads start early instead of holding up the end of a chunk.
     */
    List<FetchItem> notDone(long jobInstanceId, String definition) {
        List<FetchItem> items = this.jdbc.query("""
                SELECT job_instance_id, line, source, target, expected_sha256 FROM etl_fetch_item
                WHERE job_instance_id = ? AND status NOT IN ('DONE', 'NOT_MODIFIED') ORDER BY line""", (rs,
                n) -> new FetchItem(rs.getLong(1), rs.getInt(2), rs.getString(3), rs.getString(4), rs.getString(5)),
                jobInstanceId);
        Long previousRun = items.isEmpty() || definition == null ? null : previousRun(jobInstanceId, definition);
        if (previousRun == null) {
            return items;
        }
        // one earlier instance, reached through the primary key: the cost does not grow
        // with the history
        Map<Integer, PreviousFetch> previous = new HashMap<>();
        this.jdbc.query("""
                SELECT f.line, p.etag, p.last_modified, p.sha256, p.bytes
                FROM etl_fetch_item f
                JOIN etl_fetch_item p ON p.job_instance_id = ? AND p.source = f.source
                     AND p.status IN ('DONE', 'NOT_MODIFIED') AND p.sha256 IS NOT NULL
                WHERE f.job_instance_id = ? AND f.status NOT IN ('DONE', 'NOT_MODIFIED')""", rs -> {
            previous.putIfAbsent(rs.getInt(1),
                    new PreviousFetch(rs.getString(2), rs.getString(3), rs.getString(4), rs.getLong(5)));
        }, previousRun, jobInstanceId);
        return items.stream()
            .map(item -> item.withPrevious(previous.get(item.line())))
            .sorted(Comparator.comparingLong(FetchItemRepository::expectedBytes).reversed())
            .toList();
    }

    /**
     * The latest instance before this one of the same definition that fetched anything,
     * or null.
     */
    private Long previousRun(long jobInstanceId, String definition) {
        return this.jdbc.queryForObject("""
                SELECT MAX(e.job_instance_id) FROM batch_job_execution e
                JOIN batch_job_execution_params d ON d.job_execution_id = e.job_execution_id
                     AND d.parameter_name = ? AND d.parameter_value = ?
                WHERE e.job_instance_id < ?
                  AND EXISTS (SELECT 1 FROM etl_fetch_item p WHERE p.job_instance_id = e.job_instance_id
                              AND p.status IN ('DONE', 'NOT_MODIFIED'))""", Long.class, EtlRequest.DEFINITION,
                definition, jobInstanceId);
    }

    private static long expectedBytes(FetchItem item) {
        return item.previous() == null ? -1 : item.previous().bytes();
    }

    /** Sources of the instance by status. */
    Map<String, Long> countByStatus(long jobInstanceId) {
        Map<String, Long> counts = new HashMap<>();
        this.jdbc.query("SELECT status, COUNT(*) FROM etl_fetch_item WHERE job_instance_id = ? GROUP BY status", rs -> {
            counts.put(rs.getString(1), rs.getLong(2));
        }, jobInstanceId);
        return counts;
    }

    /**
     * Records the results of ended fetches for execution {@code jobExecutionId}, each
     * with when it ended ({@code finished_at}).
     */
    void record(List<? extends FetchResult> results, long jobExecutionId) {
        this.jdbc.batchUpdate("""
                UPDATE etl_fetch_item SET status = ?, attempts = attempts + ?, bytes = ?, sha256 = ?, http_status = ?,
                       etag = ?, last_modified = ?, duration_ms = ?, error = ?, job_execution_id = ?, finished_at = ?
                WHERE job_instance_id = ? AND line = ?""", results, results.size(), (ps, result) -> {
            FetchOutcome outcome = result.outcome();
            ps.setString(1, result.status().name());
            ps.setInt(2, result.attempts());
            ps.setObject(3, outcome == null ? null : outcome.bytes());
            ps.setString(4, outcome == null ? null : outcome.sha256());
            ps.setObject(5, outcome == null ? null : outcome.httpStatus());
            ps.setString(6, outcome == null ? null : outcome.etag());
            ps.setString(7, outcome == null ? null : outcome.lastModified());
            ps.setLong(8, result.durationMs());
            ps.setString(9, truncate(result.error(), 4000));
            ps.setLong(10, jobExecutionId);
            ps.setLong(11, result.finishedAt());
            ps.setLong(12, result.item().jobInstanceId());
            ps.setInt(13, result.item().line());
        });
    }

    private static String truncate(String text, int max) {
        return text == null || text.length() <= max ? text : text.substring(0, max - 3) + "...";
    }

}
