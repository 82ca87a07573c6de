package dev.batchetl.cli;

import dev.batchetl.job.EtlRequest;

/** A parsed command line. */
sealed interface Command {

	/** {@code run [DEFINITION] [key=value ...]}. */
	record Run(EtlRequest request, boolean runKeyGiven) implements Command {
	}

	/** {@code restart EXECUTION_ID}. */
	record Restart(long executionId) implements Command {
	}

	/** {@code help}. */
	record Help() implements Command {
	}

}
