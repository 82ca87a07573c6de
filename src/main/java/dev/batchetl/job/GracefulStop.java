package dev.batchetl.job;

import java.io.PrintStream;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Supplier;

import org.springframework.batch.core.job.JobExecution;

/**
 * SIGTERM or Ctrl-C while a job runs: asks the job to stop at its next chunk boundary
 * (the execution ends STOPPED and can be restarted). The run then ends as any run does,
 * with its summary and its exit code (4 for stopped), and the database is closed only
 * after that (see {@link StopSignals}: the JVM does not start its shutdown on the
 * signal). Installed for the duration of one job run. A signal that comes before the
 * execution is running asks for the stop as soon as it is.
 */
final class GracefulStop implements AutoCloseable {

    /**
     * How long a stop may take before the process ends anyway (STOPPING, then recovered
     * as a dead owner's).
     */
    private static final long WAIT_MINUTES = 10;

    private static final long POLL_MILLIS = 100;

    private final StopSignals signals;

    private final CountDownLatch finished = new CountDownLatch(1);

    private volatile int exitCode = ExitCode.STOPPED.code();

    GracefulStop(Consumer<JobExecution> requestStop, Supplier<JobExecution> running, PrintStream out) {
        this.signals = StopSignals.install(() -> stop(requestStop, running, out));
    }

    private void stop(Consumer<JobExecution> requestStop, Supplier<JobExecution> running, PrintStream out) {
        try {
            JobExecution execution = running.get();
            while (execution == null || !execution.isRunning()) {
                if (this.finished.await(POLL_MILLIS, TimeUnit.MILLISECONDS)) {
                    return;
                }
                execution = running.get();
            }
            out.println("stop requested: execution " + execution.getId()
                    + " stops at its next chunk boundary, then it can be restarted");
            out.flush();
            try {
                requestStop.accept(execution);
            }
            catch (Exception ex) {
                out.println("could not request the stop: " + ex.getMessage());
            }
            if (!this.finished.await(WAIT_MINUTES, TimeUnit.MINUTES)) {
                out.println("the run did not stop within " + WAIT_MINUTES + " minutes: ending the process");
                out.flush();
                System.err.flush();
                Runtime.getRuntime().halt(this.exitCode);
            }
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
    }

    /** The run is over and its outcome printed. */
    void finished(ExitCode code) {
        this.exitCode = code.code();
        this.finished.countDown();
    }

    @Override
    public void close() {
        this.signals.close();
    }

}
