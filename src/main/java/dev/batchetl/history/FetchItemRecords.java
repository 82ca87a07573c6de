package dev.batchetl.history;

import java.util.List;
import java.util.Map;

import org.springframework.jdbc.core.JdbcTemplate;

/**
 * What {@code show} and the run's page read of an instance's sources in
 * {@code etl_fetch_item}.
 */
public class FetchItemRecords {

    private final JdbcTemplate jdbc;

    public FetchItemRecords(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** The sources that failed, as "source NAME: ERROR", in source list order. */
    public List<String> failures(long instanceId) {
        return this.jdbc.queryForList("""
                SELECT 'source ' || source || ': ' || COALESCE(error, 'failed') FROM etl_fetch_item
                WHERE job_instance_id = ? AND status = 'FAILED' ORDER BY line""", String.class, instanceId);
    }

    /** How many sources the instance has, and how many a restart fetches again. */
    public Counts counts(long instanceId) {
        Map<String, Object> counts = this.jdbc.queryForMap(
                """
                        SELECT COUNT(*) AS total, COALESCE(SUM(CASE WHEN status NOT IN ('DONE', 'NOT_MODIFIED') THEN 1 ELSE 0 END), 0) AS pending
                        FROM etl_fetch_item WHERE job_instance_id = ?""",
                instanceId);
        return new Counts(((Number) counts.get("total")).longValue(), ((Number) counts.get("pending")).longValue());
    }

    /** The instance's sources as they are now, in source list order. */
    public List<Item> items(long instanceId) {
        return this.jdbc.query("""
                SELECT line, source, target, status, bytes, duration_ms, attempts, http_status, error, finished_at
                FROM etl_fetch_item WHERE job_instance_id = ? ORDER BY line""",
                (rs, n) -> new Item(rs.getInt("line"), rs.getString("source"), rs.getString("target"),
                        rs.getString("status"), rs.getObject("bytes", Long.class),
                        rs.getObject("duration_ms", Long.class), rs.getInt("attempts"),
                        rs.getObject("http_status", Integer.class), rs.getString("error"),
                        rs.getObject("finished_at", Long.class)),
                instanceId);
    }

    /**
     * One source of an instance: its status ({@code PENDING} until it is attempted), and
     * what its latest attempt recorded; {@code finishedAt} is when that fetch ended, in
     * epoch milliseconds (null before it did, or when recorded by a build before V11).
     */
    public record Item(int line, String source, String target, String status, Long bytes, Long durationMs, int attempts,
            Integer httpStatus, String error, Long finishedAt) {
    }

    /** The sources of an instance, and those not DONE or NOT_MODIFIED. */
    public record Counts(long total, long pending) {
    }

}
