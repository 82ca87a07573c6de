package dev.batchetl.fetch;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;

import dev.batchetl.JobApplication;
import dev.batchetl.TestDatabase;
import dev.batchetl.job.EtlRequest;
import dev.batchetl.job.RunRecords;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.JobInstance;
import org.springframework.batch.core.job.parameters.JobParameters;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.infrastructure.item.ExecutionContext;
import org.springframework.batch.test.JobOperatorTestUtils;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The order in which the fetch step takes an instance's sources, and the pages it reads
 * them in, over more sources than one page holds, on the test PostgreSQL.
 */
@SpringBootTest(classes = JobApplication.class)
class FetchItemRepositoryTests {

    @DynamicPropertySource
    static void database(DynamicPropertyRegistry registry) {
        TestDatabase.register(registry);
    }

    private static final int SOURCES = 2_500;

    @Autowired
    FetchItemRepository items;

    @Autowired
    JobRepository jobRepository;

    @Autowired
    JdbcTemplate jdbc;

    @TempDir
    Path work;

    private final List<JobExecution> executions = new ArrayList<>();

    private final String definition = "order-" + UUID.randomUUID();

    @AfterEach
    void remove() {
        RunRecords.remove(this.jobRepository, this.executions);
    }

    @Test
    void withoutAnEarlierRunTheSourcesNotFetchedComeInListOrderPageByPage() {
        // given an instance of 2,500 sources, every 10th of them fetched already
        long instance = instance("first");
        for (int line = 1; line <= SOURCES; line++) {
            insert(instance, line, "http://h/" + line, line % 10 == 0 ? "DONE" : "PENDING", null, null, null);
        }

        // when the step reads them
        FetchItemRepository.Pending pending = this.items.pending(instance, this.definition, null);
        List<FetchItem> read = readAll(pending);

        // then it has the 2,250 not fetched, in list order, with no earlier record
        List<Integer> expected = new ArrayList<>();
        for (int line = 1; line <= SOURCES; line++) {
            if (line % 10 != 0) {
                expected.add(line);
            }
        }
        assertThat(pending.previousRun()).isNull();
        assertThat(read).extracting(FetchItem::line).containsExactlyElementsOf(expected);
        assertThat(read).extracting(FetchItem::source).allMatch(source -> source.startsWith("http://h/"));
        assertThat(read).allMatch(item -> item.source().equals("http://h/" + item.line())
                && item.target().equals(item.line() + ".txt") && item.previous() == null);
    }

    @Test
    void afterAnEarlierRunTheLargestKnownComeFirstEachWithWhatThatRunRecordedForItsUrl() {
        // given an earlier run of the definition that fetched every third URL (with its
        // size and ETag) and failed the others
        long earlier = instance("earlier");
        for (int line = 1; line <= SOURCES; line++) {
            boolean fetched = line % 3 == 0;
            insert(earlier, line, "http://h/" + line, fetched ? "DONE" : "FAILED", fetched ? 7L * line % 1000 : null,
                    fetched ? "sha-" + line : null, fetched ? "etag-" + line : null);
        }
        // and this run, whose list has the same URLs in reverse order
        long instance = instance("now");
        for (int line = 1; line <= SOURCES; line++) {
            insert(instance, line, "http://h/" + (SOURCES + 1 - line), "PENDING", null, null, null);
        }

        // when the step reads them
        List<FetchItem> read = readAll(this.items.pending(instance, this.definition, null));

        // then those whose URL was fetched come first, largest first (list order among
        // equal sizes), then the rest in list order; each with that run's record
        record Expected(int line, long bytes) {
        }
        List<Expected> expected = new ArrayList<>();
        for (int line = 1; line <= SOURCES; line++) {
            int url = SOURCES + 1 - line;
            expected.add(new Expected(line, url % 3 == 0 ? 7L * url % 1000 : -1));
        }
        expected.sort(Comparator.comparingLong(Expected::bytes).reversed().thenComparingInt(Expected::line));
        assertThat(read).extracting(FetchItem::line)
            .containsExactlyElementsOf(expected.stream().map(Expected::line).toList());
        for (FetchItem item : read) {
            int url = SOURCES + 1 - item.line();
            if (url % 3 == 0) {
                assertThat(item.previous()).as(item.source())
                    .isEqualTo(new PreviousFetch("etag-" + url, null, "sha-" + url, 7L * url % 1000));
            }
            else {
                assertThat(item.previous()).as(item.source()).isNull();
            }
        }
    }

    @Test
    void thePartitionsOfARemoteFetchTakeTurnsAtTheHostsAndEachHasAllSourcesOfItsHosts() {
        // given a list over five hosts, in the order a, b, c, a, d, e, b, ... (one host
        // written twice, in other case and with its default port), file: sources, and a
        // row planned before host numbers were recorded
        String[] hosts = { "http://a.example", "http://B.example", "https://c.example", "http://a.example:80",
                "http://d.example:8080", "http://e.example", "http://b.example" };
        List<Source> sources = new ArrayList<>();
        List<String> targets = new ArrayList<>();
        for (int line = 1; line <= 70; line++) {
            String uri = line > 63 ? "file:///srv/in/" + line + ".csv" : hosts[(line - 1) % hosts.length] + "/" + line;
            sources.add(new Source(line, java.net.URI.create(uri), null));
            targets.add(line + ".txt");
        }
        HostOrdinals ordinals = new HostOrdinals();
        int[] numbers = sources.stream().mapToInt(ordinals::of).toArray();
        long instance = instance("hosts");
        this.items.plan(instance, sources, targets, numbers);
        insert(instance, 71, "http://old.example/71", "PENDING", null, null, null);

        // when each of three partitions reads its sources
        Map<String, List<Integer>> byPartition = new java.util.TreeMap<>();
        for (int number = 1; number <= 3; number++) {
            HostGroup group = new HostGroup(number, 3);
            byPartition.put(group.name(),
                    readAll(this.items.pending(instance, this.definition, group)).stream()
                        .map(FetchItem::line)
                        .toList());
        }

        // then the hosts a, b, c, d, e (numbered 0 to 4 as they first appear) went to
        // partitions 1, 2, 3, 1, 2; the file: sources by line (64 to 70, modulo 3); the
        // old row to partition 1; and every source to exactly one partition
        Map<String, Integer> partitionOfHost = Map.of("a", 1, "B", 2, "b", 2, "c", 3, "d", 1, "e", 2);
        for (int line = 1; line <= 71; line++) {
            int expected;
            if (line == 71) {
                expected = 1;
            }
            else if (line > 63) {
                expected = line % 3 + 1;
            }
            else {
                String host = hosts[(line - 1) % hosts.length];
                expected = partitionOfHost.get(host.substring(host.indexOf("//") + 2, host.indexOf("//") + 3));
            }
            assertThat(byPartition.get(expected + "-of-3")).as("line " + line).contains(line);
        }
        assertThat(byPartition.values().stream().mapToInt(List::size).sum()).isEqualTo(71);
    }

    private List<FetchItem> readAll(FetchItemRepository.Pending pending) {
        List<FetchItem> read = new ArrayList<>();
        for (int from = 0; from < pending.size(); from += PendingSourceReader.PAGE) {
            read.addAll(this.items.page(pending, from, Math.min(pending.size(), from + PendingSourceReader.PAGE)));
        }
        return read;
    }

    private long instance(String run) {
        JobParameters parameters = EtlRequest
            .of(this.definition, new Properties(), this.work, Map.of("run", run + "-" + UUID.randomUUID()), this.work)
            .toJobParameters();
        JobInstance instance = this.jobRepository.createJobInstance(JobOperatorTestUtils.JOB_NAME, parameters);
        this.executions.add(this.jobRepository.createJobExecution(instance, parameters, new ExecutionContext()));
        return instance.getInstanceId();
    }

    private void insert(long instance, int line, String source, String status, Long bytes, String sha256, String etag) {
        this.jdbc.update("""
                INSERT INTO etl_fetch_item (job_instance_id, line, source, target, status, bytes, sha256, etag)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?)""", ps -> {
            ps.setLong(1, instance);
            ps.setInt(2, line);
            ps.setString(3, source);
            ps.setString(4, line + ".txt");
            ps.setString(5, status);
            ps.setObject(6, bytes, java.sql.Types.BIGINT);
            ps.setString(7, sha256);
            ps.setString(8, etag);
        });
    }

}
