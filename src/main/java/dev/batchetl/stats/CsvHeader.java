package dev.batchetl.stats;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The column names of a CSV file and where its data starts.
 *
 * @param dataStart     byte offset of the first data row (after the BOM and the header row)
 * @param dataStartLine physical 1-based line number at dataStart
 */
public record CsvHeader(List<String> names, long dataStart, long dataStartLine) {

    public CsvHeader {
        names = List.copyOf(names);
    }

    /**
     * Reads the header (or, when header=false, sizes the columns from the first row). dataStart = byte offset of the
     * first data row (after the BOM and header row); dataStartLine = its physical 1-based line number.
     */
    /** The first read of a header, in bytes. */
    static final int HEADER_BUFFER = 8 << 10;

    public static CsvHeader read(Path file, CsvOptions options) throws IOException {
        // a small first read (the buffer grows for a longer header): every partition reads its file's header
        try (CsvRangeReader reader = CsvRangeReader.open(file, options, 0, 0, Long.MAX_VALUE, 1, HEADER_BUFFER)) {
            long start = reader.offset(); // after a BOM
            List<String> first = reader.readRecordStrings();
            if (first == null) {
                throw new CsvFormatException(reader.line(), "no columns to parse from file");
            }
            if (!options.header()) {
                List<String> names = new ArrayList<>(first.size());
                for (int i = 0; i < first.size(); i++) {
                    names.add(Integer.toString(i));
                }
                return new CsvHeader(names, start, 1);
            }
            return new CsvHeader(columnNames(first), reader.offset(), reader.line());
        }
    }

    /** pandas: an empty name becomes "Unnamed: i"; duplicates become a, a.1, a.2, ... */
    static List<String> columnNames(List<String> raw) {
        List<String> names = new ArrayList<>(raw.size());
        for (int i = 0; i < raw.size(); i++) {
            String n = raw.get(i);
            names.add(n.isEmpty() ? "Unnamed: " + i : n);
        }
        Map<String, Integer> counts = new HashMap<>();
        for (int i = 0; i < names.size(); i++) {
            String col = names.get(i);
            int cur = counts.getOrDefault(col, 0);
            while (cur > 0) {
                counts.put(col, cur + 1);
                col = col + "." + cur;
                cur = counts.getOrDefault(col, 0);
            }
            names.set(i, col);
            counts.put(col, cur + 1);
        }
        return names;
    }
}
