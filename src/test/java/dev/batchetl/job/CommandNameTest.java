package dev.batchetl.job;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class CommandNameTest {

	@Test
	void hintsNameTheCommandAsItWasTyped() {
		assertThat(CommandName.detect(null, "target/batch-etl.jar run jobs/sample.properties"))
			.isEqualTo("java -jar target/batch-etl.jar");
		assertThat(CommandName.detect(null, "/opt/my tools/batch-etl.jar restart 4"))
			.isEqualTo("java -jar '/opt/my tools/batch-etl.jar'");
		assertThat(CommandName.detect("bin/batch-etl", "target/batch-etl.jar list")).isEqualTo("bin/batch-etl");
		assertThat(CommandName.detect(null, "dev.batchetl.BatchEtlApplication run")).isEqualTo("batch-etl");
		assertThat(CommandName.detect("  ", null)).isEqualTo("batch-etl");
	}

}
