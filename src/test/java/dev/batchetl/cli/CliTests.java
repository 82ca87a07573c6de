package dev.batchetl.cli;

import java.nio.file.Files;
import java.nio.file.Path;

import dev.batchetl.EtlCli;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/** Usage errors end before any database is touched: one line on standard error, exit code 2. */
class CliTests {

	@TempDir
	Path work;

	@Test
	void anUnknownKeyIsAUsageError() {
		EtlCli.Result result = EtlCli.runWithout("run", "dir=" + this.work, "thread=4");
		assertThat(result.exitCode()).isEqualTo(2);
		assertThat(result.err()).isEqualTo("error: unknown key 'thread'\n");
	}

	@Test
	void aValueOfTheWrongTypeIsAUsageError() {
		EtlCli.Result result = EtlCli.runWithout("run", "threads=many");
		assertThat(result.exitCode()).isEqualTo(2);
		assertThat(result.err()).isEqualTo("error: threads: expected a whole number from 1 to 1024, got 'many'\n");
		assertThat(EtlCli.runWithout("run", "split-size=big").exitCode()).isEqualTo(2);
		assertThat(EtlCli.runWithout("run", "bad-rows=ignore").exitCode()).isEqualTo(2);
		assertThat(EtlCli.runWithout("run", "run=../x").exitCode()).isEqualTo(2);
	}

	@Test
	void aMissingFileIsAUsageError() {
		EtlCli.Result sources = EtlCli.runWithout("run", "sources=" + this.work.resolve("nope.txt"));
		assertThat(sources.exitCode()).isEqualTo(2);
		assertThat(sources.err()).startsWith("error: sources: no such file: ").contains("nope.txt");
		EtlCli.Result definition = EtlCli.runWithout("run", this.work.resolve("jobs/missing.properties").toString());
		assertThat(definition.exitCode()).isEqualTo(2);
		assertThat(definition.err()).startsWith("error: job definition not found: ");
	}

	@Test
	void aDefinitionFileIsCheckedLikeTheCommandLine() throws Exception {
		Path definition = Files.writeString(this.work.resolve("nightly.properties"), "dir=data\npartitions=0\n");
		EtlCli.Result result = EtlCli.runWithout("run", definition.toString());
		assertThat(result.exitCode()).isEqualTo(2);
		assertThat(result.err()).startsWith("error: partitions: expected a whole number").contains("nightly.properties");
	}

	@Test
	void aBadSourceListIsAUsageErrorNamingItsLine() throws Exception {
		Path list = Files.writeString(this.work.resolve("urls.txt"), "# list\nhttp://127.0.0.1/a.csv\nftp://x/b.csv\n");
		EtlCli.Result result = EtlCli.runWithout("run", "sources=" + list);
		assertThat(result.exitCode()).isEqualTo(2);
		assertThat(result.err()).startsWith("error: ").contains("urls.txt:3: ");
		assertThat(result.err().lines()).hasSize(1);
	}

	@Test
	void unknownCommandsAndRestartWithoutIdAreUsageErrors() {
		assertThat(EtlCli.runWithout("launch").exitCode()).isEqualTo(2);
		assertThat(EtlCli.runWithout().exitCode()).isEqualTo(2);
		assertThat(EtlCli.runWithout("restart").exitCode()).isEqualTo(2);
		assertThat(EtlCli.runWithout("restart", "x1").err()).contains("positive whole number");
	}

	@Test
	void helpListsTheCommandsAndEveryKey() {
		EtlCli.Result result = EtlCli.runWithout("help");
		assertThat(result.exitCode()).isZero();
		assertThat(result.out()).contains("run [DEFINITION]", "restart EXECUTION_ID", "sources", "partitions",
				"split-size", "bad-rows");
	}

}
