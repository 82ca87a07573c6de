package dev.batchetl.job;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;

import dev.batchetl.JobApplication;
import dev.batchetl.TestDatabase;
import dev.batchetl.stats.PartitionKeys;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.JobInstance;
import org.springframework.batch.core.job.parameters.JobParameters;
import org.springframework.batch.core.partition.Partitioner;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.Step;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.batch.infrastructure.item.ExecutionContext;
import org.springframework.batch.test.JobOperatorTestUtils;
import org.springframework.batch.test.JobRepositoryTestUtils;
import org.springframework.batch.test.MetaDataInstanceFactory;
import org.springframework.batch.test.StepScopeTestUtils;
import org.springframework.batch.test.context.SpringBatchTest;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The etl job's steps one at a time, in this JVM, against the test database: each step
 * reads its keys from the job parameters it is launched with (Spring Batch Test's
 * {@link JobOperatorTestUtils}), and the step-scoped partitioner from those of its step
 * ({@link StepScopeTestUtils}). The functional tests run the same steps from the command
 * line.
 */
@SpringBootTest(classes = JobApplication.class)
@SpringBatchTest
class EtlStepsTests {

    @DynamicPropertySource
    static void database(DynamicPropertyRegistry registry) {
        TestDatabase.register(registry);
    }

    @Autowired
    JobOperatorTestUtils steps;

    @Autowired
    JobRepositoryTestUtils repository;

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
    void fetchPlanRecordsEachSourceOfTheListOnceWithItsFileName() throws Exception {
        // given a list of three sources, one of them not a CSV file
        Path input = Files.createDirectories(this.work.resolve("input"));
        List<String> sources = new ArrayList<>();
        for (String name : List.of("a.csv", "b.csv.gz", "notes.txt")) {
            sources.add(Files.writeString(input.resolve(name), "x\n").toUri().toString());
        }
        Path list = Files.write(this.work.resolve("sources.txt"), sources);

        // when step fetch-plan runs
        JobExecution execution = this.steps.startStep("fetch-plan", parameters(Map.of("sources", list.toString())),
                new ExecutionContext());
        removedAfterwards(execution);

        // then it created the download folder and planned the three sources, none fetched
        assertThat(execution.getStatus()).isEqualTo(BatchStatus.COMPLETED);
        assertThat(writeCount(execution)).isEqualTo(3);
        assertThat(this.work.resolve("data")).isDirectory();
        assertThat(this.jdbc.queryForList(
                "SELECT target || ' ' || status FROM etl_fetch_item WHERE job_instance_id = ? ORDER BY line",
                String.class, execution.getJobInstance().getInstanceId()))
            .containsExactly("a.csv PENDING", "b.csv.gz PENDING", "notes.txt PENDING");
    }

    @Test
    void statsRunsOneStatsFilePartitionPerCsvFileOfTheDownloadFolder(@Autowired @Qualifier("statsStep") Step statsStep)
            throws Exception {
        // given a download folder with two CSV files and one that is not
        Path data = Files.createDirectories(this.work.resolve("data"));
        Files.writeString(data.resolve("a.csv"), "x,y\n1,2\n3,4\n");
        Files.writeString(data.resolve("b.csv"), "x\n5\n");
        Files.writeString(data.resolve("notes.txt"), "not read\n");

        // when step stats runs, two partitions at a time
        JobExecution execution = this.steps.startStep(statsStep, parameters(Map.of("partitions", "2")),
                new ExecutionContext());
        removedAfterwards(execution);

        // then each CSV file was read by a stats-file partition of its own
        assertThat(execution.getStatus()).isEqualTo(BatchStatus.COMPLETED);
        assertThat(execution.getStepExecutions()).extracting(StepExecution::getStepName)
            .containsExactlyInAnyOrder("stats", "stats-file:f00001", "stats-file:f00002");
        assertThat(execution.getStepExecutions()).extracting(StepExecution::getStatus)
            .containsOnly(BatchStatus.COMPLETED);
        assertThat(this.jdbc.queryForList("""
                SELECT file || ' ' || (error IS NULL) FROM etl_partition_result WHERE job_instance_id = ?
                ORDER BY partition_name""", String.class, execution.getJobInstance().getInstanceId()))
            .containsExactly("a.csv true", "b.csv true");
    }

    @Test
    void exportCopiesTheSourcesOfItsInstanceAndWritesResultsCsvWhereOutputSays(
            @Autowired @Qualifier("exportStep") Step exportStep) throws Exception {
        // given an instance with one source fetched and one failed, and an output folder
        Path output = Files.createDirectories(this.work.resolve("out"));
        JobParameters parameters = parameters(Map.of("output", output.toString()));
        JobInstance instance = this.jobRepository.createJobInstance(JobOperatorTestUtils.JOB_NAME, parameters);
        // an execution that failed before its export: the step runs in the restart
        JobExecution failed = this.jobRepository.createJobExecution(instance, parameters, new ExecutionContext());
        removedAfterwards(failed);
        failed.setStatus(BatchStatus.FAILED);
        failed.setEndTime(java.time.LocalDateTime.now());
        this.jobRepository.update(failed);
        this.jdbc.update("""
                INSERT INTO etl_fetch_item (job_instance_id, line, source, target, status)
                VALUES (?, 1, 'file:/in/a.csv', 'a.csv', 'DONE'), (?, 2, 'file:/in/b.csv', 'b.csv', 'FAILED')""",
                instance.getInstanceId(), instance.getInstanceId());

        // when step export runs in that instance
        JobExecution execution = this.steps.startStep(exportStep, parameters, new ExecutionContext());
        removedAfterwards(execution);

        // then the sources are this execution's, the failed one counted, and results.csv
        // is in the output folder
        assertThat(execution.getStatus()).isEqualTo(BatchStatus.COMPLETED);
        assertThat(execution.getJobInstance().getInstanceId()).isEqualTo(instance.getInstanceId());
        assertThat(this.jdbc.queryForList(
                "SELECT target || ' ' || status FROM etl_source WHERE job_execution_id = ? ORDER BY line", String.class,
                execution.getId()))
            .containsExactly("a.csv DONE", "b.csv FAILED");
        assertThat(execution.getExecutionContext().getLong(EtlJobConfiguration.FAILED_SOURCES)).isEqualTo(1);
        assertThat(output.resolve("results.csv")).isRegularFile();
    }

    @Test
    void thePartitionerReadsTheDownloadFolderAndSplitSizeOfItsStepsJobParameters(
            @Autowired @Qualifier("csvFilePartitioner") Partitioner partitioner) throws Exception {
        // given a small and a larger CSV file, and keys that split the larger one (with
        // an escape character the splitter cuts at any row, not only in large windows)
        Path data = Files.createDirectories(this.work.resolve("data"));
        Files.writeString(data.resolve("a.csv"), "x\n1\n");
        Files.writeString(data.resolve("big.csv"), "x,y\n" + "1234567890,1234567890\n".repeat(20_000));
        StepExecution stats = MetaDataInstanceFactory
            .createStepExecution(parameters(Map.of("split-size", "64KB", "partitions", "4", "escape", "\\")));
        StepExecution defaults = MetaDataInstanceFactory.createStepExecution(parameters(Map.of()));

        // when the step-scoped partitioner is asked for the partitions, in each step's
        // scope
        Map<String, ExecutionContext> split = StepScopeTestUtils.doInStepScope(stats, () -> partitioner.partition(4));
        Map<String, ExecutionContext> whole = StepScopeTestUtils.doInStepScope(defaults,
                () -> partitioner.partition(4));
        // then the file above split-size is read in byte ranges, and with the default
        // (64MB) each file is one partition
        assertThat(relativeNames(split)).containsOnly("a.csv", "big.csv");
        assertThat(relativeNames(split).stream().filter("big.csv"::equals).count()).isGreaterThan(1);
        assertThat(whole).containsOnlyKeys("f00001", "f00002");
        assertThat(relativeNames(whole)).containsExactly("a.csv", "big.csv");
    }

    private static List<String> relativeNames(Map<String, ExecutionContext> partitions) {
        return partitions.values().stream().map(context -> context.getString(PartitionKeys.RELATIVE)).toList();
    }

    /** The job parameters of a run in the work folder with these keys. */
    private JobParameters parameters(Map<String, String> keys) {
        Map<String, String> all = new java.util.HashMap<>(keys);
        all.put("run", "steps-" + UUID.randomUUID());
        return EtlRequest.of("steps", new Properties(), this.work, all, this.work).toJobParameters();
    }

    /**
     * An execution for {@link #removeTheExecutions()} (not a method returning it: Spring
     * Batch Test would take it for the job scope's).
     */
    private void removedAfterwards(JobExecution execution) {
        this.executions.add(execution);
    }

    /**
     * The write count of the execution's one step (not a method returning a step
     * execution: Spring Batch Test would take it for the step scope's).
     */
    private static long writeCount(JobExecution execution) {
        assertThat(execution.getStepExecutions()).hasSize(1);
        return execution.getStepExecutions().iterator().next().getWriteCount();
    }

}
