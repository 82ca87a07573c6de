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

    /**
     * The first {@code limit} sources that failed, as "source NAME: ERROR", in source
     * list order.
     */
    public List<String> failures(long instanceId, int limit) {
        return this.jdbc.queryForList("""
                SELECT 'source ' || source || ': ' || COALESCE(error, 'failed') FROM etl_fetch_item
                WHERE job_instance_id = ? AND status = 'FAILED' ORDER BY line LIMIT ?""", String.class, instanceId,
                limit);
    }

    /** How many sources of the instance failed. */
    public long failedCount(long instanceId) {
        return this.jdbc.queryForObject(
                "SELECT COUNT(*) FROM etl_fetch_item WHERE job_instance_id = ? AND status = 'FAILED'", Long.class,
                instanceId);
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

    /** The sources of an instance, and those not DONE or NOT_MODIFIED. */
    public record Counts(long total, long pending) {
    }

}
