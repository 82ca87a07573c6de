package dev.batchetl.stats.engine;

/** A file-fatal problem in a CSV file, at a physical 1-based line number. */
public class CsvFormatException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final long line;

    private final String reason;

    public CsvFormatException(long line, String reason) {
        super("line " + line + ": " + reason);
        this.line = line;
        this.reason = reason;
    }

    public long line() {
        return line;
    }

    public String reason() {
        return reason;
    }

}
