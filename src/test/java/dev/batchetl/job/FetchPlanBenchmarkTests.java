package dev.batchetl.job;

import java.io.BufferedWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;

import dev.batchetl.JobApplication;
import dev.batchetl.TestDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.infrastructure.item.ExecutionContext;
import org.springframework.batch.test.JobOperatorTestUtils;
import org.springframework.batch.test.context.SpringBatchTest;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * How long the fetch plan takes for a long list of sources: step {@code fetch-plan}
 * alone, on the test PostgreSQL, for {@code -Dplan.benchmark.sources=N} sources (default
 * 200,000; {@code file:} URLs, which the plan does not open). Not part of the suite:
 *
 * <pre>
 * ./mvnw -o test -Dtest=FetchPlanBenchmarkTests -Dplan.benchmark=true [-Dplan.benchmark.sources=1000000]
 * </pre>
 */
@SpringBootTest(classes = JobApplication.class)
@SpringBatchTest
class FetchPlanBenchmarkTests {

    @DynamicPropertySource
    static void database(DynamicPropertyRegistry registry) {
        TestDatabase.register(registry);
    }

    @Autowired
    JobOperatorTestUtils steps;

    @Autowired
    JobRepository jobRepository;

    @Autowired
    JdbcTemplate jdbc;

    @TempDir
    Path work;

    @Test
    void planningAListOfSources() throws Exception {
        assumeTrue(Boolean.getBoolean("plan.benchmark"), "-Dplan.benchmark=true runs it");
        int n = Integer.getInteger("plan.benchmark.sources", 200_000);
        Path list = this.work.resolve("sources.txt");
        try (BufferedWriter out = Files.newBufferedWriter(list, StandardCharsets.UTF_8)) {
            for (int i = 0; i < n; i++) {
                out.write("file:///srv/exports/part-" + i + ".csv\n");
            }
        }
        Map<String, String> keys = Map.of("sources", list.toString(), "run", "plan-" + UUID.randomUUID());
        long start = System.nanoTime();
        JobExecution execution = this.steps.startStep("fetch-plan",
                EtlRequest.of("plan", new Properties(), this.work, keys, this.work).toJobParameters(),
                new ExecutionContext());
        double seconds = (System.nanoTime() - start) / 1e9;
        try {
            assertThat(execution.getStatus()).isEqualTo(BatchStatus.COMPLETED);
            assertThat(this.jdbc.queryForObject("SELECT count(*) FROM etl_fetch_item WHERE job_instance_id = ?",
                    Long.class, execution.getJobInstance().getInstanceId()))
                .isEqualTo(n);
            System.out.printf("%nfetch plan of %,d sources: %.2f s, %,.0f sources/s%n", n, seconds, n / seconds);
        }
        finally {
            RunRecords.remove(this.jobRepository, List.of(execution));
        }
    }

}
