package dev.batchetl.progress;

import java.io.Console;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import org.slf4j.Logger;

/**
 * A step's progress line: in an interactive terminal drawn in place every half second (a
 * log line makes way for it with {@link #clear}); otherwise logged every 5 seconds. The
 * text comes from the step ({@code line}); ticks come from a thread of its own, or from
 * the caller (tests, with a clock of their own). Callers synchronize on this object
 * around {@link #clear} and their own log lines, so that the two never interleave.
 */
public final class LiveLine {

    private static final Duration DRAW_EVERY = Duration.ofMillis(500);

    private static final Duration LOG_EVERY = Duration.ofSeconds(5);

    private final PrintWriter terminal;

    private final Logger log;

    private final Supplier<String> line;

    private boolean running;

    /** Length of the line on the terminal, 0 when none is shown. */
    private int shown;

    private ScheduledExecutorService ticker;

    /**
     * @param terminal where the line is drawn, or null to log it instead (see
     * {@link #terminal()})
     * @param log where it is logged without a terminal
     * @param line the text of the line, asked at every tick; null while there is nothing
     * to show
     */
    public LiveLine(PrintWriter terminal, Logger log, Supplier<String> line) {
        this.terminal = terminal;
        this.log = log;
        this.line = line;
    }

    /** The interactive terminal this process writes to, or null. */
    public static PrintWriter terminal() {
        Console console = System.console();
        return console == null ? null : console.writer();
    }

    /**
     * Starts showing the line; with {@code ticking}, a daemon thread named
     * {@code threadName} ticks.
     */
    public synchronized void start(String threadName, boolean ticking) {
        this.running = true;
        if (!ticking) {
            return;
        }
        long period = (this.terminal != null ? DRAW_EVERY : LOG_EVERY).toMillis();
        this.ticker = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, threadName);
            t.setDaemon(true);
            return t;
        });
        this.ticker.scheduleAtFixedRate(this::tick, period, period, TimeUnit.MILLISECONDS);
    }

    /**
     * Redraws the line in place, or logs it; nothing once stopped (the ticker may have
     * waited for the lock).
     */
    public synchronized void tick() {
        String text = this.running ? this.line.get() : null;
        if (text == null) {
            return; // stopped, or nothing to show yet
        }
        if (this.terminal != null) {
            draw(text);
        }
        else {
            this.log.info(text);
        }
    }

    /** Whether it is showing (started and not stopped). */
    public synchronized boolean running() {
        return this.running;
    }

    /**
     * Stops: in a terminal the line is drawn a last time (if {@code redraw} or shown) and
     * ended with a line break.
     */
    public synchronized void stop(boolean redraw) {
        if (!this.running) {
            return;
        }
        this.running = false;
        if (this.ticker != null) {
            this.ticker.shutdownNow();
            this.ticker = null;
        }
        String text = this.line.get();
        if (this.terminal != null && text != null && (redraw || this.shown > 0)) {
            draw(text);
            this.terminal.print("\n");
            this.terminal.flush();
            this.shown = 0;
        }
    }

    /**
     * Blanks the line and leaves the cursor at its start, so that a log line can take its
     * place.
     */
    public synchronized void clear() {
        if (this.terminal != null && this.shown > 0) {
            this.terminal.print("\r" + " ".repeat(this.shown) + "\r");
            this.terminal.flush();
            this.shown = 0;
        }
    }

    /**
     * Draws {@code text} over the line: back to its start, blanking what is left of a
     * longer one.
     */
    private void draw(String text) {
        this.terminal.print("\r" + text + " ".repeat(Math.max(0, this.shown - text.length())));
        this.terminal.flush();
        this.shown = text.length();
    }

    /** {@code 512 B}, {@code 2.0 KiB}, {@code 132.7 MiB}. */
    public static String size(long n) {
        if (n < 1024) {
            return n + " B";
        }
        if (n < 1024 * 1024) {
            return String.format(Locale.ROOT, "%.1f KiB", n / 1024.0);
        }
        return String.format(Locale.ROOT, "%.1f MiB", n / (1024.0 * 1024));
    }

}
