package dev.batchetl.job;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import dev.batchetl.BatchEtlApplication;
import dev.batchetl.EtlCli;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * With no database configured the application uses an embedded database in the working folder: the sample job runs
 * on a fresh machine, offline, and its run key is remembered there. A database that cannot be reached is exit 2.
 */
class EmbeddedDefaultFunctionalTests {

	@TempDir
	Path work;

	@Test
	void theSampleJobRunsOnTheEmbeddedDefault() throws Exception {
		// given: the sample definition, run from an empty folder with nothing configured
		Path sample = Path.of("jobs/sample.properties").toAbsolutePath();
		List<String> args = List.of("run", sample.toString(), "dir=" + this.work.resolve("data"),
				"output=" + this.work.resolve("results.csv"), "run=first");

		// when
		Process first = launch(args);

		// then: it completes, the embedded database sits in the working folder, and results.csv has every sample file
		String out = output(first);
		assertThat(first.exitValue()).as(out).isZero();
		assertThat(this.work.resolve(".batch-etl/repository.mv.db")).exists();
		List<String[]> csv = EtlJobFunctionalTests.readCsv(this.work.resolve("results.csv"));
		List<String> expectedFiles;
		try (var files = Files.list(Path.of("input-data"))) {
			expectedFiles = files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".csv")).sorted().toList();
		}
		assertThat(csv.stream().skip(1).map(row -> row[0]).distinct()).containsExactlyElementsOf(expectedFiles);
		assertThat(csv.stream().skip(1)).allSatisfy(row -> assertThat(row[row.length - 1]).isEmpty());

		// and the same run key again is a no-op success, from the same embedded database
		Process again = launch(args);
		String againOut = output(again);
		assertThat(again.exitValue()).as(againOut).isZero();
		assertThat(againOut).contains("sample run=first already completed");
	}

	@Test
	void remotePartitioningIsRefusedOnTheEmbeddedDatabase() {
		EtlCli.Result result = EtlCli.runWithout("run", "dir=" + this.work.resolve("data"), "partitioning=remote",
				"--spring.datasource.url=jdbc:h2:file:" + this.work.resolve("repository")
						+ ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH");
		assertThat(result.exitCode()).as(result.toString()).isEqualTo(2);
		assertThat(result.err()).startsWith("error: partitioning=remote needs a job repository every worker reaches");
	}

	@Test
	void aDatabaseThatCannotBeReachedIsOneLineAndExitTwo() throws IOException {
		int port;
		try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
			port = socket.getLocalPort();
		}
		EtlCli.Result result = EtlCli.runWithout("run", "dir=" + this.work,
				"--spring.datasource.url=jdbc:postgresql://127.0.0.1:" + port + "/etl");
		assertThat(result.exitCode()).isEqualTo(2);
		assertThat(result.err()).startsWith("error: cannot use the database: ").contains("refused");
		assertThat(result.err().lines()).hasSize(1);
	}

	private Process launch(List<String> args) throws IOException {
		List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
				"-cp", System.getProperty("java.class.path"), BatchEtlApplication.class.getName()));
		command.addAll(args);
		return new ProcessBuilder(command).directory(this.work.toFile()).redirectErrorStream(true).start();
	}

	private static String output(Process process) throws Exception {
		byte[] bytes = process.getInputStream().readAllBytes();
		assertThat(process.waitFor(120, TimeUnit.SECONDS)).isTrue();
		return new String(bytes, StandardCharsets.UTF_8);
	}

}
