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

import dev.batchetl.job.CommandName;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.ExitStatus;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.partition.PartitionHandler;
import org.springframework.batch.core.partition.StepExecutionSplitter;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.batch.integration.partition.MessageChannelPartitionHandler;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.dao.OptimisticLockingFailureException;
import org.springframework.integration.core.MessagingTemplate;
import org.springframework.messaging.MessageChannel;
import org.springframework.stereotype.Component;

/**
 * The manager side of remote partitioning. Partition requests go out through Spring Batch Integration's
 * {@link MessageChannelPartitionHandler}, which then follows the partitions by polling the job repository (not the
 * aggregating reply mode). Alongside, a monitor fails every partition left running by a worker that died, so that
 * the step ends; the step then fails with the reasons of its failed partitions, and a restart runs only those.
 */
@Component
public class RemotePartitioning {

	private static final Logger log = LoggerFactory.getLogger(RemotePartitioning.class);

	private final MessageChannel requests;

	private final JobRepository jobRepository;

	private final PartitionOwnership ownership;

	private final Duration pollInterval;

	RemotePartitioning(@Qualifier("partitionRequests") MessageChannel requests, JobRepository jobRepository,
			PartitionOwnership ownership, @Value("${batch-etl.remote.poll-interval:1s}") Duration pollInterval) {
		this.requests = requests;
		this.jobRepository = jobRepository;
		this.ownership = ownership;
		this.pollInterval = pollInterval;
	}

	/**
	 * A partition handler that sends one request per partition of {@code workerStepName} to the workers and waits at
	 * most {@code timeout} for all of them to finish.
	 */
	public PartitionHandler partitionHandler(String workerStepName, int gridSize, Duration timeout) {
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
		return new Monitored(delegate, workerStepName, timeout);
	}

	private final class Monitored implements PartitionHandler {

		private final MessageChannelPartitionHandler delegate;

		private final String workerStepName;

		private final Duration timeout;

		Monitored(MessageChannelPartitionHandler delegate, String workerStepName, Duration timeout) {
			this.delegate = delegate;
			this.workerStepName = workerStepName;
			this.timeout = timeout;
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
			monitor.scheduleWithFixedDelay(() -> failDeadOwners(jobExecutionId), pollInterval.toMillis(),
					pollInterval.toMillis(), TimeUnit.MILLISECONDS);
			Collection<StepExecution> finished;
			try {
				finished = this.delegate.handle(splitter, managerStepExecution);
			}
			catch (TimeoutException ex) {
				int failed = failUnfinished(jobExecutionId, "not finished within partition-timeout="
						+ this.timeout.toSeconds() + "s (no worker took it, or it ran longer)");
				throw new RemotePartitionException(failed + " partition(s) did not finish within partition-timeout="
						+ this.timeout.toSeconds() + "s: are workers running (" + CommandName.get() + " worker) on the same queue? "
						+ "Restart the run to run them again");
			}
			catch (Exception ex) {
				// the manager cannot follow its partitions (e.g. the database failed): leave none running, so that a
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
			List<String> failures = new ArrayList<>();
			for (StepExecution execution : finished) {
				if (execution.getStatus() == BatchStatus.FAILED) {
					failures.add(partitionName(execution) + ": " + firstLine(execution.getExitStatus().getExitDescription()));
				}
			}
			if (!failures.isEmpty()) {
				failures.sort(null);
				throw new RemotePartitionException(failures.size() + " partition(s) failed: " + String.join("; ", failures)
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

		private int failUnfinished(long jobExecutionId, String reason) {
			JobExecution jobExecution = jobRepository.getJobExecution(jobExecutionId);
			int failed = 0;
			for (StepExecution execution : jobExecution.getStepExecutions()) {
				if (execution.getStepName().startsWith(this.workerStepName + ":") && execution.getStatus().isRunning()) {
					try {
						markFailed(execution, reason);
						failed++;
					}
					catch (OptimisticLockingFailureException ex) {
						log.warn("partition {} changed while being failed: {}", partitionName(execution), ex.getMessage());
					}
				}
			}
			return failed;
		}

	}

	/**
	 * Marks a partition FAILED in the job repository. A worker that is in fact still running it then fails at its next
	 * checkpoint, whose update no longer matches the stored version.
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

	private static String firstLine(String text) {
		if (text == null || text.isBlank()) {
			return "failed";
		}
		String line = text.strip().lines().findFirst().orElse("failed");
		return line.length() > 300 ? line.substring(0, 300) + "..." : line;
	}

	/** The remote partitions did not all complete. */
	static final class RemotePartitionException extends RuntimeException {

		RemotePartitionException(String message) {
			super(message);
		}

	}

}
