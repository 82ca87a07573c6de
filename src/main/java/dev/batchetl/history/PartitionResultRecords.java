package dev.batchetl.history;

import java.util.List;

import org.springframework.jdbc.core.JdbcTemplate;

/**
 * What {@code show} and the run's page read of an instance's statistics in
 * {@code etl_partition_result}.
 */
public class PartitionResultRecords {

    private final JdbcTemplate jdbc;

    public PartitionResultRecords(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** The files that failed, as "file NAME: ERROR", by file and range. */
    public List<String> failures(long instanceId, int limit) {
        return this.jdbc.queryForList("""
                SELECT 'file ' || file || ': ' || error FROM etl_partition_result
                WHERE job_instance_id = ? AND error IS NOT NULL ORDER BY file, range_index LIMIT ?""", String.class,
                instanceId, limit);
    }

    /**
     * How many files a retry took over from the execution it retries, without reading
     * them.
     */
    public long reusedFiles(long instanceId) {
        return this.jdbc.queryForObject("""
                SELECT COUNT(DISTINCT file) FROM etl_partition_result WHERE job_instance_id = ?
                AND partition_name LIKE 'reused:%'""", Long.class, instanceId);
    }

    /** How many partitions of the instance failed. */
    public long failedCount(long instanceId) {
        return this.jdbc.queryForObject(
                "SELECT COUNT(*) FROM etl_partition_result WHERE job_instance_id = ? AND error IS NOT NULL", Long.class,
                instanceId);
    }

}
