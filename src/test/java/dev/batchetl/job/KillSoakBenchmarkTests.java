package dev.batchetl.job;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;

import dev.batchetl.EtlProcess;
import dev.batchetl.fetch.TestHttpServer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The kill soak, opt-in (see README, "Benchmarks"):
 * {@code ./mvnw test -Dtest=KillSoakBenchmarkTests -Dkill.soak=true} (with
 * {@code -Dtest.db.url=} for PostgreSQL), a few minutes on 2 cores.
 *
 * <p>
 * Twelve sources of about 2.6 MB each, served by a test server that logs every request
 * with its Range and throttles each response to 1 MB/s, are fetched, summarised and
 * exported by the application in a JVM of its own ({@code threads=4},
 * {@code partitions=2}), which is killed with SIGKILL:
 * <ul>
 * <li><b>soak</b>: {@value #SOAK_KILLS} kills at random moments between the process start
 * and the length of an uninterrupted run, so they fall in the JVM start, the fetch, the
 * statistics and the export; a run that completes before its kill is checked and a new
 * one begins, until the kills are spent;</li>
 * <li><b>burst</b>: {@value #BURST_KILLS} kills each at a random moment 0 to 2.5 s after
 * its process started, as a crash-looping pod does; most land before the job starts, some
 * before an execution records its owner; then the run is left to finish.</li>
 * </ul>
 * Each run must end exactly as an uninterrupted reference run (results.csv and the result
 * tables), no source whose file was complete at a kill may be requested again, and the
 * bytes re-requested and rows re-read must stay within what the downloads and chunks
 * under way at the kills can cost ({@link KillWork}). A table of the work is printed. The
 * seed is printed; {@code -Dkill.seed=N} replays the moments.
 */
@Tag("benchmark")
@EnabledIfSystemProperty(named = "kill.soak", matches = "true")
class KillSoakBenchmarkTests {

    private static final int SOAK_KILLS = 25;

    private static final int BURST_KILLS = 30;

    private static final int BURST_WINDOW_MILLIS = 2500;

    private static final int SOURCES = 12;

    private static final int ROWS_PER_SOURCE = 55_000;

    private static final long THROTTLE = 1_000_000;

    /**
     * What a download under way can lose at a kill, bytes the server sent that were not
     * in its part file yet: half a second of the throttle (the slices the server writes
     * before it sees that the connection is gone, and a client that a loaded machine did
     * not run for a moment) and 512 KiB of socket, HTTP client and downloader buffers.
     */
    static final long SLACK = THROTTLE / 2 + (512 << 10);

    private static final int COMMIT_ROWS = 5000;

    private static final int PARTITIONS = 2;

    @TempDir
    Path work;

    @RegisterExtension
    final TestHttpServer server = TestHttpServer.start();

    private final List<List<String>> table = new ArrayList<>();

    @Test
    void soakAndBurstOfKillsEndAsAnUninterruptedRunAndRedoLittle() throws Exception {
        long seed = Long.getLong("kill.seed", System.nanoTime());
        System.out.println("kill soak seed: " + seed + " (replay with -Dkill.seed=" + seed + ")");
        Random random = new Random(seed);

        // given: twelve sources of a few MB, throttled, resumable
        this.server.latency(Duration.ofMillis(50));
        this.server.throttle(THROTTLE);
        Map<String, Long> sizes = new HashMap<>();
        StringBuilder list = new StringBuilder();
        for (int i = 1; i <= SOURCES; i++) {
            String path = String.format("/source-%02d.csv", i);
            Path file = RunRecords.bigCsv(this.work.resolve("generated-" + i + ".csv"), ROWS_PER_SOURCE, i);
            this.server.serveRanged(path, Files.readAllBytes(file), "\"v" + i + "\"");
            sizes.put(path, Files.size(file));
            list.append(this.server.uri(path)).append('\n');
        }
        Path sources = Files.writeString(this.work.resolve("sources.txt"), list);

        // and an uninterrupted reference run, in a JVM of its own as the killed ones: its
        // length bounds the moments
        String referenceKey = "ref-" + UUID.randomUUID();
        KillWork referenceWork = new KillWork(this.server, sizes, this.work.resolve("ref/data"), referenceKey);
        long started = System.nanoTime();
        EtlProcess referenceProcess = EtlProcess.start(this.work, args(sources, "ref", referenceKey));
        assertThat(referenceProcess.waitFor()).as(referenceProcess.output()).isZero();
        Duration length = Duration.ofNanos(System.nanoTime() - started);
        KillWork.Figures once = referenceWork.measure();
        assertThat(once.requests()).allSatisfy((path, count) -> assertThat(count).as(path).isOne());
        assertThat(once.bytesSent()).isEqualTo(once.dataSize());
        long rowsInData = once.rowsRead();
        assertThat(rowsInData).isEqualTo((long) SOURCES * ROWS_PER_SOURCE);
        long reference = RunRecords.executions(referenceKey).get(0);
        this.table.add(once.line("reference", rowsInData, 1));

        // when: the soak, until its kills are spent
        int kills = 0;
        int runs = 0;
        while (kills < SOAK_KILLS) {
            runs++;
            kills += run(sources, "soak-" + runs, sizes, rowsInData, reference, SOAK_KILLS - kills,
                    () -> Duration.ofMillis(random.nextLong(length.toMillis())));
        }
        // and the burst, then left to finish
        int burst = run(sources, "burst", sizes, rowsInData, reference, BURST_KILLS,
                () -> Duration.ofMillis(random.nextInt(BURST_WINDOW_MILLIS + 1)));

        // then: every kill was spent, every run finished as the reference (checked in
        // run)
        printTable(length);
        assertThat(kills).isEqualTo(SOAK_KILLS);
        assertThat(burst).as("the burst's kills: each run is far longer than its window").isEqualTo(BURST_KILLS);
        System.out
            .println("kill soak: " + kills + " kills over " + runs + " run(s), a burst of " + burst + ", seed " + seed);
    }

    /**
     * One run: started, killed at {@code moment} after each start until {@code maxKills}
     * kills or the run completes, then left to finish and checked. Returns its kills.
     */
    private int run(Path sources, String folder, Map<String, Long> sizes, long rowsInData, long reference, int maxKills,
            java.util.function.Supplier<Duration> moment) throws Exception {
        String runKey = folder + "-" + UUID.randomUUID();
        KillWork work = new KillWork(this.server, sizes, this.work.resolve(folder + "/data"), runKey);
        int kills = 0;
        int attempts = 0;
        while (true) {
            EtlProcess process = EtlProcess.start(this.work, args(sources, folder, runKey));
            attempts++;
            if (kills >= maxKills || process.endsWithin(moment.get())) {
                assertThat(process.waitFor()).as("attempt %d of %s:%n%s", attempts, folder, process.output()).isZero();
                break;
            }
            process.kill();
            kills++;
            work.killed();
        }
        KillRestartFunctionalTests.assertEndedAsReference(this.work.resolve(folder), runKey, this.work.resolve("ref"),
                reference);
        KillWork.Figures figures = work.measure();
        List<String> line = new ArrayList<>(figures.line(folder, rowsInData, attempts));
        line.add(String.format("%,d", figures.underWayAtKills() * SLACK));
        this.table.add(line);
        System.out.println("kill soak run: " + String.join(" | ", line));
        work.assertBounded(figures, rowsInData, SLACK, COMMIT_ROWS, PARTITIONS);
        return kills;
    }

    private void printTable(Duration length) {
        List<String> header = List.of("run", "kills", "kills by phase", "attempts", "requests", "bytes sent / data set",
                "bytes re-requested", "rows read / rows in data", "re-request bound");
        int[] widths = new int[header.size()];
        List<List<String>> rows = new ArrayList<>();
        rows.add(header);
        rows.addAll(this.table);
        rows.forEach(row -> {
            for (int i = 0; i < row.size(); i++) {
                widths[i] = Math.max(widths[i], row.get(i).length());
            }
        });
        StringBuilder out = new StringBuilder(String.format(
                "kill soak: %d sources, %s per response, threads=4, partitions=%d, commit-rows=%d; uninterrupted run %.1f s%n",
                SOURCES, THROTTLE / 1000 + " kB/s", PARTITIONS, COMMIT_ROWS, length.toMillis() / 1000.0));
        for (List<String> row : rows) {
            out.append("| ");
            for (int i = 0; i < widths.length; i++) {
                String cell = i < row.size() ? row.get(i) : "";
                out.append(String.format("%-" + widths[i] + "s | ", cell));
            }
            out.setLength(out.length() - 1);
            out.append('\n');
        }
        System.out.print(out);
    }

    private String[] args(Path sources, String folder, String runKey) {
        return new String[] { "run", "sources=" + sources, "dir=" + this.work.resolve(folder + "/data"),
                "output=" + this.work.resolve(folder + "/results.csv"), "run=" + runKey, "threads=4",
                "partitions=" + PARTITIONS, "commit-rows=" + COMMIT_ROWS };
    }

}
