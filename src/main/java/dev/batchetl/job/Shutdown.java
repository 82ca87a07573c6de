package dev.batchetl.job;

import java.util.ArrayList;
import java.util.List;

/**
 * The process's one answer to SIGTERM and Ctrl-C: the parts that must stop cleanly (a
 * running execution, the scheduler, the remote worker) register what to do, the signal
 * runs it, and the process then ends the ordinary way with the command's exit code. The
 * only place that ends the JVM at once ({@link Runtime#halt}): when a part does not stop
 * in time, with the exit code that part registered.
 */
public final class Shutdown {

    private static final Shutdown PROCESS = new Shutdown();

    private final List<Registration> registered = new ArrayList<>();

    private StopSignals signals;

    private boolean signalled;

    private Shutdown() {
    }

    /** The coordinator of this process. */
    public static Shutdown process() {
        return PROCESS;
    }

    /**
     * Registers a part's stop until the registration is closed. The signal handlers are
     * installed while any registration is open (see {@link StopSignals}).
     * @param stop run at the first SIGTERM or SIGINT, in a thread of its own
     * @param ifHalted the exit code to end with should the stop not finish in time
     */
    public synchronized Registration register(Stop stop, ExitCode ifHalted) {
        Registration registration = new Registration(stop, ifHalted);
        this.registered.add(registration);
        if (this.signals == null && !this.signalled) {
            this.signals = StopSignals.install(this::signal);
        }
        return registration;
    }

    private void signal() {
        List<Registration> stopping;
        synchronized (this) {
            this.signalled = true;
            stopping = List.copyOf(this.registered);
        }
        for (Registration registration : stopping) {
            boolean stopped;
            try {
                stopped = registration.stop.stop();
            }
            catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
                return;
            }
            if (!stopped) {
                halt(registration.exitCode);
            }
        }
    }

    private synchronized void unregister(Registration registration) {
        this.registered.remove(registration);
        if (this.registered.isEmpty() && this.signals != null) {
            this.signals.close();
            // once a signal came, its handlers stay: later signals are ignored
            this.signals = this.signalled ? this.signals : null;
        }
    }

    private static void halt(ExitCode code) {
        System.out.flush();
        System.err.flush();
        Runtime.getRuntime().halt(code.code());
    }

    /** What a part does at the signal. */
    @FunctionalInterface
    public interface Stop {

        /**
         * Stops the part, waiting for it up to the part's own limit.
         * @return whether it stopped within that limit; if not, the process is halted
         */
        boolean stop() throws InterruptedException;

    }

    /** A part's registered stop, closed when that part is done. */
    public final class Registration implements AutoCloseable {

        private final Stop stop;

        private volatile ExitCode exitCode;

        private Registration(Stop stop, ExitCode exitCode) {
            this.stop = stop;
            this.exitCode = exitCode;
        }

        /** The exit code to end with should the process be halted from now on. */
        public void exitCode(ExitCode code) {
            this.exitCode = code;
        }

        @Override
        public void close() {
            unregister(this);
        }

    }

}
