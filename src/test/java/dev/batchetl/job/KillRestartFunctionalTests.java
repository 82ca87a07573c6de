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

import dev.batchetl.EtlCli;
import dev.batchetl.EtlProcess;
import dev.batchetl.fetch.TestHttpServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The job is killed with SIGKILL at random moments and restarted until it completes; it must end exactly as an
 * uninterrupted run of the same sources: same results.csv, same tables, no duplicate, and no source that was
 * committed as fetched requested again. The seed is printed; {@code -Dkill.seed=N} replays a run.
 */
class KillRestartFunctionalTests {

	private static final int KILLS = 5;

	@TempDir
	Path work;

	@RegisterExtension
	final TestHttpServer server = TestHttpServer.start();

	@Test
	void killedAtRandomMomentsTheRunEndsAsAnUninterruptedOne() throws Exception {
		long seed = Long.getLong("kill.seed", System.nanoTime());
		System.out.println("kill test seed: " + seed + " (replay with -Dkill.seed=" + seed + ")");
		Random random = new Random(seed);

		// given: several small files and a large one, served with latency, resumable
		this.server.latency(Duration.ofMillis(100));
		List<String> paths = new ArrayList<>();
		for (int i = 1; i <= 8; i++) {
			String path = "/small-" + i + ".csv";
			this.server.serveRanged(path, CsvFixture.orders(100 + i, 200 + 50 * i).bytes(), "\"s" + i + "\"");
			paths.add(path);
		}
		Path big = RunRecords.bigCsv(this.work.resolve("big-source.csv"), 300_000, 5);
		this.server.serveRanged("/big.csv", Files.readAllBytes(big), "\"big\"");
		paths.add("/big.csv");
		StringBuilder list = new StringBuilder();
		paths.forEach(path -> list.append(this.server.uri(path)).append('\n'));
		Path sources = Files.writeString(this.work.resolve("sources.txt"), list);

		// and an uninterrupted reference run
		EtlCli.Result reference = EtlCli.run(args(sources, "ref", "ref-" + UUID.randomUUID()));
		assertThat(reference.exitCode()).as(reference.toString()).isZero();
		Map<String, Integer> requests = requestCounts(paths);

		// when: runs are killed at random moments and restarted until they complete
		int kills = 0;
		int completed = 0;
		while (kills < KILLS) {
			String runKey = "kill-" + UUID.randomUUID();
			String folder = "run" + completed;
			Map<String, Integer> doneAtKill = new HashMap<>();
			while (true) {
				EtlProcess process = EtlProcess.start(this.work, args(sources, folder, runKey));
				Duration moment = Duration.ofMillis(1500 + random.nextInt(4500));
				if (process.endsWithin(moment) || kills >= KILLS) {
					assertThat(process.waitFor()).as(process.output()).isZero();
					break;
				}
				process.kill();
				kills++;
				// what was committed as fetched by now must never be requested again
				Map<String, Integer> counts = requestCounts(paths);
				for (String source : RunRecords.JDBC.queryForList("""
						SELECT i.source FROM etl_fetch_item i JOIN batch_job_execution e
						  ON e.job_instance_id = i.job_instance_id
						JOIN batch_job_execution_params p ON p.job_execution_id = e.job_execution_id
						WHERE p.parameter_name = 'run' AND p.parameter_value = ? AND i.status = 'DONE'""", String.class,
						runKey)) {
					String path = source.substring(source.indexOf('/', "http://".length()));
					doneAtKill.putIfAbsent(path, counts.get(path));
				}
			}

			// then: this run ended exactly as the reference
			completed++;
			List<Long> executions = RunRecords.executions(runKey);
			long last = executions.get(executions.size() - 1);
			assertThat(RunRecords.status(last)).isEqualTo("COMPLETED");
			executions.subList(0, executions.size() - 1)
				.forEach(id -> assertThat(RunRecords.status(id)).as("execution %d", id).isIn("FAILED", "STOPPED"));
			assertThat(Files.readString(this.work.resolve(folder + "/results.csv")))
				.isEqualTo(Files.readString(this.work.resolve("ref/results.csv")));
			try (var left = Files.list(this.work.resolve(folder))) {
				assertThat(left.map(p -> p.getFileName().toString())).as("no temporary file left")
					.noneMatch(name -> name.endsWith(".tmp"));
			}
			assertThat(RunRecords.fileStats(last)).containsExactlyElementsOf(RunRecords.fileStats(reference.executionId()));
			assertThat(RunRecords.columnStats(last))
				.containsExactlyElementsOf(RunRecords.columnStats(reference.executionId()));
			assertThat(withoutSource(RunRecords.sources(last)))
				.containsExactlyElementsOf(withoutSource(RunRecords.sources(reference.executionId())));
			Map<String, Integer> finalCounts = requestCounts(paths);
			doneAtKill.forEach((path, count) -> assertThat(finalCounts.get(path))
				.as("requests of %s, committed as fetched before a kill", path)
				.isEqualTo(count));
			for (String path : paths) {
				assertThat(finalCounts.get(path)).isGreaterThan(requests.get(path));
			}
			requests = finalCounts;
		}
		System.out.println("kill test: " + kills + " kills over " + completed + " completed run(s), seed " + seed);
	}

	private String[] args(Path sources, String folder, String runKey) {
		return new String[] { "run", "sources=" + sources, "dir=" + this.work.resolve(folder + "/data"),
				"output=" + this.work.resolve(folder + "/results.csv"), "run=" + runKey, "threads=3", "partitions=2",
				"commit-rows=2000", "split-size=4MB" };
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
