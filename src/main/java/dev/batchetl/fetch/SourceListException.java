package dev.batchetl.fetch;

import java.nio.file.Path;

/**
 * A source list that cannot be read or that holds an invalid line. The message is
 * {@code "<file>:<line>: <reason>"}; a line number of 0 or less means the file as a whole
 * (for example when it cannot be read) and gives {@code "<file>: <reason>"}.
 */
public final class SourceListException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final transient Path file;

    private final int line;

    private final String reason;

    public SourceListException(Path file, int line, String reason) {
        this(file, line, reason, null);
    }

    SourceListException(Path file, int line, String reason, Throwable cause) {
        super(line > 0 ? file + ":" + line + ": " + reason : file + ": " + reason, cause);
        this.file = file;
        this.line = line;
        this.reason = reason;
    }

    /** The list file. */
    public Path file() {
        return file;
    }

    /** The 1-based line number, or 0 when the problem concerns the file as a whole. */
    public int line() {
        return line;
    }

    /** What is wrong, without file and line. */
    public String reason() {
        return reason;
    }

}
