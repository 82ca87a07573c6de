package dev.batchetl.schedule;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import org.slf4j.Logger;

/**
 * A print stream whose every line becomes a log event: what a run prints (its key,
 * progress, summary and outcome) goes to the log in schedule mode, so that it carries a
 * time stamp and is structured JSON when JSON logs are asked for.
 */
final class LogLines extends PrintStream {

    LogLines(Logger log) {
        super(new LineLogger(log), true, StandardCharsets.UTF_8);
    }

    private static final class LineLogger extends OutputStream {

        private final Logger log;

        private final ByteArrayOutputStream line = new ByteArrayOutputStream();

        LineLogger(Logger log) {
            this.log = log;
        }

        @Override
        public synchronized void write(int b) {
            if (b == '\n') {
                String text = this.line.toString(StandardCharsets.UTF_8).stripTrailing();
                this.line.reset();
                if (!text.isEmpty()) {
                    this.log.info(text);
                }
            }
            else {
                this.line.write(b);
            }
        }

    }

}
