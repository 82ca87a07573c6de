package dev.batchetl.cli;

import java.io.PrintStream;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Supplier;

import org.springframework.batch.core.job.JobExecution;

/**
 * SIGTERM or Ctrl-C while a job runs: asks the job to stop at its next chunk boundary (the execution ends STOPPED and
 * can be restarted), waits for it, then ends the process with the run's exit code (4 for stopped). Installed for the
 * duration of one job run; Spring's own shutdown hook is off, so the database stays usable until the job has stopped.
 */
final class GracefulStop implements AutoCloseable {

	private static final long WAIT_MINUTES = 10;

	private final Thread hook;

	private final CountDownLatch finished = new CountDownLatch(1);

	private volatile int exitCode = ExitCode.STOPPED.code();

	private volatile boolean signalled;

	GracefulStop(Consumer<JobExecution> requestStop, Supplier<JobExecution> running, PrintStream out) {
		this.hook = new Thread(() -> {
			this.signalled = true;
			JobExecution execution = running.get();
			if (execution != null && execution.isRunning()) {
				out.println("stop requested: execution " + execution.getId()
						+ " stops at its next chunk boundary, then it can be restarted");
				out.flush();
				try {
					requestStop.accept(execution);
				}
				catch (Exception ex) {
					out.println("could not request the stop: " + ex.getMessage());
				}
			}
			try {
				this.finished.await(WAIT_MINUTES, TimeUnit.MINUTES);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
			out.flush();
			System.err.flush();
			Runtime.getRuntime().halt(this.exitCode);
		}, "graceful-stop");
		Runtime.getRuntime().addShutdownHook(this.hook);
	}

	/** The run is over and its outcome printed: a pending signal may now end the process with this code. */
	void finished(ExitCode code) {
		this.exitCode = code.code();
		this.finished.countDown();
	}

	@Override
	public void close() {
		if (!this.signalled) {
			try {
				Runtime.getRuntime().removeShutdownHook(this.hook);
			}
			catch (IllegalStateException shuttingDown) {
				// the hook is running: it ends the process with the exit code given to finished()
			}
		}
	}

}
