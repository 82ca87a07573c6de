package dev.batchetl.job;

import java.io.PrintStream;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

import javax.sql.DataSource;

import dev.batchetl.storage.StorageFaults;
import dev.batchetl.storage.DatabasePlatform;

import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.ExitStatus;
import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.JobInstance;
import org.springframework.batch.core.launch.JobOperator;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.dao.DataAccessException;
import org.springframework.dao.EmptyResultDataAccessException;
import org.springframework.dao.OptimisticLockingFailureException;
import org.springframework.stereotype.Component;
import org.springframework.transaction.TransactionException;

/**
 * Runs the job: starts, restarts, retries and waits for an execution of the job bean,
 * under the run lock and with dead-owner recovery ({@link ExecutionRecovery}); COMPLETED
 * is a no-op, FAILED or STOPPED is continued. The command line's {@code run},
 * {@code restart} and {@code retry} and the scheduler's fires all go through here.
 */
@Component
public class EtlRunner {

    private final JobOperator jobOperator;

    private final JobRepository jobRepository;

    private final Job etlJob;

    private final ExecutionRecovery control;

    private final ExecutionOwnership ownership;

    private final DataSource dataSource;

    private final String databaseUrl;

    private final ObjectProvider<AfterRun> afterRuns;

    EtlRunner(JobOperator jobOperator, JobRepository jobRepository, Job etlJob, ExecutionRecovery control,
            ExecutionOwnership ownership, DataSource dataSource,
            @org.springframework.beans.factory.annotation.Value("${spring.datasource.url:}") String databaseUrl,
            ObjectProvider<AfterRun> afterRuns) {
        this.databaseUrl = databaseUrl;
        this.afterRuns = afterRuns;
        this.jobOperator = jobOperator;
        this.jobRepository = jobRepository;
        this.etlJob = etlJob;
        this.control = control;
        this.ownership = ownership;
        this.dataSource = dataSource;
    }

    /**
     * Asks the execution this process is running, if any, to stop at its next chunk
     * boundary; it ends STOPPED.
     * @return whether there was one
     */
    public boolean stopCurrent(PrintStream out) {
        return this.control.stopCurrent(out);
    }

    /**
     * {@code run}: starts the instance of {@code request}, or continues it when it exists
     * (see {@link #runInstance}); {@code given} are the keys given on the command line.
     */
    public ExitCode run(EtlRequest request, boolean runKeyGiven, java.util.Set<String> given, PrintStream out) {
        if (!runKeyGiven) {
            out.println("run key: " + request.runKey() + " (run again with run=" + request.runKey()
                    + " to restart this run)");
        }
        return runInstance(request, given, out, true);
    }

    /**
     * Runs the instance of {@code request} as {@code run} does, for a scheduler: a new
     * instance is started, a FAILED or STOPPED one continued, a COMPLETED one left alone
     * (exit 0); a run still going elsewhere is a {@link UsageException}. The caller
     * handles signals.
     */
    public ExitCode continueRun(EtlRequest request, PrintStream out) {
        return runInstance(request, null, out, false);
    }

    /**
     * Starts the instance of {@code request} only if it does not exist yet: a scheduled
     * fire that another node started (or finished, or failed) is never run again here.
     * Empty when nothing was run, with a line saying why. The caller handles signals.
     */
    public Optional<ExitCode> runIfNew(EtlRequest request, PrintStream out) {
        String name = request.name();
        RunLock lock = this.control.tryLock(request);
        if (lock == null) {
            out.println(name + " is being started or run by another process: left to it");
            return Optional.empty();
        }
        try (lock) {
            JobInstance instance = this.jobRepository.getJobInstance(EtlJobConfiguration.JOB_NAME, request.identity());
            if (instance != null) {
                JobExecution last = this.jobRepository.getLastJobExecution(instance);
                out.println(name + " was already run (execution "
                        + (last == null ? "?" : last.getId() + ", " + last.getStatus()) + "): not run again");
                return Optional.empty();
            }
            out.println("starting " + name);
            return Optional.of(launch(request, out, false));
        }
    }

    /**
     * Starts or continues the instance of {@code request}. When it continues one, the
     * tuning keys not in {@code given} (null: all are given) keep the values the run was
     * started with, not the defaults: a run started with {@code rate-limit=5MB} is not
     * restarted at full speed because the restart left the key out.
     */
    private ExitCode runInstance(EtlRequest request, java.util.Set<String> given, PrintStream out,
            boolean handleSignals) {
        String name = request.name();
        try (RunLock lock = this.control.lock(name, request)) {
            JobInstance instance = this.jobRepository.getJobInstance(EtlJobConfiguration.JOB_NAME, request.identity());
            if (instance == null) {
                out.println("starting " + name);
                return launch(request, out, handleSignals);
            }
            JobExecution last = Objects.requireNonNull(this.jobRepository.getLastJobExecution(instance));
            EtlRequest continued = given == null ? request
                    : request.keepingTuning(EtlRequest.from(last.getJobParameters()), given);
            return resume(name, last, continued, out, handleSignals);
        }
    }

    /** {@code restart}: continues the run of an execution from its checkpoint. */
    public ExitCode restart(long executionId, PrintStream out) {
        JobExecution execution = this.control.execution(executionId);
        EtlRequest stored = EtlRequest.from(execution.getJobParameters());
        String name = stored.name();
        try (RunLock lock = this.control.lock(name, stored)) {
            JobExecution last = Objects
                .requireNonNull(this.jobRepository.getLastJobExecution(execution.getJobInstance()));
            if (last.getId() != executionId) {
                out.println(
                        "execution " + executionId + " is not the latest of its run; the latest is " + last.getId());
            }
            return resume(name, last, EtlRequest.from(last.getJobParameters()), out, true);
        }
    }

    /**
     * Runs what failed in a run that completed with failures, as a new run linked to it
     * ({@code KEY.retry1}, with {@code retry-of}): its fetch plan takes the sources
     * fetched there whose files are still as they were, its statistics take the files
     * read there that have not changed since, and only the rest is fetched and read.
     */
    public ExitCode retry(long executionId, PrintStream out) {
        JobExecution execution = this.control.execution(executionId);
        JobExecution last = Objects.requireNonNull(this.jobRepository.getLastJobExecution(execution.getJobInstance()));
        EtlRequest stored = EtlRequest.from(last.getJobParameters());
        if (last.getId() != executionId) {
            out.println(
                    "execution " + executionId + " is not the latest of its run; retrying the latest, " + last.getId());
        }
        if (last.getStatus() != BatchStatus.COMPLETED) {
            throw new UsageException("execution " + last.getId() + " is " + last.getStatus() + ", not completed: "
                    + (last.getStatus().isRunning()
                            ? "wait for it, or stop it with: " + CommandName.get() + " stop " + last.getId()
                            : "continue it from its checkpoint with: " + CommandName.get() + " restart "
                                    + last.getId()));
        }
        if (exitCode(last) != ExitCode.COMPLETED_WITH_FAILURES) {
            out.println(
                    stored.name() + " completed without failures (execution " + last.getId() + "): nothing to retry");
            return ExitCode.OK;
        }
        EtlRequest retry;
        try {
            retry = stored.retrying(last.getId());
        }
        catch (IllegalArgumentException ex) {
            throw new UsageException("cannot name the retry of " + stored.name() + ": " + ex.getMessage());
        }
        out.println(
                "retrying what failed in execution " + last.getId() + " (" + last.getExitStatus().getExitDescription()
                        + ") as " + retry.name() + "; what succeeded there is reused");
        return runInstance(retry, null, out, true);
    }

    /**
     * Checks the {@code retry-of} of a request: an existing execution, the latest of its
     * run, completed, with the same keys (those that only tune a run aside), so that what
     * it fetched and read is what this run would.
     */
    private void checkRetryOf(EtlRequest request) {
        String retryOf = request.get(EtlKey.RETRY_OF);
        if (retryOf == null) {
            return;
        }
        JobExecution execution;
        try {
            execution = this.control.execution(Long.parseLong(retryOf));
        }
        catch (UsageException ex) {
            throw new UsageException("retry-of: " + ex.getMessage());
        }
        JobExecution last = Objects.requireNonNull(this.jobRepository.getLastJobExecution(execution.getJobInstance()));
        if (last.getId() != execution.getId()) {
            throw new UsageException(
                    "retry-of: execution " + retryOf + " is not the latest of its run; use " + last.getId());
        }
        if (execution.getStatus() != BatchStatus.COMPLETED) {
            throw new UsageException("retry-of: execution " + retryOf + " is " + execution.getStatus()
                    + ", not completed; continue it with: " + CommandName.get() + " restart " + retryOf);
        }
        EtlRequest earlier = EtlRequest.from(execution.getJobParameters());
        List<String> differing = new ArrayList<>();
        for (EtlKey key : EtlKey.values()) {
            if (key.tuning() || key == EtlKey.RUN || key == EtlKey.RETRY_OF) {
                continue;
            }
            if (!Objects.equals(request.get(key), earlier.get(key))) {
                differing.add(key.key() + "=" + request.get(key) + " (was " + earlier.get(key) + ")");
            }
        }
        if (!differing.isEmpty()) {
            throw new UsageException("retry-of: execution " + retryOf + " ran with other keys, so what it fetched and"
                    + " read cannot be reused: " + String.join(", ", differing));
        }
    }

    /**
     * Whether the job repository is a database server other processes can reach, not the
     * embedded default.
     */
    private boolean sharedDatabase() {
        try (Connection connection = this.dataSource.getConnection()) {
            return DatabasePlatform.of(connection) != DatabasePlatform.H2;
        }
        catch (SQLException ex) {
            throw new IllegalStateException("cannot read the database's name: " + ex.getMessage(), ex);
        }
    }

    /** Continues the instance whose latest execution is {@code last}, or says why not. */
    private ExitCode resume(String name, JobExecution last, EtlRequest request, PrintStream out,
            boolean handleSignals) {
        BatchStatus status = last.getStatus();
        if (status.isRunning() || status == BatchStatus.UNKNOWN) {
            // called under the instance's run lock (runInstance, restart)
            ExecutionOwnership.Liveness liveness = this.ownership.liveness(last, true);
            if (!liveness.dead()) {
                throw new UsageException(
                        name + " is still running as execution " + last.getId() + ": " + liveness.description());
            }
            out.println("execution " + last.getId() + " was left " + status + " by a process that "
                    + (status == BatchStatus.UNKNOWN ? "ended" : "died") + " (" + liveness.description()
                    + "): marking it FAILED");
            last = this.control.markFailed(last, liveness);
            status = last.getStatus();
        }
        if (status == BatchStatus.COMPLETED) {
            ExitCode code = exitCode(last);
            if (code == ExitCode.COMPLETED_WITH_FAILURES) {
                // not 0: what failed then is still failed, and a scheduler that re-runs
                // the fire must not see it done
                out.println(name + " already completed with failures (execution " + last.getId() + "): "
                        + last.getExitStatus().getExitDescription() + "; " + CommandName.get() + " show " + last.getId()
                        + " lists them");
                out.println("to fetch and read again only what failed, reusing the rest: " + CommandName.get()
                        + " retry " + last.getId());
                return code;
            }
            out.println(name + " already completed (execution " + last.getId() + ", exit " + code.code()
                    + "): nothing to do");
            return ExitCode.OK;
        }
        if (status == BatchStatus.ABANDONED) {
            throw new UsageException(name + " cannot be restarted: execution " + last.getId() + " is " + status);
        }
        EtlRequest stored = EtlRequest.from(last.getJobParameters());
        List<String> changed = new ArrayList<>();
        for (Map.Entry<String, String> entry : request.keys().entrySet()) {
            String before = stored.keys().get(entry.getKey());
            boolean tuning = EtlKey.of(entry.getKey()).map(EtlKey::tuning).orElse(false);
            if (!tuning && !entry.getValue().equals(before)) {
                changed.add(entry.getKey() + "=" + entry.getValue() + " (was " + before + ")");
            }
        }
        if (!changed.isEmpty()) {
            throw new UsageException(name + " was started with other keys, so it cannot be restarted with "
                    + String.join(", ", changed) + "; use a new run key");
        }
        out.println("restarting " + name + " from the checkpoint of execution " + last.getId() + " (" + status + ")");
        return launch(request, out, handleSignals);
    }

    private ExitCode launch(EtlRequest request, PrintStream out, boolean handleSignals) {
        checkRetryOf(request);
        if ("remote".equals(request.get(EtlKey.PARTITIONING)) && !sharedDatabase()) {
            throw new UsageException("partitioning=remote needs a job repository every worker reaches (PostgreSQL,"
                    + " see README, Scale-out); the embedded default database belongs to this process");
        }
        if (!handleSignals) {
            return runJob(request, out);
        }
        try (GracefulStop stop = new GracefulStop(this.control::requestStop, this.ownership::current, out)) {
            ExitCode code = ExitCode.FAILED;
            try {
                code = runJob(request, out);
            }
            finally {
                stop.finished(code);
            }
            return code;
        }
    }

    /**
     * Starts the job. PostgreSQL may refuse to serialize the creation of the job instance
     * when another process creates one at the same moment (SQLSTATE 40001, e.g. two
     * schedulers at one fire time): that transaction was rolled back whole, so the start
     * is tried again, a few times.
     */
    private JobExecution start(EtlRequest request)
            throws org.springframework.batch.core.launch.JobExecutionAlreadyRunningException,
            org.springframework.batch.core.launch.JobRestartException,
            org.springframework.batch.core.launch.JobInstanceAlreadyCompleteException,
            org.springframework.batch.core.job.parameters.InvalidJobParametersException {
        for (int attempt = 1;; attempt++) {
            try {
                return this.jobOperator.start(this.etlJob, request.toJobParameters());
            }
            catch (DataAccessException ex) {
                java.sql.SQLException sql = StorageFaults.sqlCause(ex);
                if (attempt >= 5 || sql == null || !"40001".equals(sql.getSQLState())) {
                    throw ex;
                }
                try {
                    Thread.sleep(20L * attempt);
                }
                catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    throw ex;
                }
            }
        }
    }

    private ExitCode runJob(EtlRequest request, PrintStream out) {
        this.afterRuns.orderedStream().forEach(after -> {
            try {
                after.starting(EtlParameters.from(request.keys()));
            }
            catch (RuntimeException | LinkageError ex) {
                out.println("before the run: " + Messages.oneLine(ex));
            }
        });
        JobExecution execution;
        try {
            execution = start(request);
        }
        catch (org.springframework.batch.core.launch.JobExecutionAlreadyRunningException ex) {
            throw new UsageException("this run is already running: " + ex.getMessage());
        }
        catch (org.springframework.batch.core.launch.JobInstanceAlreadyCompleteException ex) {
            out.println("this run already completed: nothing to do");
            return ExitCode.OK;
        }
        catch (org.springframework.batch.core.job.parameters.InvalidJobParametersException
                | org.springframework.batch.core.launch.JobRestartException ex) {
            throw new UsageException(ex.getMessage());
        }
        catch (DataAccessException | TransactionException ex) {
            // the database went away while the job recorded its progress: what it
            // committed stays valid
            Long id = this.ownership.lastStarted();
            String continuation = id == null ? CommandName.get() + " run ... run=" + request.runKey()
                    : CommandName.get() + " restart " + id;
            if (StorageFaults.isConnectionLoss(ex)) {
                out.println("lost the connection to the job repository at " + StorageFaults.location(this.databaseUrl)
                        + "; continue with: " + continuation);
            }
            else {
                out.println("the database failed during the run: " + Messages.oneLine(Messages.rootCause(ex))
                        + "; once it is back, continue with: " + continuation);
            }
            return ExitCode.FAILED;
        }
        String lostIn = connectionLostIn(execution);
        if (lostIn != null) {
            // the steps' own lines would only repeat the framework's wrapping of the lost
            // connection
            out.println("lost the connection to the job repository at " + StorageFaults.location(this.databaseUrl)
                    + " during " + lostIn + "; continue with: " + CommandName.get() + " restart " + execution.getId());
            return ExitCode.FAILED;
        }
        afterRun(execution, out);
        ExitCode code = exitCode(execution);
        out.println("execution " + execution.getId() + " " + execution.getStatus() + " in "
                + seconds(execution.getStartTime(), execution.getEndTime()) + ": exit " + code.code()
                + (code == ExitCode.FAILED || code == ExitCode.STOPPED
                        ? " (restart with: " + CommandName.get() + " restart " + execution.getId() + ")" : ""));
        return code;
    }

    /**
     * Does what the context has to do once an execution has ended ({@link AfterRun}): the
     * job repository holds its final state, as {@code jobOperator.start} returns once it
     * is stored. Nothing done here changes the execution or the exit code.
     */
    private void afterRun(JobExecution execution, PrintStream out) {
        this.afterRuns.orderedStream().forEach(after -> {
            try {
                after.ended(execution, EtlParameters.from(execution.getJobParameters()), out);
            }
            catch (RuntimeException | LinkageError ex) {
                out.println("after execution " + execution.getId() + ": " + Messages.oneLine(ex));
            }
        });
    }

    /**
     * The step ("step fetch") during which the execution failed for the loss of its
     * database connection, "the run" when no step says, or null when it did not fail that
     * way.
     */
    private static String connectionLostIn(JobExecution execution) {
        if (execution.getStatus() != BatchStatus.FAILED && execution.getStatus() != BatchStatus.UNKNOWN) {
            return null;
        }
        for (StepExecution step : execution.getStepExecutions()) {
            if (step.getFailureExceptions().stream().anyMatch(StorageFaults::isConnectionLoss)) {
                String name = step.getStepName();
                return "step " + (name.contains(":") ? "stats" : name);
            }
        }
        boolean lost = execution.getFailureExceptions().stream().anyMatch(StorageFaults::isConnectionLoss);
        return lost ? "the run" : null;
    }

    static ExitCode exitCode(JobExecution execution) {
        ExitCode code = ExitCode.of(execution.getStatus(), execution.getExitStatus().getExitCode());
        return code == null ? ExitCode.STOPPED : code;
    }

    private static String seconds(LocalDateTime start, LocalDateTime end) {
        if (start == null || end == null) {
            return "?";
        }
        return String.format("%.1f s", Duration.between(start, end).toMillis() / 1000.0);
    }

}
