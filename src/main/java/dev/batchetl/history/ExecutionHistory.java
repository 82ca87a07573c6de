package dev.batchetl.history;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.batchetl.job.EtlJobConfiguration;
import dev.batchetl.job.EtlKey;
import dev.batchetl.job.EtlRequest;

import dev.batchetl.job.ExecutionOwnership;

import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The executions of the etl job across its instances, read from Spring Batch's tables
 * (the job repository has no query for them): the latest, or a page of those a filter
 * picks by definition, status and start day (newest first, keyset paged by execution id,
 * so that a page costs the same on the first and the hundredth); the definitions that
 * have run; each definition's duration over its last completed runs.
 */
public class ExecutionHistory {

    private final JdbcTemplate jdbc;

    public ExecutionHistory(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** The latest {@code limit} executions, newest first. */
    public List<Listed> latest(int limit) {
        return page(Filter.NONE, limit);
    }

    /**
     * One page of executions, newest first: those with an id below {@code filter.before}
     * when it is given.
     */
    public List<Listed> page(Filter filter, int size) {
        StringBuilder sql = new StringBuilder("""
                SELECT e.job_execution_id, e.job_instance_id, e.status, e.exit_code, e.start_time, e.end_time,
                       d.parameter_value AS definition, r.parameter_value AS run_key
                FROM batch_job_execution e
                JOIN batch_job_instance i ON i.job_instance_id = e.job_instance_id
                LEFT JOIN batch_job_execution_params d
                       ON d.job_execution_id = e.job_execution_id AND d.parameter_name = ?
                LEFT JOIN batch_job_execution_params r
                       ON r.job_execution_id = e.job_execution_id AND r.parameter_name = ?
                WHERE i.job_name = ?""");
        List<Object> args = new ArrayList<>(
                List.of(EtlRequest.DEFINITION, EtlKey.RUN.key(), EtlJobConfiguration.JOB_NAME));
        if (filter.definition() != null) {
            sql.append(" AND d.parameter_value = ?");
            args.add(filter.definition());
        }
        if (filter.status() != null) {
            sql.append(" AND e.status = ?");
            args.add(filter.status().name());
        }
        if (filter.from() != null) {
            sql.append(" AND e.start_time >= ?");
            args.add(Timestamp.valueOf(filter.from().atStartOfDay()));
        }
        if (filter.to() != null) {
            sql.append(" AND e.start_time < ?");
            args.add(Timestamp.valueOf(filter.to().plusDays(1).atStartOfDay()));
        }
        if (filter.before() != null) {
            sql.append(" AND e.job_execution_id < ?");
            args.add(filter.before());
        }
        sql.append(" ORDER BY e.job_execution_id DESC LIMIT ?");
        args.add(size);
        return this.jdbc.query(sql.toString(), ExecutionHistory::listed, args.toArray());
    }

    /**
     * The latest completed execution of {@code definition} (null: ad hoc runs) before
     * {@code executionId}, or null.
     */
    public Long previousCompleted(String definition, long executionId) {
        // executions from the newest back, until one is of the definition: not a join of
        // every execution's parameters, which the embedded database planned as a scan of
        // all of them (60 ms over 150 runs, and more with every run)
        List<Long> ids = this.jdbc.queryForList("""
                SELECT e.job_execution_id FROM batch_job_execution e
                WHERE e.job_execution_id < ? AND e.status = 'COMPLETED'
                  AND EXISTS (SELECT 1 FROM batch_job_execution_params d WHERE d.job_execution_id = e.job_execution_id
                              AND d.parameter_name = ? AND d.parameter_value = ?)
                  AND EXISTS (SELECT 1 FROM batch_job_instance i WHERE i.job_instance_id = e.job_instance_id
                              AND i.job_name = ?)
                ORDER BY e.job_execution_id DESC LIMIT 1""", Long.class, executionId, EtlRequest.DEFINITION,
                definition == null ? EtlRequest.ADHOC : definition, EtlJobConfiguration.JOB_NAME);
        return ids.isEmpty() ? null : ids.get(0);
    }

    /**
     * An execution's end, or null while it runs: a stop request (Spring Batch's
     * {@code JobOperator.stop}) records an end time at once, while the execution still
     * runs to its next chunk commit.
     */
    public static LocalDateTime endOf(BatchStatus status, LocalDateTime end) {
        return status.isRunning() ? null : end;
    }

    /** The run key of an execution, or null. */
    public String runKey(long executionId) {
        List<String> key = this.jdbc.queryForList("""
                SELECT parameter_value FROM batch_job_execution_params
                WHERE job_execution_id = ? AND parameter_name = ?""", String.class, executionId, EtlKey.RUN.key());
        return key.isEmpty() ? null : key.get(0);
    }

    /** The definitions the etl job has run, by name. */
    public List<String> definitions() {
        return this.jdbc.queryForList("""
                SELECT DISTINCT p.parameter_value
                FROM batch_job_execution_params p
                WHERE p.parameter_name = ? AND p.parameter_value IS NOT NULL
                ORDER BY p.parameter_value""", String.class, EtlRequest.DEFINITION);
    }

    /**
     * The durations of the last {@code runs} completed executions of each definition,
     * oldest first, for the definitions that have any; only {@code definition}'s when it
     * is given.
     */
    public Map<String, List<Point>> trends(String definition, int runs) {
        StringBuilder sql = new StringBuilder("""
                SELECT definition, job_execution_id, start_time, end_time FROM (
                    SELECT d.parameter_value AS definition, e.job_execution_id, e.start_time, e.end_time,
                           ROW_NUMBER() OVER (PARTITION BY d.parameter_value ORDER BY e.job_execution_id DESC) AS n
                    FROM batch_job_execution e
                    JOIN batch_job_instance i ON i.job_instance_id = e.job_instance_id
                    JOIN batch_job_execution_params d
                      ON d.job_execution_id = e.job_execution_id AND d.parameter_name = ?
                    WHERE i.job_name = ? AND e.status = 'COMPLETED' AND e.end_time IS NOT NULL""");
        List<Object> args = new ArrayList<>(List.of(EtlRequest.DEFINITION, EtlJobConfiguration.JOB_NAME));
        if (definition != null) {
            sql.append(" AND d.parameter_value = ?");
            args.add(definition);
        }
        sql.append(") latest WHERE n <= ? ORDER BY definition, job_execution_id");
        args.add(runs);
        Map<String, List<Point>> trends = new LinkedHashMap<>();
        this.jdbc.query(sql.toString(), (ResultSet rs) -> {
            LocalDateTime start = rs.getObject("start_time", LocalDateTime.class);
            LocalDateTime end = rs.getObject("end_time", LocalDateTime.class);
            if (start != null && end != null) {
                trends.computeIfAbsent(rs.getString("definition"), name -> new ArrayList<>())
                    .add(new Point(rs.getLong("job_execution_id"), start, Duration.between(start, end).toMillis()));
            }
        }, args.toArray());
        return trends;
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

    /** One execution as {@code list} and the dashboard's runs list show it. */
    public record Listed(long id, long instanceId, BatchStatus status, String exitCode, LocalDateTime start,
            LocalDateTime end, String definition, String runKey) {

        /** Whether the execution may still be running. */
        public boolean running() {
            return this.status.isRunning();
        }

        /** How long it ran, or has run so far; null before its start. */
        public Duration duration() {
            if (this.start == null) {
                return null;
            }
            LocalDateTime ended = endOf(this.status, this.end);
            return Duration.between(this.start, ended != null ? ended : LocalDateTime.now());
        }

    }

    /**
     * What the runs list is filtered by; every part may be null.
     *
     * @param definition runs of this definition only
     * @param status executions with this status only
     * @param from executions started on this day or later
     * @param to executions started on this day or earlier
     * @param before executions with a smaller id only (the next page)
     */
    public record Filter(String definition, BatchStatus status, LocalDate from, LocalDate to, Long before) {

        /** No filter: every execution. */
        public static final Filter NONE = new Filter(null, null, null, null, null);

    }

    /** A completed run's duration, for the trend. */
    public record Point(long execution, LocalDateTime start, long durationMs) {

    }

}
