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
 * after that (see {@link Shutdown}: the JVM does not start its shutdown on the signal).
 * Installed for the duration of one job run. A signal that comes before the execution is
 * running asks for the stop as soon as it is.
 */
final class GracefulStop implements AutoCloseable {

    /**
     * How long a stop may take before the process ends anyway (STOPPING, then recovered
     * as a dead owner's).
     */
    private static final long WAIT_MINUTES = 10;

    private static final long POLL_MILLIS = 100;

    private final CountDownLatch finished = new CountDownLatch(1);

    private final Shutdown.Registration registration;

    GracefulStop(Consumer<JobExecution> requestStop, Supplier<JobExecution> running, PrintStream out) {
        this.registration = Shutdown.process().register(() -> stop(requestStop, running, out), ExitCode.STOPPED);
    }

    /** Whether the run ended in time: if not, the process is halted. */
    private boolean stop(Consumer<JobExecution> requestStop, Supplier<JobExecution> running, PrintStream out)
            throws InterruptedException {
        JobExecution execution = running.get();
        while (execution == null || !execution.isRunning()) {
            if (this.finished.await(POLL_MILLIS, TimeUnit.MILLISECONDS)) {
                return true;
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
            return false;
        }
        return true;
    }

    /** The run is over and its outcome printed. */
    void finished(ExitCode code) {
        this.registration.exitCode(code);
        this.finished.countDown();
    }

    @Override
    public void close() {
        this.registration.close();
    }

}
