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
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.support.ScopeNotActiveException;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * What Spring Batch's own {@code JobOperator.stop(JobExecution)} does to a running
 * execution of the etl job, whose fetch step is job-scoped (its chunk size is a job
 * parameter): it marks the execution STOPPING, then looks the running step up in the job
 * to stop its tasklet, and that lookup asks the job-scoped step for its name outside any
 * job scope. The command line's stop only marks the execution STOPPING
 * ({@code ExecutionControl.requestStop}).
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
    void stopMarksTheExecutionStoppingThenFailsToLookTheJobScopedFetchStepUp() throws Exception {
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
        Throwable thrown = catchThrowable(() -> this.jobOperator.stop(running));

        // then the stop was recorded, but the operator failed where it looks the running
        // step up: the job-scoped fetch step has no name outside a job scope
        assertThat(thrown).isInstanceOf(ScopeNotActiveException.class)
            .hasMessageContaining("'scopedTarget.fetchStep'")
            .hasMessageContaining("Scope 'job' is not active");
        assertThat(this.jobRepository.getJobExecution(id).getStatus()).as("STOPPED once its next chunk committed")
            .isIn(BatchStatus.STOPPING, BatchStatus.STOPPED);
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
