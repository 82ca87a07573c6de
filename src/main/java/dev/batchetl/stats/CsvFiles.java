package dev.batchetl.stats;

import java.nio.file.Path;
import java.util.Locale;

/**
 * Which files the statistics read: {@code *.csv} and {@code *.csv.gz} under {@code dir},
 * hidden files and folders (temporary downloads among them) left out. One rule for the
 * partitioner and for the checks that warn or refuse before a run (a download saved under
 * another name, an output the next run would read).
 */
public final class CsvFiles {

    private CsvFiles() {
    }

    /**
     * Whether a file of this name is CSV to the statistics ({@code *.csv},
     * {@code *.csv.gz}, any case).
     */
    public static boolean isCsvName(String fileName) {
        String name = fileName.toLowerCase(Locale.ROOT);
        return name.endsWith(".csv") || name.endsWith(".csv.gz");
    }

    /**
     * Whether the statistics of {@code dir} read {@code file}: a CSV name under dir, on
     * no hidden path.
     */
    public static boolean isRead(Path dir, Path file) {
        if (!file.startsWith(dir) || file.equals(dir) || !isCsvName(file.getFileName().toString())) {
            return false;
        }
        for (Path part : dir.relativize(file)) {
            if (part.toString().startsWith(".")) {
                return false;
            }
        }
        return true;
    }

}
