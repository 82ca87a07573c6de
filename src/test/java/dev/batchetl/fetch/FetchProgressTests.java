package dev.batchetl.fetch;

import java.io.PrintWriter;
import java.io.Writer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The fetch step's progress display with a terminal and a clock of the test's own: what
 * is drawn, in which order with the log lines, and what a person sees once the carriage
 * returns have done their work.
 */
class FetchProgressTests {

    private static final long SECOND = 1_000_000_000L;

    private static final long MIB = 1024 * 1024;

    /**
     * What reaches the screen: the terminal writer's output and the log lines, in the
     * order they were written.
     */
    private final StringBuilder screen = new StringBuilder();

    private final AtomicLong now = new AtomicLong();

    private final Logger logger = (Logger) LoggerFactory.getLogger(FetchProgress.class);

    private Level level;

    private final AppenderBase<ILoggingEvent> logLines = new AppenderBase<>() {
        @Override
        protected void append(ILoggingEvent event) {
            synchronized (FetchProgressTests.this.screen) {
                FetchProgressTests.this.screen.append(event.getFormattedMessage()).append('\n');
            }
        }
    };

    @BeforeEach
    void captureLog() {
        this.level = this.logger.getLevel();
        this.logger.setLevel(Level.INFO);
        this.logLines.start();
        this.logger.addAppender(this.logLines);
    }

    @AfterEach
    void releaseLog() {
        this.logger.detachAppender(this.logLines);
        this.logger.setLevel(this.level);
    }

    @Test
    void inATerminalTheLineIsRedrawnInPlaceAndEndedBeforeTheSummary() {
        FetchProgress progress = new FetchProgress(new PrintWriter(terminal()), this.now::get, false);
        progress.start(4);

        // 2 s in, 1 of 4 done with 1 MiB: 512 KiB/s; 2 s a file, 3 files to go: ETA 6 s
        this.now.set(2 * SECOND);
        progress.done(item(1), outcome(MIB, false));
        progress.tick();
        String first = "fetch 1/4 files, 1.0 MiB, 512.0 KiB/s, ETA 6s, 0 failed";
        assertThat(raw()).isEqualTo("fetch: 4 source(s) to fetch\n\r" + first);
        assertThat(visible()).containsExactly("fetch: 4 source(s) to fetch", first);

        // a failure: its log line takes the live line's place instead of running on after
        // it
        progress.failed(item(2), "HTTP 404 Not Found");
        assertThat(visible()).containsExactly("fetch: 4 source(s) to fetch",
                "fetch [2/4] FAILED http://127.0.0.1/2.csv: HTTP 404 Not Found", "");

        // 4 s in: 1 MiB over 4 s = 256 KiB/s; 2 s a file, 2 to go: ETA 4 s
        this.now.set(4 * SECOND);
        progress.tick();
        String second = "fetch 2/4 files, 1.0 MiB, 256.0 KiB/s, ETA 4s, 1 failed";
        assertThat(lastVisible()).isEqualTo(second);

        // 106 s in, a third (not modified, no bytes): 1 MiB / 106 s = 9.66 KiB/s; 106 / 3
        // s a file: ETA 35 s.
        // The line is one character shorter than the one it replaces, on the same screen
        // line
        this.now.set(106 * SECOND);
        progress.done(item(3), outcome(0, true));
        int before = raw().length();
        progress.tick();
        String third = "fetch 3/4 files, 1.0 MiB, 9.7 KiB/s, ETA 35s, 1 failed";
        assertThat(third).hasSize(second.length() - 1);
        assertThat(raw().substring(before)).startsWith("\r" + third).doesNotContain("\n");
        assertThat(lastVisible()).isEqualTo(third);

        // the end: the final line is drawn and ended with a line break, then the summary
        // 2 MiB over 110 s = 18.6 KiB/s; 2 downloaded, 1 not modified, 1 failed
        this.now.set(110 * SECOND);
        progress.done(item(4), outcome(MIB, false));
        progress.stop();
        String last = "fetch 4/4 files, 2.0 MiB, 18.6 KiB/s, ETA 0s, 1 failed";
        String summary = "fetch: 2 done, 1 not modified, 1 failed, 2.0 MiB in 110.0 s (18.6 KiB/s)";
        assertThat(raw()).endsWith("\r" + last + "\n" + summary + "\n");
        assertThat(visible()).containsExactly("fetch: 4 source(s) to fetch",
                "fetch [2/4] FAILED http://127.0.0.1/2.csv: HTTP 404 Not Found", last, summary, "");
        // every live line but the last was ended by the next carriage return, never by a
        // line break
        assertThat(raw().split("\n")).hasSize(4);

        // a tick that comes after the end draws nothing
        progress.tick();
        assertThat(raw()).endsWith(summary + "\n");
    }

    @Test
    void theBytesOfADownloadUnderWayAreCountedBeforeItEnds() {
        java.util.concurrent.atomic.AtomicLong received = new java.util.concurrent.atomic.AtomicLong();
        FetchProgress progress = new FetchProgress(null, this.now::get, false);
        progress.counting(received::get);
        progress.start(1);
        this.now.set(2 * SECOND);
        received.set(6 << 20);
        progress.tick();
        this.now.set(4 * SECOND);
        received.set(12 << 20);
        progress.done(item(1), outcome(12 << 20, false));
        progress.stop();

        assertThat(raw().split("\n")).containsExactly("fetch: 1 source(s) to fetch",
                "fetch 0/1 files, 6.0 MiB, 3.0 MiB/s, ETA ?, 0 failed",
                "fetch: 1 done, 0 not modified, 0 failed, 12.0 MiB in 4.0 s (3.0 MiB/s)");
    }

    @Test
    void withoutATerminalTheSameLineIsLoggedAndNothingIsDrawnInPlace() {
        FetchProgress progress = new FetchProgress(null, this.now::get, false);
        progress.start(2);
        this.now.set(SECOND);
        progress.tick();
        this.now.set(2 * SECOND);
        progress.done(item(1), outcome(2048, false));
        progress.tick();
        progress.failed(item(2), "connection refused");
        this.now.set(4 * SECOND);
        progress.stop();

        assertThat(raw()).doesNotContain("\r");
        assertThat(raw().split("\n")).containsExactly("fetch: 2 source(s) to fetch",
                "fetch 0/2 files, 0 B, 0 B/s, ETA ?, 0 failed", "fetch 1/2 files, 2.0 KiB, 1.0 KiB/s, ETA 2s, 0 failed",
                "fetch [2/2] FAILED http://127.0.0.1/2.csv: connection refused",
                "fetch: 1 done, 0 not modified, 1 failed, 2.0 KiB in 4.0 s (512 B/s)");
    }

    @Test
    void aWarningAboutTheStepTakesTheLiveLinesPlace() {
        FetchProgress progress = new FetchProgress(new PrintWriter(terminal()), this.now::get, false);
        progress.start(10);
        this.now.set(SECOND);
        progress.tick();
        progress.warn("fetch: 4 of 10 sources failed, more than max-failed-sources=3");
        assertThat(visible()).containsExactly("fetch: 10 source(s) to fetch",
                "fetch: 4 of 10 sources failed, more than max-failed-sources=3", "");
        progress.tick();
        assertThat(lastVisible()).isEqualTo("fetch 0/10 files, 0 B, 0 B/s, ETA ?, 0 failed");
    }

    @Test
    void nothingToFetchShowsNothing() {
        FetchProgress progress = new FetchProgress(new PrintWriter(terminal()), this.now::get, false);
        progress.start(0);
        progress.tick();
        progress.stop();
        assertThat(raw()).isEmpty();
    }

    private Writer terminal() {
        return new Writer() {
            @Override
            public void write(char[] chars, int off, int len) {
                synchronized (FetchProgressTests.this.screen) {
                    FetchProgressTests.this.screen.append(chars, off, len);
                }
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
    }

    private String raw() {
        synchronized (this.screen) {
            return this.screen.toString();
        }
    }

    /**
     * The screen's lines as a terminal shows them: a carriage return goes back to the
     * line's start and overwrites.
     */
    private List<String> visible() {
        List<String> lines = new ArrayList<>();
        StringBuilder line = new StringBuilder();
        int column = 0;
        for (char c : raw().toCharArray()) {
            if (c == '\r') {
                column = 0;
            }
            else if (c == '\n') {
                lines.add(line.toString().stripTrailing());
                line.setLength(0);
                column = 0;
            }
            else {
                if (column < line.length()) {
                    line.setCharAt(column, c);
                }
                else {
                    line.append(c);
                }
                column++;
            }
        }
        lines.add(line.toString().stripTrailing());
        return lines;
    }

    private String lastVisible() {
        List<String> lines = visible();
        return lines.get(lines.size() - 1);
    }

    private static FetchItem item(int line) {
        return new FetchItem(1, line, "http://127.0.0.1/" + line + ".csv", line + ".csv", null);
    }

    private static FetchOutcome outcome(long bytes, boolean notModified) {
        return new FetchOutcome(bytes, "0".repeat(64), notModified ? 304 : 200, null, null, 1, Duration.ofMillis(5),
                notModified);
    }

}
