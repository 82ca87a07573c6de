package dev.batchetl.job;

import java.time.Duration;
import java.time.LocalDateTime;
import java.util.List;
import java.util.Optional;

import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.listener.JobExecutionListener;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Records which process runs each job execution and keeps a heartbeat for it, so that an
 * execution left STARTED by a process that died (kill -9, power loss, out of memory) is
 * recognised as dead: on the same host because its process is gone, on another host
 * because its lease ran out. Also remembers the execution this process is running, for a
 * graceful stop on a signal.
 */
@Component
// the one component of every context (job, repository and schedule commands): the
// settings come with it
@EnableConfigurationProperties(BatchEtlProperties.class)
public class ExecutionOwnership implements JobExecutionListener {

    private final JdbcTemplate jdbc;

    private final Duration lease;

    private volatile JobExecution current;

    private volatile Long lastStarted;

    private final Heartbeat heart;

    ExecutionOwnership(JdbcTemplate jdbc, BatchEtlProperties properties) {
        this.jdbc = jdbc;
        this.lease = properties.lease();
        this.heart = new Heartbeat(jdbc, "etl_execution_owner", "job_execution_id", "execution",
                properties.heartbeat());
    }

    /** The execution this process is running, or null. */
    public JobExecution current() {
        return this.current;
    }

    /** The id of the execution this process started last, or null. */
    public Long lastStarted() {
        return this.lastStarted;
    }

    @Override
    public synchronized void beforeJob(JobExecution execution) {
        ProcessIdentity me = ProcessIdentity.current();
        this.jdbc.update("DELETE FROM etl_execution_owner WHERE job_execution_id = ?", execution.getId());
        this.jdbc.update("""
                INSERT INTO etl_execution_owner (job_execution_id, host, pid, process_start, heartbeat, lease_seconds)
                VALUES (?, ?, ?, ?, LOCALTIMESTAMP, ?)""", execution.getId(), me.host(), me.pid(), me.start(),
                this.lease.toSeconds());
        this.current = execution;
        this.lastStarted = execution.getId();
        this.heart.hold(execution.getId());
    }

    @Override
    public synchronized void afterJob(JobExecution execution) {
        this.heart.release(execution.getId());
        this.heart.close();
        this.current = null;
    }

    /**
     * Whether the process that runs an execution the job repository shows as running is
     * provably dead.
     * @param execution an execution whose status is running (STARTING, STARTED or
     * STOPPING)
     */
    public Liveness liveness(JobExecution execution) {
        return liveness(execution, false);
    }

    /**
     * As {@link #liveness(JobExecution)}, by a caller that holds the instance's run lock
     * ({@code underRunLock}): an execution is created and its owner recorded by a process
     * that holds that lock the whole time, so one without an owner whose lock could be
     * taken was left by a process that ended in between, and is dead at once.
     */
    public Liveness liveness(JobExecution execution, boolean underRunLock) {
        List<Liveness> owners = this.jdbc.query("""
                SELECT host, pid, process_start, heartbeat, LOCALTIMESTAMP AS now, lease_seconds
                FROM etl_execution_owner WHERE job_execution_id = ?""", (rs, n) -> {
            ProcessIdentity owner = new ProcessIdentity(rs.getString(1), rs.getLong(2), rs.getString(3));
            Duration age = Duration.between(rs.getTimestamp(4).toLocalDateTime(), rs.getTimestamp(5).toLocalDateTime());
            String death = owner.deathReason(age, Duration.ofSeconds(rs.getInt(6)));
            if (death != null) {
                return new Liveness(true, death);
            }
            return new Liveness(false, owner + " is alive (heartbeat " + Math.max(0, age.toSeconds()) + "s ago)");
        }, execution.getId());
        if (!owners.isEmpty()) {
            return owners.get(0);
        }
        if (underRunLock) {
            return new Liveness(true, "no process recorded itself as its owner, and none holds its run lock");
        }
        // Created but never started by a process of ours, e.g. killed between the two:
        // judge by its last update.
        LocalDateTime updated = execution.getLastUpdated() != null ? execution.getLastUpdated()
                : execution.getCreateTime();
        Duration age = Duration.between(updated, LocalDateTime.now());
        return age.compareTo(this.lease) > 0
                ? new Liveness(true, "no process has claimed it for " + age.toSeconds() + "s")
                : new Liveness(false, "it was created " + age.toSeconds() + "s ago and may be starting");
    }

    /** The process recorded as the owner of an execution, if one recorded itself. */
    public Optional<ProcessIdentity> owner(long executionId) {
        return this.jdbc
            .query("SELECT host, pid, process_start FROM etl_execution_owner WHERE job_execution_id = ?",
                    (rs, n) -> new ProcessIdentity(rs.getString(1), rs.getLong(2), rs.getString(3)), executionId)
            .stream()
            .findFirst();
    }

    /**
     * Whether the owner of a running execution is provably dead, and why (or why not).
     */
    public record Liveness(boolean dead, String description) {
    }

}
