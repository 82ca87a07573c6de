package dev.batchetl.stats;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Splits the data part of a CSV file into ranges that start at true row boundaries. */
public final class CsvSplitter {

    private CsvSplitter() {
    }

    /**
     * Splits the data part of a file into ranges of about splitSize bytes, each starting at a true row boundary
     * (quote-aware: a newline inside a quoted field is never a split point). One range when the file is small.
     *
     * <p>Row boundaries depend on the quoting state from the start of the file, so the file is tokenized once from
     * the start (without computing statistics). The last range ends at Long.MAX_VALUE.
     */
    public static List<ByteRange> split(Path file, CsvOptions options, long splitSize) throws IOException {
        if (splitSize <= 0) {
            throw new IllegalArgumentException("splitSize must be positive: " + splitSize);
        }
        CsvHeader header = CsvHeader.read(file, options);
        List<ByteRange> ranges = new ArrayList<>();
        long start = header.dataStart();
        long startLine = header.dataStartLine();
        try (CsvRangeReader reader = CsvRangeReader.open(file, options, header.names().size(), start, Long.MAX_VALUE,
                startLine)) {
            long target = start + splitSize;
            long pending = -1;
            long pendingLine = 0;
            while (reader.skipRecord()) {
                if (pending >= 0) {
                    // another row follows the candidate boundary: it becomes a split point
                    ranges.add(new ByteRange(start, pending, startLine));
                    start = pending;
                    startLine = pendingLine;
                    target = start + splitSize;
                    pending = -1;
                }
                if (reader.offset() >= target) {
                    pending = reader.offset();
                    pendingLine = reader.line();
                }
            }
        }
        ranges.add(new ByteRange(start, Long.MAX_VALUE, startLine));
        return ranges;
    }
}
