package dev.batchetl;

import dev.batchetl.cli.Launcher;

import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * batch-etl: fetch sources, compute CSV statistics, export the results. The process exit code drives the scheduler's
 * workflow, so {@code main} ends in {@code System.exit} with the code of the command (see {@link Launcher}).
 */
@SpringBootApplication
public class BatchEtlApplication {

	public static void main(String[] args) {
		System.exit(Launcher.launch(BatchEtlApplication.class, args, System.out, System.err));
	}

}
