package dev.batchetl.export;

import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.List;

import com.opencsv.CSVWriter;
import com.opencsv.ICSVWriter;
import dev.batchetl.stats.PartitionResultRepository.FileResult;
import dev.batchetl.stats.engine.ColumnStats;

/**
 * Writes {@code results.csv}: UTF-8, commas, RFC 4180 quoting, a header, then one row per
 * (file, column) in file then column order; a file that could not be read has one row
 * with {@code file} and {@code error} (the last column). The first ten columns are a
 * contract: later columns are only ever added after {@code max}. The file is written
 * whole under a temporary name in the same folder and renamed into place, so a reader
 * never sees half of it.
 */
final class ResultsCsv {

    static final String[] HEADER = { "file", "rows", "columns", "column", "type", "count", "nulls", "mean", "min",
            "max", "sum", "variance", "std", "min_length", "max_length", "distinct", "distinct_exact", "q1", "median",
            "q3", "quartiles_exact", "bad_rows", "invalid_bytes", "error" };

    private ResultsCsv() {
    }

    /**
     * Writes the file under {@code .NAME.INSTANCE.tmp} and renames it into place. The
     * temporary name is fixed per job instance, whose executions never run at once (the
     * run lock): a run killed while it wrote leaves that file behind, and the restart
     * writes over it and renames it.
     */
    static void write(Path target, List<FileResult> files, long jobInstanceId) throws IOException {
        Path folder = target.toAbsolutePath().getParent();
        Files.createDirectories(folder);
        Path temporary = folder.resolve("." + target.getFileName() + "." + jobInstanceId + ".tmp");
        try {
            try (Writer out = Files.newBufferedWriter(temporary, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                    StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING);
                    CSVWriter csv = new CSVWriter(out, ',', '"', '"', "\n")) {
                csv.writeNext(HEADER, false);
                for (FileResult file : files) {
                    writeFile(csv, file);
                }
                csv.flush();
                if (csv.checkError()) {
                    throw new IOException("cannot write " + temporary);
                }
            }
            try (var channel = java.nio.channels.FileChannel.open(temporary, StandardOpenOption.WRITE)) {
                channel.force(true);
            }
            Files.move(temporary, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        }
        finally {
            Files.deleteIfExists(temporary);
        }
    }

    private static void writeFile(ICSVWriter csv, FileResult file) {
        if (file.stats() == null) {
            String[] row = new String[HEADER.length];
            java.util.Arrays.fill(row, "");
            row[0] = file.file();
            row[HEADER.length - 1] = file.error();
            csv.writeNext(row, false);
            return;
        }
        String rows = Long.toString(file.stats().rows());
        String columns = Integer.toString(file.stats().columns());
        String badRows = Long.toString(file.stats().badRows());
        String invalidBytes = Long.toString(file.stats().invalidBytes());
        for (ColumnStats column : file.stats().columnStats()) {
            boolean numeric = column.hasQuartiles();
            csv.writeNext(
                    new String[] { file.file(), rows, columns, column.name(), column.type().label(),
                            Long.toString(column.count()), Long.toString(column.nulls()), number(column.mean()),
                            text(column.min()), text(column.max()), text(column.sum()), number(column.variance()),
                            number(column.std()), text(column.minLength()), text(column.maxLength()),
                            Long.toString(column.distinct()), Boolean.toString(column.distinctExact()),
                            number(column.q1()), number(column.median()), number(column.q3()),
                            numeric ? Boolean.toString(column.quantilesExact()) : "", badRows, invalidBytes, "" },
                    false);
        }
    }

    private static String number(Double value) {
        return text(ColumnStats.format(value));
    }

    private static String text(Object value) {
        return value == null ? "" : value.toString();
    }

}
