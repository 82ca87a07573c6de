package dev.batchetl.remote;

import java.time.Duration;
import java.util.List;

import dev.batchetl.job.Heartbeat;
import dev.batchetl.job.BatchEtlProperties;
import dev.batchetl.job.ProcessIdentity;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Which worker process runs each remote partition. A worker claims a partition's step
 * execution in the database before running it, in the transaction that checks it is still
 * waiting (so a redelivered request never runs a partition twice, at once or after it
 * finished), and renews a heartbeat while it runs. The manager asks which running
 * partitions of its job execution belong to a worker that died.
 */
class PartitionOwnership implements DisposableBean {

    private final JdbcTemplate jdbc;

    private final TransactionTemplate transaction;

    private final Duration lease;

    private final Heartbeat heart;

    PartitionOwnership(JdbcTemplate jdbc, PlatformTransactionManager transactionManager,
            BatchEtlProperties properties) {
        this.jdbc = jdbc;
        this.transaction = new TransactionTemplate(transactionManager);
        this.lease = properties.lease();
        this.heart = new Heartbeat(jdbc, "etl_partition_owner", "step_execution_id", "partition step execution",
                properties.heartbeat());
    }

    /**
     * The outcome of a claim: claimed, or why not; {@code exists} is false when this job
     * repository has no such step execution at all.
     */
    record Claim(boolean claimed, boolean exists, String reason) {

        Claim(boolean claimed, String reason) {
            this(claimed, true, reason);
        }

    }

    /**
     * Claims a partition step execution for this process if it is waiting to run
     * (STARTING, never claimed) and its job execution is running. Row-locks the step
     * execution, so two workers cannot both claim it.
     */
    Claim claim(long stepExecutionId) {
        return this.transaction.execute(status -> {
            List<String[]> rows = this.jdbc.query("""
                    SELECT s.status, j.status, s.job_execution_id FROM batch_step_execution s
                    JOIN batch_job_execution j ON j.job_execution_id = s.job_execution_id
                    WHERE s.step_execution_id = ? FOR UPDATE""",
                    (rs, n) -> new String[] { rs.getString(1), rs.getString(2), rs.getString(3) }, stepExecutionId);
            if (rows.isEmpty()) {
                return new Claim(false, false, "no such step execution");
            }
            String stepStatus = rows.get(0)[0];
            String jobStatus = rows.get(0)[1];
            long jobExecutionId = Long.parseLong(rows.get(0)[2]);
            List<String> owners = this.jdbc.query(
                    "SELECT host, pid, process_start FROM etl_partition_owner WHERE step_execution_id = ?",
                    (rs, n) -> new ProcessIdentity(rs.getString(1), rs.getLong(2), rs.getString(3)).toString(),
                    stepExecutionId);
            if (!owners.isEmpty()) {
                return new Claim(false, "already claimed by " + owners.get(0) + " (" + stepStatus + ")");
            }
            if (!"STARTING".equals(stepStatus)) {
                return new Claim(false, "it is " + stepStatus);
            }
            if (!List.of("STARTING", "STARTED", "STOPPING").contains(jobStatus)) {
                return new Claim(false, "its job execution " + jobExecutionId + " is " + jobStatus);
            }
            ProcessIdentity me = ProcessIdentity.current();
            this.jdbc.update("""
                    INSERT INTO etl_partition_owner (step_execution_id, job_execution_id, host, pid, process_start,
                                                     claimed, heartbeat, lease_seconds)
                    VALUES (?, ?, ?, ?, ?, LOCALTIMESTAMP, LOCALTIMESTAMP, ?)""", stepExecutionId, jobExecutionId,
                    me.host(), me.pid(), me.start(), this.lease.toSeconds());
            this.heart.hold(stepExecutionId);
            return new Claim(true, "claimed by " + me);
        });
    }

    /**
     * Where the partitions of a job execution stand with the workers: none created yet,
     * all waiting, or one taken.
     */
    enum Pickup {

        NONE_YET, WAITING, TAKEN

    }

    /**
     * Whether a worker took a partition of a job execution whose step names start with
     * {@code stepPrefix}.
     */
    Pickup pickup(long jobExecutionId, String stepPrefix) {
        long[] counts = this.jdbc.queryForObject("""
                SELECT COUNT(*), COUNT(*) FILTER (WHERE status <> 'STARTING'),
                       (SELECT COUNT(*) FROM etl_partition_owner WHERE job_execution_id = ?)
                FROM batch_step_execution WHERE job_execution_id = ? AND step_name LIKE ?""",
                (rs, n) -> new long[] { rs.getLong(1), rs.getLong(2), rs.getLong(3) }, jobExecutionId, jobExecutionId,
                stepPrefix + "%");
        if (counts[0] == 0) {
            return Pickup.NONE_YET;
        }
        return counts[1] > 0 || counts[2] > 0 ? Pickup.TAKEN : Pickup.WAITING;
    }

    /**
     * Fails the partitions of a job execution whose step names start with
     * {@code stepPrefix} if no worker has taken any of them: all are still waiting
     * (STARTING) and none is claimed. Their rows are locked first, as a claim locks its
     * partition's, so a worker claims a partition either before (and none is failed) or
     * after (and finds it FAILED). Spring Batch's version of each is incremented, as its
     * repository does.
     * @return how many partitions were failed; 0 when a worker took one
     */
    int failIfNoneTaken(long jobExecutionId, String stepPrefix, String reason) {
        Integer failed = this.transaction.execute(status -> {
            List<String> statuses = this.jdbc.queryForList("""
                    SELECT status FROM batch_step_execution WHERE job_execution_id = ? AND step_name LIKE ?
                    ORDER BY step_execution_id FOR UPDATE""", String.class, jobExecutionId, stepPrefix + "%");
            if (statuses.stream().anyMatch(s -> !"STARTING".equals(s))) {
                return 0;
            }
            Integer owners = this.jdbc.queryForObject(
                    "SELECT COUNT(*) FROM etl_partition_owner WHERE job_execution_id = ?", Integer.class,
                    jobExecutionId);
            if (owners != null && owners > 0) {
                return 0;
            }
            return this.jdbc.update("""
                    UPDATE batch_step_execution SET status = 'FAILED', exit_code = 'FAILED', exit_message = ?,
                      start_time = COALESCE(start_time, LOCALTIMESTAMP), end_time = LOCALTIMESTAMP,
                      last_updated = LOCALTIMESTAMP, version = version + 1
                    WHERE job_execution_id = ? AND step_name LIKE ? AND status = 'STARTING'""", reason, jobExecutionId,
                    stepPrefix + "%");
        });
        return failed == null ? 0 : failed;
    }

    /** The partition ended (in whatever state): no more heartbeats for it. */
    void release(long stepExecutionId) {
        this.heart.release(stepExecutionId);
    }

    /** A running partition of a job execution whose worker is provably dead, and why. */
    record DeadOwner(long stepExecutionId, String description) {
    }

    /**
     * The partitions of a job execution still running (by the job repository) whose
     * worker is provably dead.
     */
    List<DeadOwner> deadOwners(long jobExecutionId) {
        return this.jdbc.query("""
                SELECT o.step_execution_id, o.host, o.pid, o.process_start, o.heartbeat, LOCALTIMESTAMP, o.lease_seconds
                FROM etl_partition_owner o JOIN batch_step_execution s ON s.step_execution_id = o.step_execution_id
                WHERE o.job_execution_id = ? AND s.status IN ('STARTING', 'STARTED', 'STOPPING')""", (rs, n) -> {
            ProcessIdentity owner = new ProcessIdentity(rs.getString(2), rs.getLong(3), rs.getString(4));
            Duration age = Duration.between(rs.getTimestamp(5).toLocalDateTime(), rs.getTimestamp(6).toLocalDateTime());
            String death = owner.deathReason(age, Duration.ofSeconds(rs.getInt(7)));
            return death == null ? null : new DeadOwner(rs.getLong(1), "the worker running it died (" + death + ")");
        }, jobExecutionId).stream().filter(java.util.Objects::nonNull).toList();
    }

    @Override
    public void destroy() {
        this.heart.close();
    }

}
