package dev.batchetl.fetch;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;

import dev.batchetl.EtlCli;
import dev.batchetl.TestDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.jdbc.core.JdbcTemplate;

import static dev.batchetl.fetch.DownloaderTests.randomBytes;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Key {@code rate-limit} through the whole job: the fetch step cannot take less time than
 * the limit allows.
 *
 * <p>
 * The bound, from {@link RateLimiter}: a token bucket of {@code rate} tokens a second
 * with a capacity of one second ({@code rate} tokens), full when the step's downloader is
 * made (before the step starts). Every body byte is paid for before it is written, and a
 * download waits until the bucket is out of debt, so when the last download ends the
 * bucket is not in debt. Whatever came in by then is at most the initial capacity plus
 * what the elapsed time refilled: {@code total <= rate + rate * elapsed}, so
 * {@code elapsed >= total / rate - 1 s}.
 */
class RateLimitFunctionalTests {

    private static final int FILES = 4;

    private static final int FILE_SIZE = 768 * 1024;

    /** {@code rate-limit=1MB}: sizes count in powers of 1024. */
    private static final long RATE = 1024 * 1024;

    @TempDir
    Path work;

    @RegisterExtension
    final TestHttpServer server = TestHttpServer.start();

    private final JdbcTemplate jdbc = TestDatabase.jdbc();

    private final String run = "rate-" + UUID.randomUUID();

    @Test
    void theFetchStepTakesAtLeastWhatTheRateAllowsAndEveryFileArrivesWhole() throws Exception {
        // .bin files: downloaded, and left alone by the statistics step
        byte[][] bodies = new byte[FILES][];
        StringBuilder list = new StringBuilder();
        for (int i = 0; i < FILES; i++) {
            bodies[i] = randomBytes(FILE_SIZE, 100 + i);
            this.server.serve("/part-" + i + ".bin", bodies[i]);
            list.append(this.server.uri("/part-" + i + ".bin")).append('\n');
        }
        Path sources = Files.writeString(this.work.resolve("sources.txt"), list);
        long total = (long) FILES * FILE_SIZE;
        // total / rate - the one second of burst the bucket starts with: 3 MiB at 1 MiB/s
        // -> 2 s
        Duration bound = Duration.ofNanos((long) ((double) total / RATE * 1e9) - 1_000_000_000L);
        assertThat(bound).isEqualTo(Duration.ofSeconds(2));

        Path limitedData = this.work.resolve("limited");
        EtlCli.Result limited = EtlCli.run("run", "sources=" + sources, "dir=" + limitedData,
                "output=" + this.work.resolve("limited.csv"), "run=" + this.run + "-limited", "threads=4",
                "rate-limit=1MB");

        assertThat(limited.exitCode()).as(limited.toString()).isZero();
        assertAllArrived(limitedData, bodies);
        Duration limitedTime = fetchStepTime(limited.executionId());
        assertThat(limitedTime).as("fetch step with rate-limit=1MB").isGreaterThanOrEqualTo(bound);
        // downloads ran at once, sharing the one rate: at least two of them overlapped,
        // by
        // the job repository's records (the server's handlers end as soon as a body is in
        // the loopback socket's buffers, so their overlap says nothing). Not all four:
        // the
        // first may take its whole body from the bucket's first second before the last
        // has begun
        List<Map<String, Object>> times = this.jdbc.queryForList(
                "SELECT finished_at, duration_ms FROM etl_source WHERE job_execution_id = ?", limited.executionId());
        assertThat(times).hasSize(FILES);
        long[] ends = times.stream().mapToLong(t -> ((Number) t.get("finished_at")).longValue()).toArray();
        long[] starts = times.stream()
            .mapToLong(t -> ((Number) t.get("finished_at")).longValue() - ((Number) t.get("duration_ms")).longValue())
            .toArray();
        boolean overlapped = false;
        for (int i = 0; i < FILES; i++) {
            for (int j = i + 1; j < FILES; j++) {
                overlapped |= starts[i] < ends[j] && starts[j] < ends[i];
            }
        }
        assertThat(overlapped)
            .as("two downloads at once: starts %s, ends %s", java.util.Arrays.toString(starts),
                    java.util.Arrays.toString(ends))
            .isTrue();

        // the same set without the limit: measured only, for comparison (no bound either
        // way)
        Path freeData = this.work.resolve("free");
        EtlCli.Result free = EtlCli.run("run", "sources=" + sources, "dir=" + freeData,
                "output=" + this.work.resolve("free.csv"), "run=" + this.run + "-free", "threads=4");

        assertThat(free.exitCode()).as(free.toString()).isZero();
        assertAllArrived(freeData, bodies);
        System.out.printf("rate-limit: %d bytes in %d ms with rate-limit=1MB (at least %d ms), %d ms without%n", total,
                limitedTime.toMillis(), bound.toMillis(), fetchStepTime(free.executionId()).toMillis());
    }

    private void assertAllArrived(Path data, byte[][] bodies) throws Exception {
        for (int i = 0; i < FILES; i++) {
            assertThat(Files.readAllBytes(data.resolve("part-" + i + ".bin"))).as("part-" + i).isEqualTo(bodies[i]);
        }
        try (Stream<Path> files = Files.list(data)) {
            assertThat(files).hasSize(FILES);
        }
    }

    /** The fetch step's duration as the job repository recorded it. */
    private Duration fetchStepTime(long execution) {
        Map<String, Object> step = this.jdbc.queryForMap("""
                SELECT start_time, end_time FROM batch_step_execution
                WHERE job_execution_id = ? AND step_name = 'fetch'""", execution);
        return Duration.between(((Timestamp) step.get("start_time")).toLocalDateTime(),
                ((Timestamp) step.get("end_time")).toLocalDateTime());
    }

}
