package dev.batchetl.remote;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.LocalDateTime;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import javax.sql.DataSource;

import dev.batchetl.job.BatchEtlProperties;
import dev.batchetl.job.EtlKey;
import dev.batchetl.job.ExitCode;
import dev.batchetl.job.Shutdown;
import dev.batchetl.job.UsageException;
import dev.batchetl.job.ProcessIdentity;
import dev.batchetl.storage.DatabasePlatform;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.amqp.AmqpRejectAndDontRequeueException;
import org.springframework.amqp.ImmediateRequeueAmqpException;
import org.springframework.amqp.core.AcknowledgeMode;
import org.springframework.amqp.core.MessageProperties;
import org.springframework.amqp.core.Queue;
import org.springframework.amqp.rabbit.connection.ConnectionFactory;
import org.springframework.amqp.rabbit.listener.SimpleMessageListenerContainer;
import org.springframework.amqp.support.converter.MessageConverter;
import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.ExitStatus;
import org.springframework.batch.core.job.JobInterruptedException;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.Step;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.batch.integration.partition.StepExecutionRequest;
import org.springframework.batch.integration.partition.StepExecutionRequestHandler;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.integration.amqp.dsl.Amqp;
import org.springframework.integration.dsl.IntegrationFlow;
import org.springframework.integration.dsl.context.IntegrationFlowContext;
import org.springframework.messaging.Message;

/**
 * {@code batch-etl worker}: consumes partition requests from RabbitMQ and runs each as an
 * execution of its worker step ({@code stats-file}, a statistics partition, or
 * {@code fetch-hosts}, a remote fetch's) against the shared job repository, through
 * Spring Batch Integration's {@link StepExecutionRequestHandler}. Before running a
 * partition the worker claims it in the database ({@link PartitionOwnership}), so a
 * redelivered request never runs a partition that is running or finished. A request is
 * acknowledged once its partition ended, so the request of a worker that dies before that
 * is delivered to another worker, whose claim then refuses it. A malformed message is
 * rejected (not requeued) and logged. SIGTERM stops consuming and stops the running
 * partitions at their next checkpoint (they end STOPPED and are restartable), then the
 * process exits.
 * <p>
 * A worker serves one job repository, a PostgreSQL database ({@link RepositoryIdentity});
 * it refuses to start on the embedded one, which no manager shares. A request of another
 * job repository (a manager and a worker configured with different databases on one
 * queue), or one without the repository's name for a step execution this repository does
 * not have, is not this worker's to drop: it is held for
 * {@code batch-etl.worker.requeue-delay} and then rejected with requeue, so that it goes
 * back to the queue for a worker of that repository, and this worker does not spin on it
 * (RabbitMQ would hand it back at once). A request that names this repository for a step
 * execution it does not have (deleted since) can run nowhere: it is logged and dropped.
 */
public class RemoteWorker {

    private static final Logger log = LoggerFactory.getLogger(RemoteWorker.class);

    /**
     * Keys of a partition's step execution context written by the partitioner: the file
     * and a listing error.
     */
    private static final String FILE = "file";

    private static final String ERROR = "error";

    /** The statistics' worker step, whose partitions name the file they read. */
    private static final String STATS_STEP = "stats-file";

    private final ConnectionFactory connectionFactory;

    private final IntegrationFlowContext flows;

    private final JobRepository jobRepository;

    /** The worker steps by name: the statistics' and the fetch's. */
    private final Map<String, Step> workerSteps;

    private final PartitionOwnership ownership;

    private final String queue;

    private final int concurrency;

    private final Duration stopTimeout;

    private final DataSource dataSource;

    private final RepositoryIdentity repository;

    private final Duration requeueDelay;

    /**
     * Step executions of requests left for another worker, so that each is logged once,
     * not at every return.
     */
    private final Set<Long> leftAlready = Collections
        .synchronizedSet(Collections.newSetFromMap(new LinkedHashMap<>(16, 0.75f, true) {

            @Override
            protected boolean removeEldestEntry(Map.Entry<Long, Boolean> eldest) {
                return size() > 10_000;
            }

        }));

    private volatile String repositoryName;

    private final Map<Long, StepExecution> running = new ConcurrentHashMap<>();

    private final CountDownLatch stopSignal = new CountDownLatch(1);

    private final CountDownLatch stopped = new CountDownLatch(1);

    private volatile boolean stopping;

    RemoteWorker(ConnectionFactory connectionFactory, IntegrationFlowContext flows, JobRepository jobRepository,
            @Qualifier("statsFileStep") Step statsStep, @Qualifier("fetchHostsStep") Step fetchStep,
            PartitionOwnership ownership, @Qualifier("partitionQueue") Queue queue, BatchEtlProperties properties,
            DataSource dataSource, RepositoryIdentity repository) {
        this.connectionFactory = connectionFactory;
        this.flows = flows;
        this.jobRepository = jobRepository;
        this.workerSteps = Map.of(statsStep.getName(), statsStep, fetchStep.getName(), fetchStep);
        this.ownership = ownership;
        this.queue = queue.getName();
        this.concurrency = properties.worker().concurrency();
        this.stopTimeout = properties.worker().stopTimeout();
        this.dataSource = dataSource;
        this.repository = repository;
        this.requeueDelay = properties.worker().requeueDelay();
    }

    /**
     * Runs until SIGTERM or Ctrl-C, then stops cleanly; returns the process exit code
     * (0).
     */
    public int run(PrintStream out) {
        if (this.concurrency < 1) {
            throw new IllegalArgumentException("batch-etl.worker.concurrency must be at least 1");
        }
        if (!sharedDatabase()) {
            // it would take other runs' requests from the queue and find none of their
            // step executions
            throw new UsageException("worker needs the job repository of the runs it serves, a shared PostgreSQL"
                    + " (spring.datasource.url, see README, Scale-out); the embedded default database belongs to this"
                    + " process");
        }
        this.repositoryName = this.repository.get();
        // a worker ends only by a signal: its registration stays until the process ends
        Shutdown.process().register(this::signalled, ExitCode.OK);
        SimpleMessageListenerContainer container = new SimpleMessageListenerContainer(this.connectionFactory);
        container.setQueueNames(this.queue);
        container.setConcurrentConsumers(this.concurrency);
        container.setPrefetchCount(1);
        container.setAcknowledgeMode(AcknowledgeMode.AUTO);
        container.setDefaultRequeueRejected(false);
        container.setShutdownTimeout(this.stopTimeout.toMillis());
        container.setMissingQueuesFatal(false);
        IntegrationFlow flow = IntegrationFlow.from(Amqp.inboundAdapter(container).messageConverter(new RawBody()))
            .handle(this::handle)
            .get();
        IntegrationFlowContext.IntegrationFlowRegistration registration = this.flows.registration(flow).register();
        out.println("worker " + ProcessIdentity.current() + " takes partition requests from queue " + this.queue
                + " for job repository " + this.repositoryName + " (" + this.concurrency
                + " at a time); stop it with SIGTERM or Ctrl-C");
        out.flush();
        try {
            this.stopSignal.await();
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
        registration.destroy();
        out.println("worker stopped");
        out.flush();
        this.stopped.countDown();
        return 0;
    }

    /**
     * SIGTERM: stop the running partitions at their next checkpoint and stop consuming;
     * {@link #run} then returns and the process ends. Whether that happened in time.
     */
    private boolean signalled() throws InterruptedException {
        this.stopping = true;
        for (StepExecution execution : this.running.values()) {
            log.info("stopping partition {} at its next checkpoint", execution.getStepName());
            execution.setTerminateOnly();
        }
        this.stopSignal.countDown();
        return this.stopped.await(this.stopTimeout.toMillis() + 30_000, TimeUnit.MILLISECONDS);
    }

    private void handle(Message<?> message) {
        Object payload = message.getPayload();
        PartitionRequests.Request decoded;
        try {
            decoded = PartitionRequests.decode(payload instanceof byte[] bytes ? bytes : null,
                    this.workerSteps.keySet());
        }
        catch (PartitionRequests.MalformedRequestException ex) {
            log.warn("rejected a malformed partition request: {}", ex.getMessage());
            throw new AmqpRejectAndDontRequeueException("malformed partition request: " + ex.getMessage());
        }
        if (this.stopping) {
            throw new ImmediateRequeueAmqpException("the worker is stopping");
        }
        StepExecutionRequest request = decoded.request();
        long id = request.getStepExecutionId();
        if (decoded.repository() != null && !decoded.repository().equals(this.repositoryName)) {
            leave(id, "it is for job repository " + decoded.repository() + ", not " + this.repositoryName);
        }
        PartitionOwnership.Claim claim = this.ownership.claim(id);
        if (!claim.exists() && decoded.repository() == null) {
            leave(id, "job repository " + this.repositoryName + " has no such step execution (the request does not"
                    + " name its repository: perhaps another one's)");
        }
        if (!claim.claimed()) {
            log.info("partition request for step execution {} ignored: {}", id, claim.reason());
            return;
        }
        try {
            StepExecution execution = this.jobRepository.getStepExecution(id);
            String unreadable = execution == null ? null : unreadable(execution);
            if (unreadable != null) {
                fail(execution, unreadable);
                log.warn("partition {} failed: {}", execution.getStepName(), unreadable);
                return;
            }
            StepExecutionRequestHandler handler = new StepExecutionRequestHandler();
            handler.setJobRepository(this.jobRepository);
            handler.setStepLocator(name -> new Tracked(this.workerSteps.get(name)));
            log.info("running partition {} (step execution {})", execution.getStepName(), id);
            StepExecution result = handler.handle(request);
            persistIfLost(result);
            log.info("partition {} {}", result.getStepName(), result.getStatus());
        }
        finally {
            this.ownership.release(id);
        }
    }

    /**
     * Leaves a request for a worker that can run it: waits {@code requeue-delay} (less if
     * the worker stops), then rejects it with requeue. The wait keeps a worker alone on
     * the queue with such a request from taking it back at once, over and over.
     */
    private void leave(long stepExecutionId, String why) {
        if (this.leftAlready.add(stepExecutionId)) {
            log.warn("partition request for step execution {} left in queue {} for another worker: {}", stepExecutionId,
                    this.queue, why);
        }
        try {
            this.stopSignal.await(this.requeueDelay.toMillis(), TimeUnit.MILLISECONDS);
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
        throw new ImmediateRequeueAmqpException(
                "partition request of step execution " + stepExecutionId + " left for another worker: " + why);
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

    /**
     * Why this worker cannot read the partition's file, or cannot write into the download
     * folder of a fetch partition, or null.
     */
    private static String unreadable(StepExecution execution) {
        if (!execution.getStepName().startsWith(STATS_STEP + ":")) {
            String dir = execution.getJobParameters().getString(EtlKey.DIR.key());
            Path folder = dir == null ? null : Path.of(dir);
            if (folder == null || (Files.isDirectory(folder) && Files.isWritable(folder))) {
                return null;
            }
            String why = Files.isDirectory(folder) ? "permission denied" : "no such folder";
            return "worker " + ProcessIdentity.current() + " cannot write into the download folder " + folder + " ("
                    + why + "): every worker must see dir at the same path (a shared folder)";
        }
        var context = execution.getExecutionContext();
        if (!context.containsKey(FILE) || context.containsKey(ERROR)) {
            return null;
        }
        Path file = Path.of(context.getString(FILE));
        if (Files.isRegularFile(file) && Files.isReadable(file)) {
            return null;
        }
        String why = Files.exists(file) ? "permission denied" : "no such file";
        return "worker " + ProcessIdentity.current() + " cannot read " + file + " (" + why
                + "): every worker must see the input files at the same path (a shared folder)";
    }

    private void fail(StepExecution execution, String reason) {
        execution.setStatus(BatchStatus.FAILED);
        execution.setExitStatus(ExitStatus.FAILED.addExitDescription(reason));
        execution.setStartTime(LocalDateTime.now());
        execution.setEndTime(LocalDateTime.now());
        this.jobRepository.update(execution);
    }

    /**
     * Spring Batch's handler marks a step execution whose step threw FAILED or STOPPED in
     * memory only; a step that could not record its end leaves it running in the
     * repository. Records it then, if that is still possible.
     */
    private void persistIfLost(StepExecution result) {
        try {
            StepExecution stored = this.jobRepository.getStepExecution(result.getId());
            if (stored != null && stored.getStatus().isRunning() && !result.getStatus().isRunning()) {
                stored.setStatus(result.getStatus());
                stored.setExitStatus(result.getStatus() == BatchStatus.STOPPED ? ExitStatus.STOPPED
                        : ExitStatus.FAILED.addExitDescription(result.getFailureExceptions().isEmpty() ? "failed"
                                : String.valueOf(result.getFailureExceptions().get(0))));
                stored.setEndTime(LocalDateTime.now());
                this.jobRepository.update(stored);
            }
        }
        catch (RuntimeException ex) {
            log.warn("could not record the end of step execution {}: {}", result.getId(), ex.getMessage());
        }
    }

    /**
     * The worker step, remembering the execution it runs so that a signal can stop it at
     * a checkpoint.
     */
    private final class Tracked implements Step {

        private final Step workerStep;

        Tracked(Step workerStep) {
            this.workerStep = workerStep;
        }

        @Override
        public String getName() {
            return workerStep.getName();
        }

        @Override
        public boolean isAllowStartIfComplete() {
            return workerStep.isAllowStartIfComplete();
        }

        @Override
        public int getStartLimit() {
            return workerStep.getStartLimit();
        }

        @Override
        public void execute(StepExecution execution) throws JobInterruptedException {
            running.put(execution.getId(), execution);
            try {
                if (stopping) {
                    execution.setTerminateOnly();
                }
                workerStep.execute(execution);
            }
            finally {
                running.remove(execution.getId());
            }
        }

    }

    /**
     * Hands the message body over as bytes, whatever its content type says: nothing is
     * deserialised here.
     */
    private static final class RawBody implements MessageConverter {

        @Override
        public org.springframework.amqp.core.Message toMessage(Object object, MessageProperties properties) {
            throw new UnsupportedOperationException("workers do not send messages");
        }

        @Override
        public Object fromMessage(org.springframework.amqp.core.Message message) {
            return message.getBody();
        }

    }

}
