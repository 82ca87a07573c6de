package dev.batchetl.history;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDateTime;
import java.util.List;

import dev.batchetl.job.EtlJobConfiguration;
import dev.batchetl.job.EtlKey;
import dev.batchetl.job.EtlRequest;

import dev.batchetl.job.ExecutionOwnership;

import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The latest executions of the etl job across its instances, read from Spring Batch's
 * tables: the job repository has no query for them.
 */
public class ExecutionHistory {

    private final JdbcTemplate jdbc;

    public ExecutionHistory(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** The latest {@code limit} executions, newest first. */
    public List<Listed> latest(int limit) {
        return this.jdbc.query("""
                SELECT e.job_execution_id, e.job_instance_id, e.status, e.exit_code, e.start_time, e.end_time,
                       d.parameter_value AS definition, r.parameter_value AS run_key
                FROM batch_job_execution e
                JOIN batch_job_instance i ON i.job_instance_id = e.job_instance_id
                LEFT JOIN batch_job_execution_params d
                       ON d.job_execution_id = e.job_execution_id AND d.parameter_name = ?
                LEFT JOIN batch_job_execution_params r
                       ON r.job_execution_id = e.job_execution_id AND r.parameter_name = ?
                WHERE i.job_name = ?
                ORDER BY e.job_execution_id DESC
                LIMIT ?""", ExecutionHistory::listed, EtlRequest.DEFINITION, EtlKey.RUN.key(),
                EtlJobConfiguration.JOB_NAME, limit);
    }

    /**
     * Why an execution the job repository shows as running is dead (its owner is gone,
     * its lease ran out), or null while its process may be alive or it is not running.
     */
    public static String deathOf(ExecutionOwnership ownership, JobExecution execution) {
        if (execution == null || !execution.getStatus().isRunning()) {
            return null;
        }
        ExecutionOwnership.Liveness liveness = ownership.liveness(execution);
        return liveness.dead() ? liveness.description() : null;
    }

    private static Listed listed(ResultSet rs, int row) throws SQLException {
        return new Listed(rs.getLong("job_execution_id"), rs.getLong("job_instance_id"),
                BatchStatus.valueOf(rs.getString("status")), rs.getString("exit_code"),
                rs.getObject("start_time", LocalDateTime.class), rs.getObject("end_time", LocalDateTime.class),
                rs.getString("definition"), rs.getString("run_key"));
    }

    /** One execution as {@code list} shows it. */
    public record Listed(long id, long instanceId, BatchStatus status, String exitCode, LocalDateTime start,
            LocalDateTime end, String definition, String runKey) {
    }

}
