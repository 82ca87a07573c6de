package dev.batchetl.history;

import java.util.List;

import org.springframework.jdbc.core.JdbcTemplate;

/**
 * What {@code show} reads of the rows an instance set aside, in
 * {@code etl_bad_row_stage}.
 */
public class BadRowRecords {

    private final JdbcTemplate jdbc;

    public BadRowRecords(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    public long count(long instanceId) {
        return this.jdbc.queryForObject("SELECT COUNT(*) FROM etl_bad_row_stage WHERE job_instance_id = ?", Long.class,
                instanceId);
    }

    /** The first {@code limit} rows set aside, by file and line. */
    public List<BadRow> first(long instanceId, int limit) {
        return this.jdbc.query("""
                SELECT file, line, reason FROM etl_bad_row_stage WHERE job_instance_id = ? ORDER BY file, line
                LIMIT ?""", (rs, n) -> new BadRow(rs.getString(1), rs.getLong(2), rs.getString(3)), instanceId, limit);
    }

    /** A row set aside: where it is and why. */
    public record BadRow(String file, long line, String reason) {
    }

}
