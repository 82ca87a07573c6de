package dev.batchetl.job;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * SIGTERM and SIGINT (Ctrl-C) taken by the application while installed, instead of
 * starting the JVM's shutdown. A graceful stop needs the job repository until the
 * execution has recorded STOPPED, and a shutdown would close the embedded H2 database at
 * once: H2 closes it in a shutdown hook of its own, which its {@code AUTO_SERVER} mode
 * (other processes reading the repository while a run goes on) does not let us turn off.
 * So the signal only asks for the stop; the command then ends the ordinary way, its
 * context closed and {@code System.exit} with its exit code. Without these handlers
 * (before they are installed, after they are closed, or when the JVM keeps a signal for
 * itself, as with {@code -Xrs}) a signal ends the JVM as usual. Once a signal came, later
 * ones are ignored until the process ends, closing included: a second Ctrl-C must not
 * turn the stopped run's exit code 4 into the JVM's 130. Installed by {@link Shutdown}
 * only.
 */
final class StopSignals implements AutoCloseable {

    private static final String[] NAMES = { "TERM", "INT" };

    private final Map<Signal, SignalHandler> previous = new LinkedHashMap<>();

    private final AtomicBoolean received = new AtomicBoolean();

    private StopSignals(Runnable onStop) {
        SignalHandler handler = signal -> {
            if (this.received.compareAndSet(false, true)) {
                onStop.run();
            }
        };
        for (String name : NAMES) {
            Signal signal = new Signal(name);
            try {
                this.previous.put(signal, Signal.handle(signal, handler));
            }
            catch (IllegalArgumentException usedByTheJvm) {
                // this signal keeps its usual effect: the JVM ends
            }
        }
    }

    /**
     * Runs {@code onStop} at the first SIGTERM or SIGINT, in a thread of its own (it may
     * block until the stop is done), until {@link #close}.
     */
    static StopSignals install(Runnable onStop) {
        return new StopSignals(onStop);
    }

    /**
     * Gives the signals back to their previous handlers (the JVM's: a signal ends it),
     * unless one came: the process is then ending with the outcome of the stop.
     */
    @Override
    public void close() {
        if (!this.received.get()) {
            this.previous.forEach(Signal::handle);
        }
        this.previous.clear();
    }

}
