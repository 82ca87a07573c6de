package dev.batchetl.job;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;

import dev.batchetl.EtlCli;
import dev.batchetl.EtlProcess;
import dev.batchetl.fetch.TestHttpServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The job is killed with SIGKILL at random moments and restarted until it completes; it
 * must end exactly as an uninterrupted run of the same sources: same results.csv, same
 * tables, no duplicate. And it must not get there by doing the work again: no source
 * whose file was complete at a kill is requested again, and the bytes re-requested and
 * the rows re-read stay within what the downloads and the chunks under way at the kills
 * can cost ({@link KillWork}). The seed is printed; {@code -Dkill.seed=N} replays a run.
 */
class KillRestartFunctionalTests {

    private static final int KILLS = 5;

    private static final int COMMIT_ROWS = 2000;

    private static final int PARTITIONS = 2;

    /**
     * Bytes per second of each response: the big source takes seconds, and little is
     * under way in buffers.
     */
    private static final long THROTTLE = 4_000_000;

    /**
     * What a download under way can lose at a kill, bytes the server sent that were not
     * in its part file yet: half a second of the throttle (the slices the server writes
     * before it sees that the connection is gone, and a client that a loaded machine did
     * not run for a moment) and 512 KiB of socket, HTTP client and downloader buffers.
     */
    static final long SLACK = THROTTLE / 2 + (512 << 10);

    @TempDir
    Path work;

    @RegisterExtension
    final TestHttpServer server = TestHttpServer.start();

    @Test
    void killedAtRandomMomentsTheRunEndsAsAnUninterruptedOne() throws Exception {
        long seed = Long.getLong("kill.seed", System.nanoTime());
        System.out.println("kill test seed: " + seed + " (replay with -Dkill.seed=" + seed + ")");
        Random random = new Random(seed);

        // given: several small files and a large one, served with latency, throttled,
        // resumable
        this.server.latency(Duration.ofMillis(100));
        this.server.throttle(THROTTLE);
        List<String> paths = new ArrayList<>();
        Map<String, Long> sizes = new HashMap<>();
        for (int i = 1; i <= 8; i++) {
            String path = "/small-" + i + ".csv";
            byte[] body = CsvFixture.orders(100 + i, 200 + 50 * i).bytes();
            this.server.serveRanged(path, body, "\"s" + i + "\"");
            paths.add(path);
            sizes.put(path, (long) body.length);
        }
        Path big = RunRecords.bigCsv(this.work.resolve("big-source.csv"), 300_000, 5);
        this.server.serveRanged("/big.csv", Files.readAllBytes(big), "\"big\"");
        paths.add("/big.csv");
        sizes.put("/big.csv", Files.size(big));
        StringBuilder list = new StringBuilder();
        paths.forEach(path -> list.append(this.server.uri(path)).append('\n'));
        Path sources = Files.writeString(this.work.resolve("sources.txt"), list);

        // and an uninterrupted reference run, which requests each source once and sends
        // the data set once
        String referenceKey = "ref-" + UUID.randomUUID();
        KillWork referenceWork = new KillWork(this.server, sizes, this.work.resolve("ref/data"), referenceKey);
        EtlCli.Result reference = EtlCli.run(args(sources, "ref", referenceKey));
        assertThat(reference.exitCode()).as(reference.toString()).isZero();
        KillWork.Figures once = referenceWork.measure();
        assertThat(once.requests()).allSatisfy((path, count) -> assertThat(count).as(path).isOne());
        assertThat(once.bytesSent()).isEqualTo(once.dataSize());
        long rowsInData = once.rowsRead();
        assertThat(rowsInData).isEqualTo(300_000 + 8 * 200 + 50 * 36);
        Map<String, Integer> requests = requestCounts(paths);

        // when: runs are killed at random moments and restarted until they complete
        int kills = 0;
        int completed = 0;
        while (kills < KILLS) {
            String runKey = "kill-" + UUID.randomUUID();
            String folder = "run" + completed;
            KillWork work = new KillWork(this.server, sizes, this.work.resolve(folder + "/data"), runKey);
            int attempts = 0;
            while (true) {
                int executions = RunRecords.executions(runKey).size();
                EtlProcess process = EtlProcess.start(this.work, args(sources, folder, runKey));
                attempts++;
                // the moment counts from the attempt's execution: a JVM start takes
                // seconds, and many more on a
                // loaded machine, where moments counted from the process start all fell
                // before the job
                await().atMost(Duration.ofMinutes(2))
                    .pollInterval(Duration.ofMillis(20))
                    .until(() -> !process.isAlive() || RunRecords.executions(runKey).size() > executions);
                Duration moment = Duration.ofMillis(random.nextInt(7000));
                if (process.endsWithin(moment) || kills >= KILLS) {
                    assertThat(process.waitFor()).as(process.output()).isZero();
                    break;
                }
                process.kill();
                kills++;
                work.killed();
            }

            // then: this run ended exactly as the reference
            completed++;
            assertEndedAsReference(this.work.resolve(folder), runKey, this.work.resolve("ref"),
                    reference.executionId());
            // and did little of the work again
            KillWork.Figures figures = work.measure();
            System.out.println("kill test work: " + String.join(" | ", figures.line(folder, rowsInData, attempts))
                    + " | downloads under way at kills " + figures.underWayAtKills());
            work.assertBounded(figures, rowsInData, SLACK, COMMIT_ROWS, PARTITIONS);
            Map<String, Integer> finalCounts = requestCounts(paths);
            for (String path : paths) {
                assertThat(finalCounts.get(path)).isGreaterThan(requests.get(path));
            }
            requests = finalCounts;
        }
        System.out.println("kill test: " + kills + " kills over " + completed + " completed run(s), seed " + seed);
    }

    /**
     * The run ended exactly as the reference: its last execution completed and the others
     * failed or stopped, the same results.csv and no temporary file left in
     * {@code folder}, the same file, column and source tables.
     */
    static void assertEndedAsReference(Path folder, String runKey, Path referenceFolder, long reference)
            throws IOException {
        List<Long> executions = RunRecords.executions(runKey);
        long last = executions.get(executions.size() - 1);
        assertThat(RunRecords.status(last)).isEqualTo("COMPLETED");
        executions.subList(0, executions.size() - 1)
            .forEach(id -> assertThat(RunRecords.status(id)).as("execution %d", id).isIn("FAILED", "STOPPED"));
        assertThat(Files.readString(folder.resolve("results.csv")))
            .isEqualTo(Files.readString(referenceFolder.resolve("results.csv")));
        try (var left = Files.list(folder)) {
            assertThat(left.map(p -> p.getFileName().toString())).as("no temporary file left")
                .noneMatch(name -> name.endsWith(".tmp"));
        }
        assertThat(RunRecords.fileStats(last)).containsExactlyElementsOf(RunRecords.fileStats(reference));
        assertThat(RunRecords.columnStats(last)).containsExactlyElementsOf(RunRecords.columnStats(reference));
        assertThat(withoutSource(RunRecords.sources(last)))
            .containsExactlyElementsOf(withoutSource(RunRecords.sources(reference)));
    }

    private String[] args(Path sources, String folder, String runKey) {
        return new String[] { "run", "sources=" + sources, "dir=" + this.work.resolve(folder + "/data"),
                "output=" + this.work.resolve(folder + "/results.csv"), "run=" + runKey, "threads=3",
                "partitions=" + PARTITIONS, "commit-rows=" + COMMIT_ROWS, "split-size=4MB" };
    }

    private Map<String, Integer> requestCounts(List<String> paths) {
        Map<String, Integer> counts = new HashMap<>();
        paths.forEach(path -> counts.put(path, this.server.requests(path)));
        return counts;
    }

    private static List<Map<String, Object>> withoutSource(List<Map<String, Object>> sources) {
        return sources.stream().map(row -> {
            Map<String, Object> copy = new HashMap<>(row);
            copy.remove("source");
            return (Map<String, Object>) copy;
        }).toList();
    }

}
