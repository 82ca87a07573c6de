package dev.batchetl.job;

import java.nio.file.Path;
import java.util.regex.Pattern;

/**
 * Keys whose value is a name or id that must match a pattern ({@code run},
 * {@code retry-of}); {@code expected} says what, for the message.
 */
record PatternKind(Pattern pattern, String expected) implements KeyKind {

    /** A run key. */
    static final PatternKind RUN_KEY = new PatternKind(Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:+-]{0,99}"),
            "1 to 100 of A-Z a-z 0-9 . _ : + - (starting with a letter or digit)");

    /** A job execution id. */
    static final PatternKind EXECUTION_ID = new PatternKind(Pattern.compile("[1-9]\\d{0,17}"),
            "a job execution id (see: batch-etl list)");

    @Override
    public String canonical(String raw, Path base) {
        String value = raw.strip();
        if (!this.pattern.matcher(value).matches()) {
            throw new IllegalArgumentException("expected " + this.expected + ", got '" + raw + "'");
        }
        return value;
    }

}
