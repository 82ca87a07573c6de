package dev.batchetl.stats.engine;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The column names of a CSV file and where its data starts.
 *
 * @param dataStart byte offset of the first data row (after the BOM and the header row)
 * @param dataStartLine physical 1-based line number at dataStart
 */
public record CsvHeader(List<String> names, long dataStart, long dataStartLine) {

    public CsvHeader {
        names = List.copyOf(names);
    }

    /**
     * Reads the header (or, when header=false, sizes the columns from the first row).
     * dataStart = byte offset of the first data row (after the BOM and header row);
     * dataStartLine = its physical 1-based line number.
     */
    /** The first read of a header, in bytes. */
    static final int HEADER_BUFFER = 8 << 10;

    public static CsvHeader read(Path file, CsvOptions options) throws IOException {
        // a small first read (the buffer grows for a longer header): every partition
        // reads its file's header
        try (CsvRangeReader reader = CsvRangeReader.open(file, options, 0, new ByteRange(0, Long.MAX_VALUE, 1),
                ReaderTuning.DEFAULT.withBuffer(HEADER_BUFFER))) {
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

    /**
     * pandas' names (its C parser, 1.5): an empty name becomes "Unnamed: i"; a name seen
     * before gets ".1", ".2", ..., skipping a suffixed name that the header itself holds;
     * the given names are renamed before the unnamed ones.
     */
    static List<String> columnNames(List<String> raw) {
        List<String> names = new ArrayList<>(raw.size());
        List<Integer> order = new ArrayList<>(raw.size());
        List<Integer> unnamed = new ArrayList<>();
        Map<String, Integer> held = new HashMap<>(); // how often each name stands in the
                                                     // header as it is now
        for (int i = 0; i < raw.size(); i++) {
            String name = raw.get(i).isEmpty() ? "Unnamed: " + i : raw.get(i);
            (raw.get(i).isEmpty() ? unnamed : order).add(i);
            names.add(name);
            held.merge(name, 1, Integer::sum);
        }
        order.addAll(unnamed);
        Map<String, Integer> seen = new HashMap<>();
        for (int i : order) {
            String base = names.get(i);
            String name = base;
            int count = seen.getOrDefault(name, 0);
            while (count > 0) {
                seen.put(base, count + 1);
                name = base + "." + count;
                count = held.getOrDefault(name, 0) > 0 ? count + 1 : seen.getOrDefault(name, 0);
            }
            held.merge(base, -1, Integer::sum);
            held.merge(name, 1, Integer::sum);
            names.set(i, name);
            seen.put(name, count + 1);
        }
        return names;
    }
}
