package dev.batchetl.stats.engine;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Helpers that run the engine the ways the batch steps do. */
final class StatsTestSupport {

    private StatsTestSupport() {
    }

    static Path write(Path dir, String name, String content) throws IOException {
        return write(dir, name, content.getBytes(StandardCharsets.UTF_8));
    }

    static Path write(Path dir, String name, byte[] content) throws IOException {
        Path p = dir.resolve(name);
        Files.write(p, content);
        return p;
    }

    /** The whole file as one range. */
    static FileStats stats(Path file, CsvOptions options, List<BadRow> bad) throws IOException {
        return statsAcc(file, options, bad, CsvRangeReader.DEFAULT_BUFFER).result();
    }

    static FileStats stats(Path file, CsvOptions options) throws IOException {
        return stats(file, options, new ArrayList<>());
    }

    static FileStats stats(Path file) throws IOException {
        return stats(file, CsvOptions.defaults());
    }

    static FileAccumulator statsAcc(Path file, CsvOptions options, List<BadRow> bad, int bufferSize)
            throws IOException {
        CsvHeader h = CsvHeader.read(file, options);
        FileAccumulator acc = new FileAccumulator(h.names());
        try (CsvRangeReader r = CsvRangeReader.open(file, options, h.names().size(),
                new ByteRange(h.dataStart(), Long.MAX_VALUE, h.dataStartLine()),
                ReaderTuning.DEFAULT.withBuffer(bufferSize))) {
            while (r.read(acc, 1000, bad::add) > 0) {
                // keep reading
            }
            if (!r.finished()) {
                throw new AssertionError("reader returned 0 but is not finished");
            }
        }
        return acc;
    }

    /**
     * The ranges of the splitter, each read into its own accumulator, merged in order.
     */
    static FileStats statsSplit(Path file, CsvOptions options, long splitSize, List<BadRow> bad) throws IOException {
        return statsSplit(file, options, splitSize, bad, true);
    }

    /**
     * As above; without lineNumbers the ranges' first lines are left to the readers, as
     * in the step.
     */
    static FileStats statsSplit(Path file, CsvOptions options, long splitSize, List<BadRow> bad, boolean lineNumbers)
            throws IOException {
        CsvHeader h = CsvHeader.read(file, options);
        List<ByteRange> ranges = CsvSplitter.split(file, options, splitSize, lineNumbers);
        FileAccumulator total = new FileAccumulator(h.names());
        for (ByteRange range : ranges) {
            FileAccumulator acc = new FileAccumulator(h.names());
            try (CsvRangeReader r = CsvRangeReader.open(file, options, h.names().size(),
                    new ByteRange(range.start(), range.end(), range.firstLine()))) {
                while (r.read(acc, 7, bad::add) > 0) {
                    // keep reading
                }
            }
            total.merge(acc);
        }
        return total.result();
    }

    /**
     * One range, interrupted every {@code every} records, checkpointed and resumed at
     * offset()/line().
     */
    static FileStats statsResumed(Path file, CsvOptions options, int every, int bufferSize, List<BadRow> bad)
            throws IOException {
        CsvHeader h = CsvHeader.read(file, options);
        int columns = h.names().size();
        FileAccumulator acc = new FileAccumulator(h.names());
        long offset = h.dataStart();
        long line = h.dataStartLine();
        for (;;) {
            try (CsvRangeReader r = CsvRangeReader.open(file, options, columns,
                    new ByteRange(offset, Long.MAX_VALUE, line), ReaderTuning.DEFAULT.withBuffer(bufferSize))) {
                int n = r.read(acc, every, bad::add);
                acc = FileAccumulator.fromBytes(acc.toBytes());
                offset = r.offset();
                line = r.line();
                if (n == 0 || r.finished()) {
                    return acc.result();
                }
            }
        }
    }

    /** A statistic as results.csv shows it. */
    static String fmt(Double value) {
        return ColumnStats.format(value);
    }

    static ColumnStats col(FileStats s, String name) {
        return s.columnStats()
            .stream()
            .filter(c -> c.name().equals(name))
            .findFirst()
            .orElseThrow(() -> new AssertionError("no column " + name));
    }

    static CsvOptions withPolicy(BadRowPolicy policy) {
        CsvOptions d = CsvOptions.defaults();
        return new CsvOptions(d.delimiter(), d.quote(), d.escape(), d.header(), d.encoding(), d.naValues(), policy);
    }

}
