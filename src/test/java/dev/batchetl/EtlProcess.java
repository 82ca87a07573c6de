package dev.batchetl;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The application in a JVM of its own, as a scheduler starts it: for tests that kill it (SIGKILL), signal it
 * (SIGTERM) or run two at once. Output goes to a file in the given folder.
 */
public final class EtlProcess {

	private final Process process;

	private final Path log;

	private EtlProcess(Process process, Path log) {
		this.process = process;
		this.log = log;
	}

	/** Starts {@code batch-etl ARGS} against the test database, in folder {@code work}. */
	public static EtlProcess start(Path work, String... args) throws IOException {
		List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
				"-Xmx512m", "-cp", System.getProperty("java.class.path"), BatchEtlApplication.class.getName()));
		command.addAll(Arrays.asList(args));
		command.addAll(Arrays.asList(TestDatabase.springArgs()));
		Path log = Files.createTempFile(work, "process-", ".log");
		Process process = new ProcessBuilder(command).directory(work.toFile())
			.redirectErrorStream(true)
			.redirectOutput(log.toFile())
			.start();
		return new EtlProcess(process, log);
	}

	public long pid() {
		return this.process.pid();
	}

	public boolean isAlive() {
		return this.process.isAlive();
	}

	/** SIGKILL: the process gets no chance to record anything. */
	public void kill() throws InterruptedException {
		this.process.destroyForcibly();
		this.process.waitFor(30, TimeUnit.SECONDS);
	}

	/** SIGTERM, as a scheduler or Ctrl-C sends it. */
	public void terminate() {
		this.process.destroy();
	}

	/** Waits up to {@code timeout} for the process to end by itself; true if it did. */
	public boolean endsWithin(java.time.Duration timeout) throws InterruptedException {
		return this.process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
	}

	/** Waits for the process to end and returns its exit code. */
	public int waitFor() throws InterruptedException {
		if (!this.process.waitFor(5, TimeUnit.MINUTES)) {
			this.process.destroyForcibly();
			throw new AssertionError("process did not end within 5 minutes:\n" + output());
		}
		return this.process.exitValue();
	}

	public String output() {
		try {
			return Files.readString(this.log, StandardCharsets.UTF_8);
		}
		catch (IOException ex) {
			return "(no output: " + ex.getMessage() + ")";
		}
	}

}
