package dev.batchetl.stats.engine;

import java.nio.file.Path;

/**
 * Reads one CSV file through the statistics engine as a partition does (chunks,
 * checkpoint after each) and prints the row count and the largest checkpoint: run in a
 * JVM with a small heap by {@link MemoryTests} and by the benchmark.
 */
public final class MemoryProbe {

    private MemoryProbe() {
    }

    public static void main(String[] args) throws Exception {
        Path file = Path.of(args[0]);
        CsvOptions options = CsvOptions.defaults();
        CsvHeader header = CsvHeader.read(file, options);
        FileAccumulator acc = new FileAccumulator(header.names());
        int largest = 0;
        try (CsvRangeReader reader = CsvRangeReader.open(file, options, header.names().size(),
                new ByteRange(header.dataStart(), Long.MAX_VALUE, header.dataStartLine()))) {
            while (reader.read(acc, 50_000, null) > 0) {
                largest = Math.max(largest, acc.toBytes().length);
            }
        }
        FileStats stats = acc.result();
        System.out.println("rows=" + stats.rows() + " checkpoint=" + largest + " median(f1)="
                + stats.columnStats().get(1).median());
    }

}
