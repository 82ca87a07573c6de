package dev.batchetl.job;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The {@code batch-etl.*} settings of the processes (README, "Configuration"), with their
 * defaults: how executions and partitions prove they are alive, and how remote
 * partitioning's manager and workers use the queue.
 *
 * @param heartbeat how often a running execution or partition renews its heartbeat
 * @param lease after how long without a heartbeat an execution or partition owned by
 * another host is taken for dead
 * @param worker the settings of {@code batch-etl worker}
 * @param remote the settings of {@code partitioning=remote}, manager and workers
 * @param dashboard the settings of {@code batch-etl dashboard}
 */
@ConfigurationProperties("batch-etl")
public record BatchEtlProperties(@DefaultValue("5s") Duration heartbeat, @DefaultValue("30s") Duration lease,
        @DefaultValue Worker worker, @DefaultValue Remote remote, @DefaultValue Dashboard dashboard) {

    /**
     * The settings of {@code batch-etl worker}.
     *
     * @param concurrency partitions one worker process runs at a time
     * @param stopTimeout how long a stopping worker waits for its partitions to reach a
     * checkpoint
     * @param requeueDelay how long a worker holds a request of another job repository
     * before it gives it back to the queue
     */
    public record Worker(@DefaultValue("1") int concurrency, @DefaultValue("10m") Duration stopTimeout,
            @DefaultValue("5s") Duration requeueDelay) {

    }

    /**
     * The settings of remote partitioning.
     *
     * @param queue the durable queue of partition requests; manager and workers must
     * agree
     * @param pollInterval how often the manager polls the job repository and checks the
     * workers' heartbeats
     */
    public record Remote(@DefaultValue("batch-etl.partitions") String queue,
            @DefaultValue("1s") Duration pollInterval) {

    }

    /**
     * The settings of {@code batch-etl dashboard}.
     *
     * @param user the name to log in with to stop and restart runs
     * @param password that user's password, plain or encoded ({@code {bcrypt}...}); none
     * by default, and then no login works
     * @param pageSize executions per page of the runs list
     * @param trendRuns completed runs per definition in the duration trend
     * @param refresh how often a running execution's page refreshes itself
     */
    public record Dashboard(@DefaultValue("operator") String user, String password, @DefaultValue("50") int pageSize,
            @DefaultValue("30") int trendRuns, @DefaultValue("2s") Duration refresh) {

        /** Whether a password is set, so that logging in (and stop, restart) works. */
        public boolean loginEnabled() {
            return this.password != null && !this.password.isBlank();
        }

    }

}
