package dev.batchetl.job;

import java.io.PrintStream;
import java.time.LocalDateTime;
import java.util.List;

import javax.sql.DataSource;

import dev.batchetl.job.CommandName;
import dev.batchetl.job.EtlJobConfiguration;
import dev.batchetl.job.EtlRequest;
import dev.batchetl.job.ExecutionOwnership;
import dev.batchetl.job.RunLock;

import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.ExitStatus;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.launch.JobExecutionNotRunningException;
import org.springframework.batch.core.launch.JobOperator;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.dao.EmptyResultDataAccessException;
import org.springframework.dao.OptimisticLockingFailureException;
import org.springframework.stereotype.Component;

/**
 * What {@code stop} and {@code recover} do to an execution in the job repository, and the
 * run lock and liveness checks that {@code run} and {@code restart} share with them.
 * Needs only the job repository and the database, not the job: the repository commands
 * run it in a context of their own (the command line's RepositoryCommands).
 */
@Component
public class ExecutionRecovery {

    private final JobOperator jobOperator;

    private final JobRepository jobRepository;

    private final ExecutionOwnership ownership;

    private final DataSource dataSource;

    ExecutionRecovery(JobOperator jobOperator, JobRepository jobRepository, ExecutionOwnership ownership,
            DataSource dataSource) {
        this.jobOperator = jobOperator;
        this.jobRepository = jobRepository;
        this.ownership = ownership;
        this.dataSource = dataSource;
    }

    /**
     * Asks the execution this process is running, if any, to stop at its next chunk
     * boundary; it ends STOPPED.
     * @return whether there was one
     */
    boolean stopCurrent(PrintStream out) {
        JobExecution execution = this.ownership.current();
        if (execution == null || !execution.isRunning()) {
            return false;
        }
        if (execution.getStatus() == BatchStatus.STOPPING) {
            return true;
        }
        out.println("stop requested: execution " + execution.getId()
                + " stops at its next chunk boundary, then it can be restarted");
        requestStop(execution);
        return true;
    }

    /**
     * The execution's liveness, judged under its instance's run lock when no other
     * process holds that lock.
     */
    ExecutionOwnership.Liveness livenessUnderLockIfFree(JobExecution execution) {
        RunLock lock = tryLock(EtlRequest.from(execution.getJobParameters()));
        if (lock == null) {
            return this.ownership.liveness(execution);
        }
        try (lock) {
            return this.ownership.liveness(execution, true);
        }
    }

    /**
     * One process at a time may start or restart an instance: Spring Batch alone lets two
     * do it at once.
     */
    RunLock lock(String name, EtlRequest request) {
        RunLock lock = tryLock(request);
        if (lock == null) {
            throw new UsageException(name + " is being started or run by another process right now");
        }
        return lock;
    }

    /** The instance's run lock, or null while another process holds it. */
    RunLock tryLock(EtlRequest request) {
        return RunLock.tryAcquire(this.dataSource,
                EtlJobConfiguration.JOB_NAME + "/" + request.definition() + "/" + request.runKey());
    }

    public ExitCode stop(long executionId, PrintStream out) {
        JobExecution execution = execution(executionId);
        if (!execution.isRunning()) {
            throw new UsageException("execution " + executionId + " is not running (" + execution.getStatus() + ")");
        }
        ExecutionOwnership.Liveness liveness = this.ownership.liveness(execution);
        if (liveness.dead()) {
            throw new UsageException(
                    "execution " + executionId + " cannot stop: its process died (" + liveness.description()
                            + "); mark it failed with: " + CommandName.get() + " recover " + executionId);
        }
        requestStop(execution);
        out.println("stop requested: execution " + executionId
                + " stops at its next chunk boundary and ends STOPPED; restart it with: " + CommandName.get()
                + " restart " + executionId);
        return ExitCode.OK;
    }

    /**
     * Asks a running execution to stop, through Spring Batch's {@code JobOperator.stop}:
     * it marks the execution STOPPING in the job repository, and the steps read that
     * status at every chunk commit and stop there, in this process or any other; the
     * execution then ends STOPPED. The operator also records an end time at once, which
     * the readers of the job repository ignore while the execution still runs. Where
     * another process updated the execution meanwhile, it is read again and asked again.
     */
    void requestStop(JobExecution execution) {
        JobExecution current = execution;
        for (int attempt = 1;; attempt++) {
            try {
                this.jobOperator.stop(current);
                return;
            }
            catch (JobExecutionNotRunningException ex) {
                // it ended, or was asked to stop, meanwhile
                return;
            }
            catch (OptimisticLockingFailureException ex) {
                if (attempt == 5) {
                    throw ex;
                }
                current = execution(execution.getId());
            }
        }
    }

    public ExitCode recover(Long executionId, PrintStream out) {
        List<JobExecution> running = executionId != null ? List.of(execution(executionId))
                : this.jobRepository.findRunningJobExecutions(EtlJobConfiguration.JOB_NAME)
                    .stream()
                    .sorted(java.util.Comparator.comparing(JobExecution::getId))
                    .toList();
        if (running.isEmpty()) {
            out.println("no running executions: nothing to recover");
            return ExitCode.OK;
        }
        for (JobExecution execution : running) {
            if (!execution.isRunning() && execution.getStatus() != BatchStatus.UNKNOWN) {
                throw new UsageException("execution " + execution.getId() + " is not running (" + execution.getStatus()
                        + "): nothing to recover");
            }
            ExecutionOwnership.Liveness liveness = livenessUnderLockIfFree(execution);
            if (!liveness.dead()) {
                if (executionId != null) {
                    throw new UsageException("execution " + execution.getId() + " is not recovered: its process may be"
                            + " alive (" + liveness.description() + "); stop it with: " + CommandName.get() + " stop "
                            + execution.getId());
                }
                out.println("execution " + execution.getId() + " left alone: " + liveness.description());
                continue;
            }
            markFailed(execution, liveness);
            out.println("execution " + execution.getId() + " marked FAILED: " + liveness.description()
                    + "; restart it with: " + CommandName.get() + " restart " + execution.getId());
        }
        return ExitCode.OK;
    }

    /**
     * Marks an execution whose process is gone FAILED, with its steps that were running,
     * recording why, so that it can be restarted: Spring Batch's JobOperator.recover for
     * an execution left running. An execution left UNKNOWN (the database failed while a
     * chunk committed, so its outcome was not known to the process) is marked the same
     * way: each chunk of this job commits its data and its checkpoint in one transaction,
     * so what the database holds is consistent whichever way that commit went, and a
     * restart resumes from it.
     */
    JobExecution markFailed(JobExecution execution, ExecutionOwnership.Liveness liveness) {
        boolean unknown = execution.getStatus() == BatchStatus.UNKNOWN;
        // an execution killed before it started (STARTING, no start time, no steps) is
        // marked here directly:
        // JobOperator.recover expects one that ran
        boolean started = execution.getStartTime() != null;
        JobExecution recovered = unknown || !started ? execution : this.jobOperator.recover(execution);
        ExitStatus why = ExitStatus.FAILED.addExitDescription(
                unknown ? "the database failed while the run recorded its progress (status UNKNOWN); recovered"
                        : "the process running it died (" + liveness.description() + "); recovered");
        for (StepExecution step : recovered.getStepExecutions()) {
            if (step.getExecutionContext().containsKey("batch.recovered") || step.getStatus().isRunning()
                    || step.getStatus() == BatchStatus.UNKNOWN) {
                step.setStatus(BatchStatus.FAILED);
                step.setExitStatus(why);
                this.jobRepository.update(step);
            }
        }
        recovered.setStatus(BatchStatus.FAILED);
        recovered.setExitStatus(why);
        if (recovered.getEndTime() == null) {
            recovered.setEndTime(LocalDateTime.now());
        }
        this.jobRepository.update(recovered);
        return recovered;
    }

    JobExecution execution(long executionId) {
        JobExecution execution;
        try {
            execution = this.jobRepository.getJobExecution(executionId);
        }
        catch (EmptyResultDataAccessException ex) {
            execution = null;
        }
        if (execution == null) {
            throw new UsageException("no job execution with id " + executionId);
        }
        return execution;
    }

}
