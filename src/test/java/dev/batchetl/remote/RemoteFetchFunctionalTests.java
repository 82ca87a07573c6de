package dev.batchetl.remote;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import dev.batchetl.EtlCli;
import dev.batchetl.EtlProcess;
import dev.batchetl.fetch.TestHttpServer;
import dev.batchetl.job.RunRecords;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The fetch step partitioned by host over RabbitMQ, against real HTTP servers on
 * 127.0.0.1 and the real PostgreSQL: a manager and two worker JVMs fetch what a local run
 * fetches (the same {@code etl_fetch_item} rows and the same files), and a worker killed
 * in the middle of its partition loses nothing: the run fails saying so, and a restart
 * fetches only what the killed worker had not recorded.
 */
class RemoteFetchFunctionalTests {

    /** Sources per host; the list alternates between two hosts (two ports). */
    private static final int PER_HOST = 24;

    @TempDir
    Path work;

    private final RemoteFixture remote = new RemoteFixture();

    private final String run = "remote-fetch-" + UUID.randomUUID();

    private final TestHttpServer first = TestHttpServer.start();

    private final TestHttpServer second = TestHttpServer.start();

    private Path list;

    @BeforeEach
    void sources() throws IOException {
        List<String> lines = new ArrayList<>();
        for (int i = 1; i <= PER_HOST; i++) {
            for (TestHttpServer server : List.of(this.first, this.second)) {
                String path = "/" + (server == this.first ? "a" : "b") + "-" + i + ".csv";
                server.serve(path, csv(server == this.first ? i : 1000 + i));
                lines.add(server.uri(path).toString());
            }
        }
        this.list = Files.write(this.work.resolve("sources.txt"), lines);
    }

    @AfterEach
    void cleanUp() throws Exception {
        this.first.close();
        this.second.close();
        this.remote.close();
    }

    private static byte[] csv(int seed) {
        StringBuilder text = new StringBuilder("id,value,name\n");
        for (int row = 0; row < 50 + seed % 17; row++) {
            text.append(row).append(',').append(seed * 31 + row * 7 % 13).append(",n").append(seed).append('\n');
        }
        return text.toString().getBytes(StandardCharsets.UTF_8);
    }

    private String[] keys(Path dir, String runKey, String partitioning) {
        return new String[] { "sources=" + this.list, "dir=" + dir, "output=" + dir.resolveSibling(runKey + ".csv"),
                "run=" + runKey, "fetch-partitioning=" + partitioning, "fetch-partitions=2", "threads=2", "per-host=2",
                "partition-timeout=5m" };
    }

    /**
     * A local run of the same list into a folder of its own: what the remote run must
     * give.
     */
    private long localReference(Path dir) {
        EtlCli.Result local = EtlCli.run(prepend("run", keys(dir, "local-" + UUID.randomUUID(), "local")));
        assertThat(local.exitCode()).as(local.toString()).isZero();
        return local.executionId();
    }

    @Test
    void aManagerAndTwoWorkersFetchWhatALocalRunFetches() throws Exception {
        // given: two workers on the queue
        EtlProcess a = this.remote.worker(this.work);
        EtlProcess b = this.remote.worker(this.work);
        Path dir = this.work.resolve("remote");

        // when: a run fetches its list on them, in two partitions (one per host)
        EtlCli.Result result = EtlCli.run(this.remote.run(keys(dir, this.run, "remote")));

        // then: it completed, each partition on one of the workers, both workers taking
        // part, each partition fetching the sources of one of the two hosts
        assertThat(result.exitCode()).as(result + "\n" + a.output() + "\n" + b.output()).isZero();
        long execution = result.executionId();
        List<Map<String, Object>> partitions = fetchPartitions(execution);
        assertThat(partitions).extracting(p -> p.get("step_name") + " " + p.get("status") + " " + p.get("write_count"))
            .containsExactly("fetch-hosts:1-of-2 COMPLETED " + PER_HOST, "fetch-hosts:2-of-2 COMPLETED " + PER_HOST);
        Set<Long> pids = partitions.stream().map(p -> ((Number) p.get("pid")).longValue()).collect(Collectors.toSet());
        assertThat(pids).containsExactlyInAnyOrder(a.pid(), b.pid());

        // and it recorded and wrote what a local run of the list does
        Path reference = this.work.resolve("local");
        long local = localReference(reference);
        assertThat(fetchItems(execution)).hasSize(2 * PER_HOST).containsExactlyElementsOf(fetchItems(local));
        assertThat(files(dir)).hasSize(2 * PER_HOST).isEqualTo(files(reference));
        assertThat(RunRecords.fileStats(execution)).containsExactlyElementsOf(RunRecords.fileStats(local));
        assertThat(this.remote.waiting()).isZero();
    }

    @Test
    void aWorkerKilledInTheMiddleOfItsPartitionLosesNothing() throws Exception {
        // given: two workers, and a remote fetch of slow sources under way on both
        this.first.latency(Duration.ofMillis(250));
        this.second.latency(Duration.ofMillis(250));
        EtlProcess a = this.remote.worker(this.work);
        EtlProcess b = this.remote.worker(this.work);
        Path dir = this.work.resolve("remote");
        EtlProcess manager = EtlProcess.start(this.work, this.remote.run(keys(dir, this.run, "remote")));
        long firstExecution = await().atMost(Duration.ofMinutes(2))
            .pollInterval(Duration.ofMillis(50))
            .until(() -> donePartitionOne(), id -> id != null);
        long owner = ((Number) fetchPartitions(firstExecution).get(0).get("pid")).longValue();
        EtlProcess victim = owner == a.pid() ? a : b;
        EtlProcess survivor = victim == a ? b : a;

        // when: the worker running partition 1 is killed outright after it recorded a few
        // of its sources
        victim.kill();

        // then: the manager fails that partition, saying why, and the run fails
        assertThat(manager.waitFor()).as(manager.output()).isEqualTo(1);
        assertThat(manager.output()).contains("1-of-2").contains("the worker running it died");
        List<Map<String, Object>> partitions = fetchPartitions(firstExecution);
        assertThat(partitions.get(0)).containsEntry("status", "FAILED");
        assertThat(partitions.get(1)).containsEntry("status", "COMPLETED");
        Map<String, Long> fetchedBefore = fetchedIn(firstExecution);
        assertThat(fetchedBefore).hasSizeGreaterThan(PER_HOST).hasSizeLessThan(2 * PER_HOST);

        // when: the run is started again
        this.first.latency(Duration.ZERO);
        this.second.latency(Duration.ZERO);
        EtlCli.Result restarted = EtlCli.run(this.remote.run(keys(dir, this.run, "remote")));

        // then: only partition 1 ran again, on the surviving worker, fetching only the
        // sources the killed worker had not recorded
        assertThat(restarted.exitCode()).as(restarted + "\n" + survivor.output()).isZero();
        long second = restarted.executionId();
        assertThat(fetchPartitions(second)).singleElement().satisfies(p -> {
            assertThat(p).containsEntry("step_name", "fetch-hosts:1-of-2").containsEntry("status", "COMPLETED");
            assertThat(((Number) p.get("pid")).longValue()).isEqualTo(survivor.pid());
            assertThat(((Number) p.get("write_count")).longValue()).isEqualTo(2L * PER_HOST - fetchedBefore.size());
        });
        Map<String, Long> fetchedAfter = fetchedIn(second);
        assertThat(fetchedAfter.keySet()).doesNotContainAnyElementsOf(fetchedBefore.keySet());
        assertThat(fetchedBefore.size() + fetchedAfter.size()).isEqualTo(2 * PER_HOST);
        // a source recorded before the kill was never asked for again
        for (String source : fetchedBefore.keySet()) {
            String path = source.substring(source.lastIndexOf('/'));
            TestHttpServer server = source.contains("/a-") ? this.first : this.second;
            assertThat(server.requests(path)).as(source).isEqualTo(1);
        }

        // and nothing was lost or left half-written: the rows and files of a local run
        Path reference = this.work.resolve("local");
        long local = localReference(reference);
        assertThat(fetchItems(second)).containsExactlyElementsOf(fetchItems(local));
        assertThat(files(dir)).isEqualTo(files(reference));
    }

    /**
     * The latest execution of the run once partition 1 recorded 3 of its sources, else
     * null.
     */
    private Long donePartitionOne() {
        List<Long> executions = RunRecords.executions(this.run);
        if (executions.isEmpty()) {
            return null;
        }
        long execution = executions.get(executions.size() - 1);
        Integer done = RemoteFixture.JDBC.queryForObject("""
                SELECT COUNT(*) FROM etl_fetch_item WHERE job_execution_id = ? AND status = 'DONE'
                  AND source LIKE '%/a-%'""", Integer.class, execution);
        boolean owned = !fetchPartitions(execution).isEmpty() && fetchPartitions(execution).get(0).get("pid") != null;
        return done != null && done >= 3 && owned ? execution : null;
    }

    /** Partition steps of the fetch, by name, with the worker that claimed each. */
    private static List<Map<String, Object>> fetchPartitions(long execution) {
        return RemoteFixture.JDBC.queryForList("""
                SELECT s.step_name, s.status, s.write_count, o.pid FROM batch_step_execution s
                LEFT JOIN etl_partition_owner o ON o.step_execution_id = s.step_execution_id
                WHERE s.job_execution_id = ? AND s.step_name LIKE 'fetch-hosts:%' ORDER BY s.step_name""", execution);
    }

    /** Sources recorded DONE by an execution: source to bytes. */
    private static Map<String, Long> fetchedIn(long execution) {
        Map<String, Long> fetched = new TreeMap<>();
        RemoteFixture.JDBC.query("""
                SELECT source, bytes FROM etl_fetch_item WHERE job_execution_id = ? AND status = 'DONE'""", rs -> {
            fetched.put(rs.getString(1), rs.getLong(2));
        }, execution);
        return fetched;
    }

    /**
     * The instance's {@code etl_fetch_item} rows of an execution's instance, by line, as
     * a run records them (the source's host and port left out: the two runs fetch the
     * same paths).
     */
    private static List<Map<String, Object>> fetchItems(long execution) {
        return RemoteFixture.JDBC.queryForList("""
                SELECT f.line, f.source, f.target, f.status, f.attempts, f.bytes, f.sha256, f.http_status, f.error
                FROM etl_fetch_item f JOIN batch_job_execution e ON e.job_instance_id = f.job_instance_id
                WHERE e.job_execution_id = ? ORDER BY f.line""", execution);
    }

    /** Every file under a folder (hidden part files included) and its content. */
    private static Map<String, String> files(Path dir) throws IOException {
        Map<String, String> files = new TreeMap<>();
        try (Stream<Path> all = Files.walk(dir)) {
            for (Path file : all.filter(Files::isRegularFile).toList()) {
                files.put(dir.relativize(file).toString(), Files.readString(file, StandardCharsets.UTF_8));
            }
        }
        return files;
    }

    private static String[] prepend(String first, String[] rest) {
        String[] all = new String[rest.length + 1];
        all[0] = first;
        System.arraycopy(rest, 0, all, 1, rest.length);
        return all;
    }

}
