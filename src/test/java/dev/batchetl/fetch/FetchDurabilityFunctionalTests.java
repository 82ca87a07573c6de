package dev.batchetl.fetch;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;

import dev.batchetl.EtlCli;
import dev.batchetl.EtlProcess;
import dev.batchetl.TestDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A finished download is durable at once: once a file is complete under its final name,
 * no restart requests it again, whatever the chunk size, and a run killed as soon as each
 * download ends still makes progress and finishes. The work is measured on the test
 * server: how often each source was requested.
 */
class FetchDurabilityFunctionalTests {

    @TempDir
    Path work;

    @RegisterExtension
    final TestHttpServer server = TestHttpServer.start();

    @Test
    void filesCompleteWhenTheProcessIsKilledAreNotRequestedAgain() throws Exception {
        // given: 11 small sources and one that stalls, all in one chunk (fetch-chunk is
        // 16 for 4 threads)
        List<String> paths = new ArrayList<>();
        for (int i = 1; i <= 11; i++) {
            String path = "/small-" + i + ".csv";
            this.server.serve(path, ("a,b\n" + i + ",x\n").getBytes());
            paths.add(path);
        }
        byte[] slow = ("a,b\n" + "1,y\n".repeat(1000)).getBytes();
        this.server.stall("/slow.csv", slow, 100, Duration.ofMinutes(2));
        paths.add("/slow.csv");
        Path sources = sourceList(paths);
        String run = "durable-" + UUID.randomUUID();
        String[] args = { "run", "sources=" + sources, "dir=" + this.work.resolve("data"),
                "output=" + this.work.resolve("results.csv"), "run=" + run, "threads=4" };

        // when: killed once the 11 small files are complete, while the slow one holds the
        // chunk open
        EtlProcess process = EtlProcess.start(this.work, args);
        await().atMost(Duration.ofMinutes(2)).until(() -> completeFiles().size() == 11);
        process.kill();
        List<String> completeAtKill = completeFiles();
        // and restarted with the slow source answering at once
        this.server.serve("/slow.csv", slow);
        EtlCli.Result restarted = EtlCli.run(args);

        // then: the run completes, and no file that was complete at the kill was
        // requested a second time
        assertThat(restarted.exitCode()).as(restarted.toString()).isZero();
        for (int i = 1; i <= 11; i++) {
            assertThat(this.server.requests("/small-" + i + ".csv")).as("requests of small-%d.csv", i).isEqualTo(1);
        }
        assertThat(completeAtKill).hasSize(11);
        assertThat(completeFiles()).hasSize(12);
    }

    @Test
    void aRunKilledAsSoonAsEachFileIsCompleteStillFinishes() throws Exception {
        // given: five sources in one chunk
        List<String> paths = new ArrayList<>();
        for (int i = 1; i <= 5; i++) {
            String path = "/part-" + i + ".csv";
            this.server.serve(path, ("a\n" + i + "\n").getBytes());
            paths.add(path);
        }
        this.server.latency(Duration.ofMillis(300));
        Path sources = sourceList(paths);
        String run = "burst-" + UUID.randomUUID();
        String[] args = { "run", "sources=" + sources, "dir=" + this.work.resolve("data"),
                "output=" + this.work.resolve("results.csv"), "run=" + run, "threads=1" };

        // when: every attempt is killed as soon as one more file is complete than before
        // it started
        int attempts = 0;
        int exit = -1;
        while (attempts < 20) {
            attempts++;
            int before = completeFiles().size();
            EtlProcess process = EtlProcess.start(this.work, args);
            await().atMost(Duration.ofMinutes(2))
                .pollInterval(Duration.ofMillis(5))
                .until(() -> !process.isAlive() || completeFiles().size() > before);
            if (!process.isAlive()) {
                exit = process.waitFor();
                break;
            }
            process.kill();
        }

        // then: each attempt kept what it completed, so the run finished (without durable
        // downloads every attempt
        // is killed before its chunk commits, and it never does): one attempt per file
        // and the last; a kill in the
        // instant between a file's rename and its record costs nothing (the completion
        // record covers it), so a
        // source is requested again only when the kill cut its own request short
        assertThat(exit).as("finished after %d attempts", attempts).isZero();
        assertThat(attempts).isLessThanOrEqualTo(5 + 1);
        for (String path : paths) {
            assertThat(this.server.requests(path)).as("requests of %s", path).isBetween(1, 2);
        }
        assertThat(TestDatabase.jdbc().queryForObject("""
                SELECT COUNT(DISTINCT i.line) FROM etl_fetch_item i
                JOIN batch_job_execution e ON e.job_instance_id = i.job_instance_id
                JOIN batch_job_execution_params p ON p.job_execution_id = e.job_execution_id
                WHERE p.parameter_name = 'run' AND p.parameter_value = ? AND i.status = 'DONE'""", Long.class, run))
            .isEqualTo(5L);
    }

    private Path sourceList(List<String> paths) throws IOException {
        StringBuilder list = new StringBuilder();
        paths.forEach(path -> list.append(this.server.uri(path)).append('\n'));
        return Files.writeString(this.work.resolve("sources.txt"), list);
    }

    /**
     * The downloads complete under their final names (part files are hidden until
     * renamed).
     */
    private List<String> completeFiles() throws IOException {
        Path data = this.work.resolve("data");
        if (!Files.isDirectory(data)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(data)) {
            return files.map(file -> file.getFileName().toString()).filter(name -> !name.startsWith(".")).toList();
        }
    }

}
