package dev.batchetl.remote;

import java.time.Duration;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import dev.batchetl.job.BatchEtlProperties;
import dev.batchetl.job.CommandName;
import dev.batchetl.job.EtlKey;
import dev.batchetl.job.Messages;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.amqp.core.AmqpAdmin;
import org.springframework.amqp.core.Queue;
import org.springframework.amqp.core.QueueInformation;
import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.ExitStatus;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.partition.PartitionHandler;
import org.springframework.batch.core.partition.StepExecutionSplitter;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.batch.integration.partition.MessageChannelPartitionHandler;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.dao.OptimisticLockingFailureException;
import org.springframework.integration.core.MessagingTemplate;
import org.springframework.messaging.MessageChannel;

/**
 * The manager side of remote partitioning. Partition requests go out through Spring Batch
 * Integration's {@link MessageChannelPartitionHandler}, which then follows the partitions
 * by polling the job repository (not the aggregating reply mode). Alongside, a monitor
 * fails every partition left running by a worker that died, so that the step ends; the
 * step then fails with the reasons of its failed partitions, and a restart runs only
 * those. The monitor also fails the step when no worker has taken any of its partitions
 * within {@code partition-pickup-timeout} (no worker runs on the queue, or only workers
 * of another job repository do), instead of waiting the whole {@code partition-timeout}
 * for nothing.
 */
public class RemotePartitioning {

    private static final Logger log = LoggerFactory.getLogger(RemotePartitioning.class);

    private final MessageChannel requests;

    private final JobRepository jobRepository;

    private final PartitionOwnership ownership;

    private final Duration pollInterval;

    private final String queue;

    private final ObjectProvider<AmqpAdmin> admin;

    RemotePartitioning(@Qualifier("partitionRequests") MessageChannel requests, JobRepository jobRepository,
            PartitionOwnership ownership, BatchEtlProperties properties, @Qualifier("partitionQueue") Queue queue,
            ObjectProvider<AmqpAdmin> admin) {
        this.requests = requests;
        this.jobRepository = jobRepository;
        this.ownership = ownership;
        this.pollInterval = properties.remote().pollInterval();
        this.queue = queue.getName();
        this.admin = admin;
    }

    /**
     * A partition handler that sends one request per partition of {@code workerStepName}
     * to the workers and waits at most {@code timeout} for all of them to finish, and at
     * most {@code pickupTimeout} for a worker to take the first.
     */
    public PartitionHandler partitionHandler(String workerStepName, int gridSize, Duration timeout,
            Duration pickupTimeout) {
        MessagingTemplate template = new MessagingTemplate();
        template.setDefaultChannel(this.requests);
        MessageChannelPartitionHandler delegate = new MessageChannelPartitionHandler();
        delegate.setStepName(workerStepName);
        delegate.setMessagingOperations(template);
        delegate.setJobRepository(this.jobRepository);
        delegate.setPollInterval(this.pollInterval.toMillis());
        delegate.setTimeout(timeout.toMillis());
        delegate.setGridSize(gridSize);
        try {
            delegate.afterPropertiesSet();
        }
        catch (Exception ex) {
            throw new IllegalStateException(ex);
        }
        return new Monitored(delegate, workerStepName, timeout, pickupTimeout);
    }

    private final class Monitored implements PartitionHandler {

        private final MessageChannelPartitionHandler delegate;

        private final String workerStepName;

        private final Duration timeout;

        private final Duration pickupTimeout;

        /**
         * Whether a worker took a partition of this step; then the pickup timeout is
         * over.
         */
        private volatile boolean taken;

        /**
         * When the monitor first saw the partitions created (their requests are sent
         * right after), or 0.
         */
        private volatile long sent;

        /** Whether the pickup timeout failed the partitions. */
        private volatile boolean notTaken;

        Monitored(MessageChannelPartitionHandler delegate, String workerStepName, Duration timeout,
                Duration pickupTimeout) {
            this.delegate = delegate;
            this.workerStepName = workerStepName;
            this.timeout = timeout;
            this.pickupTimeout = pickupTimeout;
        }

        @Override
        public Collection<StepExecution> handle(StepExecutionSplitter splitter, StepExecution managerStepExecution)
                throws Exception {
            long jobExecutionId = managerStepExecution.getJobExecutionId();
            ScheduledExecutorService monitor = Executors.newSingleThreadScheduledExecutor(runnable -> {
                Thread thread = new Thread(runnable, "partition-monitor-" + jobExecutionId);
                thread.setDaemon(true);
                return thread;
            });
            monitor.scheduleWithFixedDelay(() -> {
                failDeadOwners(jobExecutionId);
                failIfNotTaken(jobExecutionId);
            }, pollInterval.toMillis(), pollInterval.toMillis(), TimeUnit.MILLISECONDS);
            Collection<StepExecution> finished;
            try {
                finished = this.delegate.handle(splitter, managerStepExecution);
            }
            catch (TimeoutException ex) {
                int failed = failUnfinished(jobExecutionId, "not finished within partition-timeout="
                        + this.timeout.toSeconds() + "s (no worker took it, or it ran longer)");
                throw new RemotePartitionException(failed + " partition(s) did not finish within partition-timeout="
                        + this.timeout.toSeconds() + "s: are workers running (" + CommandName.get()
                        + " worker) on the same queue? " + "Restart the run to run them again");
            }
            catch (Exception ex) {
                // the manager cannot follow its partitions (e.g. the database failed):
                // leave none running, so that a
                // restart can send them again
                try {
                    failUnfinished(jobExecutionId, "the manager stopped following it: " + ex.getMessage());
                }
                catch (RuntimeException cleanup) {
                    ex.addSuppressed(cleanup);
                }
                throw ex;
            }
            finally {
                monitor.shutdownNow();
            }
            if (this.notTaken) {
                // kept short: the run's summary shows the first 300 characters
                throw new RemotePartitionException("no worker took the partitions from queue " + queue + " within "
                        + EtlKey.PARTITION_PICKUP_TIMEOUT.key() + "=" + pickupTimeoutText() + consumers()
                        + "; restart the run once workers of its job repository run");
            }
            List<String> failures = new ArrayList<>();
            for (StepExecution execution : finished) {
                if (execution.getStatus() == BatchStatus.FAILED) {
                    failures.add(partitionName(execution) + ": "
                            + Messages.firstLine(execution.getExitStatus().getExitDescription(), "failed"));
                }
            }
            if (!failures.isEmpty()) {
                failures.sort(null);
                throw new RemotePartitionException(
                        failures.size() + " partition(s) failed: " + String.join("; ", failures)
                                + ". A restart runs them again, from their checkpoints; completed partitions are kept");
            }
            return finished;
        }

        private String partitionName(StepExecution execution) {
            String name = execution.getStepName();
            return name.startsWith(this.workerStepName + ":") ? name.substring(this.workerStepName.length() + 1) : name;
        }

        private void failDeadOwners(long jobExecutionId) {
            try {
                for (PartitionOwnership.DeadOwner dead : ownership.deadOwners(jobExecutionId)) {
                    StepExecution execution = jobRepository.getStepExecution(dead.stepExecutionId());
                    if (execution != null && execution.getStatus().isRunning()) {
                        markFailed(execution, dead.description());
                        log.warn("partition {} failed: {}", partitionName(execution), dead.description());
                    }
                }
            }
            catch (OptimisticLockingFailureException ex) {
                // the partition moved on meanwhile: judged again at the next poll
            }
            catch (RuntimeException ex) {
                log.warn("could not check the workers of execution {}: {}", jobExecutionId, ex.getMessage());
            }
        }

        /**
         * Once the pickup timeout has passed since the partitions were sent with none
         * taken, fails them all (in one transaction that a worker's claim cannot
         * interleave with); the delegate then sees them ended and returns. The time
         * counts from their creation, not from the start of the step, since splitting
         * large files takes a while.
         */
        private void failIfNotTaken(long jobExecutionId) {
            if (this.taken || this.notTaken) {
                return;
            }
            try {
                PartitionOwnership.Pickup pickup = ownership.pickup(jobExecutionId, this.workerStepName + ":");
                if (pickup == PartitionOwnership.Pickup.TAKEN) {
                    this.taken = true;
                    return;
                }
                if (pickup == PartitionOwnership.Pickup.NONE_YET) {
                    return;
                }
                long now = System.nanoTime();
                if (this.sent == 0) {
                    this.sent = now;
                }
                if (Duration.ofNanos(now - this.sent).compareTo(this.pickupTimeout) < 0) {
                    return;
                }
                int failed = ownership.failIfNoneTaken(jobExecutionId, this.workerStepName + ":",
                        "no worker took it" + " from queue " + queue + " within "
                                + EtlKey.PARTITION_PICKUP_TIMEOUT.key() + "=" + pickupTimeoutText());
                if (failed > 0) {
                    this.notTaken = true;
                    log.warn("no worker took the {} partition(s) from queue {} within {}={}", failed, queue,
                            EtlKey.PARTITION_PICKUP_TIMEOUT.key(), pickupTimeoutText());
                }
                else {
                    this.taken = true;
                }
            }
            catch (RuntimeException ex) {
                log.warn("could not check whether a worker took the partitions of execution {}: {}", jobExecutionId,
                        ex.getMessage());
            }
        }

        private String pickupTimeoutText() {
            return EtlKey.PARTITION_PICKUP_TIMEOUT.display(this.pickupTimeout.toMillis() + "ms");
        }

        /**
         * What RabbitMQ says of the queue's consumers, as a parenthesis, or nothing if it
         * cannot be asked.
         */
        private String consumers() {
            try {
                AmqpAdmin rabbit = admin.getIfAvailable();
                QueueInformation info = rabbit == null ? null : rabbit.getQueueInfo(queue);
                if (info == null) {
                    return "";
                }
                int count = info.getConsumerCount();
                return count == 0 ? " (no consumer on it)"
                        : " (" + count + " consumer(s) on it: busy, or on another job repository)";
            }
            catch (RuntimeException ex) {
                return "";
            }
        }

        private int failUnfinished(long jobExecutionId, String reason) {
            JobExecution jobExecution = jobRepository.getJobExecution(jobExecutionId);
            int failed = 0;
            for (StepExecution execution : jobExecution.getStepExecutions()) {
                if (execution.getStepName().startsWith(this.workerStepName + ":")
                        && execution.getStatus().isRunning()) {
                    try {
                        markFailed(execution, reason);
                        failed++;
                    }
                    catch (OptimisticLockingFailureException ex) {
                        log.warn("partition {} changed while being failed: {}", partitionName(execution),
                                ex.getMessage());
                    }
                }
            }
            return failed;
        }

    }

    /**
     * Marks a partition FAILED in the job repository. A worker that is in fact still
     * running it then fails at its next checkpoint, whose update no longer matches the
     * stored version.
     */
    private void markFailed(StepExecution execution, String reason) {
        execution.setStatus(BatchStatus.FAILED);
        execution.setExitStatus(ExitStatus.FAILED.addExitDescription(reason));
        if (execution.getStartTime() == null) {
            execution.setStartTime(LocalDateTime.now());
        }
        execution.setEndTime(LocalDateTime.now());
        this.jobRepository.update(execution);
    }

    /** The remote partitions did not all complete. */
    static final class RemotePartitionException extends RuntimeException {

        RemotePartitionException(String message) {
            super(message);
        }

    }

}
