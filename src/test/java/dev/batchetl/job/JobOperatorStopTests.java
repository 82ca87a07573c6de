package dev.batchetl.job;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import dev.batchetl.JobApplication;
import dev.batchetl.TestDatabase;
import dev.batchetl.fetch.TestHttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.parameters.JobParameters;
import org.springframework.batch.core.launch.JobOperator;
import org.springframework.batch.core.step.ListableStepLocator;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Spring Batch's own {@code JobOperator.stop(JobExecution)}, which the command line's
 * {@code stop} and a signal use ({@code ExecutionRecovery.requestStop}), on a running
 * execution of the etl job: it marks the execution STOPPING and looks the running step up
 * in the job by name, outside any run (the steps whose shape is read from the job
 * parameters are singletons built for each execution, {@link ParameterShapedStep}); the
 * fetch step stops at its next chunk commit.
 */
@SpringBootTest(classes = JobApplication.class)
class JobOperatorStopTests {

    @DynamicPropertySource
    static void database(DynamicPropertyRegistry registry) {
        TestDatabase.register(registry);
    }

    @RegisterExtension
    final TestHttpServer server = TestHttpServer.start();

    @Autowired
    JobOperator jobOperator;

    @Autowired
    Job etlJob;

    @Autowired
    JobRepository jobRepository;

    @Autowired
    JdbcTemplate jdbc;

    @TempDir
    Path work;

    private final List<JobExecution> executions = new ArrayList<>();

    @AfterEach
    void removeTheExecutions() {
        RunRecords.remove(this.jobRepository, this.executions);
    }

    @Test
    void stopMarksTheExecutionStoppingAndTheFetchStepStopsAtItsNextChunk() throws Exception {
        // given a run fetching one slow source per chunk
        this.server.latency(Duration.ofMillis(300));
        List<String> sources = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            this.server.serve("/s" + i + ".csv", ("x\n" + i + "\n").getBytes());
            sources.add(this.server.uri("/s" + i + ".csv").toString());
        }
        Path list = Files.write(this.work.resolve("sources.txt"), sources);
        String runKey = "stop-" + UUID.randomUUID();
        JobParameters parameters = EtlRequest
            .of("stop", new Properties(), this.work,
                    Map.of("sources", list.toString(), "run", runKey, "threads", "1", "fetch-chunk", "1"), this.work)
            .toJobParameters();
        CompletableFuture<JobExecution> run = CompletableFuture.supplyAsync(() -> start(parameters));
        long id = RunRecords.awaitCommits(runKey, "fetch", 1);
        JobExecution running = this.jobRepository.getJobExecution(id);

        // when Spring Batch's JobOperator is asked to stop it
        boolean stopped = this.jobOperator.stop(running);

        // then the stop was recorded, and the steps, looked up by name as the operator
        // does, are the job's own outside any run
        assertThat(stopped).isTrue();
        assertThat(this.jobRepository.getJobExecution(id).getStatus()).as("STOPPED once its next chunk committed")
            .isIn(BatchStatus.STOPPING, BatchStatus.STOPPED);
        ListableStepLocator steps = (ListableStepLocator) this.etlJob;
        assertThat(steps.getStepNames()).containsExactly("fetch-plan", "fetch", "stats", "export");
        assertThat(steps.getStep("fetch")).isInstanceOf(ParameterShapedStep.class);
        assertThat(steps.getStep("stats")).isInstanceOf(ParameterShapedStep.class);
        // and the job, which reads the status at its next chunk commit, stops there
        JobExecution ended = run.get(2, TimeUnit.MINUTES);
        this.executions.add(ended);
        assertThat(ended.getStatus()).isEqualTo(BatchStatus.STOPPED);
        assertThat(RunRecords.step(id, "fetch")).containsEntry("status", "STOPPED");
        assertThat(this.jdbc.queryForObject(
                "SELECT COUNT(*) FROM etl_fetch_item WHERE job_instance_id = ? AND status = 'PENDING'", Long.class,
                ended.getJobInstance().getInstanceId()))
            .as("sources left for a restart")
            .isPositive();
    }

    private JobExecution start(JobParameters parameters) {
        try {
            return this.jobOperator.start(this.etlJob, parameters);
        }
        catch (Exception ex) {
            throw new IllegalStateException(ex);
        }
    }

}
