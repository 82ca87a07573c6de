package dev.batchetl.schedule;

import java.time.Instant;
import java.time.LocalDateTime;
import java.util.List;

import dev.batchetl.job.EtlRequest;
import dev.batchetl.job.EtlKey;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * The fires of a definition as the job repository records them, whichever node ran them:
 * job instances of the definition whose run key is a fire time.
 */
@Component
class FireHistory {

    /** The latest execution of each fire instance of a definition, latest fire first. */
    private static final String LATEST_EXECUTIONS = """
            SELECT r.parameter_value AS fire, e.job_execution_id, e.status, e.exit_code, e.start_time, e.end_time
            FROM batch_job_execution e
            JOIN batch_job_execution_params r ON r.job_execution_id = e.job_execution_id AND r.parameter_name = '%s'
            JOIN batch_job_execution_params d ON d.job_execution_id = e.job_execution_id AND d.parameter_name = '%s'
            WHERE d.parameter_value = ? AND r.parameter_value LIKE '%s'
              AND e.job_execution_id = (SELECT MAX(x.job_execution_id) FROM batch_job_execution x
                                        WHERE x.job_instance_id = e.job_instance_id)
              %%s
            ORDER BY r.parameter_value DESC
            LIMIT %%d""".formatted(EtlKey.RUN.key(), EtlRequest.DEFINITION, FireTime.LIKE);

    private final JdbcTemplate jdbc;

    FireHistory(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** The latest fire of the definition, or null if it never fired. */
    Fire latest(String definition) {
        List<Fire> fires = query(definition, "", 1);
        return fires.isEmpty() ? null : fires.get(0);
    }

    /**
     * The latest fires whose last execution did not complete (FAILED, STOPPED, UNKNOWN,
     * or still running as far as the repository knows), latest first.
     */
    List<Fire> unfinished(String definition, int limit) {
        return query(definition, "AND e.status NOT IN ('COMPLETED', 'ABANDONED')", limit);
    }

    private List<Fire> query(String definition, String condition, int limit) {
        return this.jdbc.query(LATEST_EXECUTIONS.formatted(condition, limit),
                (rs, n) -> new Fire(FireTime.parse(rs.getString(1)), rs.getLong(2), rs.getString(3), rs.getString(4),
                        rs.getObject(5, LocalDateTime.class), rs.getObject(6, LocalDateTime.class)),
                definition);
    }

    /** A fire and the latest execution of its job instance. */
    record Fire(Instant time, long executionId, String status, String exitCode, LocalDateTime started,
            LocalDateTime ended) {

        String runKey() {
            return FireTime.runKey(this.time);
        }

        boolean running() {
            return this.status.equals("STARTING") || this.status.equals("STARTED") || this.status.equals("STOPPING");
        }

    }

}
