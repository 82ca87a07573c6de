package dev.batchetl.stats;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import dev.batchetl.stats.engine.ByteRange;
import dev.batchetl.stats.engine.ByteSource;
import dev.batchetl.stats.engine.CsvFormatException;
import dev.batchetl.stats.engine.CsvOptions;
import dev.batchetl.stats.engine.CsvSplitter;

import org.springframework.batch.core.partition.Partitioner;
import org.springframework.batch.infrastructure.item.ExecutionContext;

/**
 * One partition per CSV file ({@code *.csv}, and {@code *.csv.gz}, which is never split)
 * under the folder (sub-folders included, hidden files and temporary downloads left out),
 * and several for a file larger than the split size, cut at true row boundaries.
 * Partition names are stable ({@code f00001}, {@code f00002-r0003}, ...) because Spring
 * Batch stores restart state under them.
 */
final class CsvFilePartitioner implements Partitioner {

    static final String FILE = PartitionKeys.FILE;

    static final String RELATIVE = PartitionKeys.RELATIVE;

    static final String RANGE = PartitionKeys.RANGE;

    static final String START = PartitionKeys.START;

    static final String END = PartitionKeys.END;

    static final String FIRST_LINE = PartitionKeys.FIRST_LINE;

    static final String ERROR = PartitionKeys.ERROR;

    private final Path dir;

    private final CsvOptions options;

    private final long splitSize;

    private final Reuse reuse;

    private final StatsProgress progress;

    CsvFilePartitioner(Path dir, CsvOptions options, long splitSize) {
        this(dir, options, splitSize, null, null);
    }

    /**
     * With {@code reuse}, a file whose earlier results it takes over gets no partition;
     * {@code progress} (or null) learns how many partitions over how many bytes were
     * planned.
     */
    CsvFilePartitioner(Path dir, CsvOptions options, long splitSize, Reuse reuse, StatsProgress progress) {
        this.dir = dir;
        this.options = options;
        this.splitSize = splitSize;
        this.reuse = reuse;
        this.progress = progress;
    }

    /**
     * Takes over the statistics of a file that an earlier execution read at this size and
     * modification time.
     */
    @FunctionalInterface
    interface Reuse {

        boolean adopt(String relative, long bytes, long modified);

    }

    @Override
    public Map<String, ExecutionContext> partition(int gridSize) {
        Map<String, ExecutionContext> partitions = new LinkedHashMap<>();
        List<Path> files = csvFiles(this.dir);
        for (int i = 0; i < files.size(); i++) {
            Path file = files.get(i);
            String name = String.format("f%05d", i + 1);
            String relative = relative(this.dir, file);
            long size;
            long modified;
            List<ByteRange> ranges;
            try {
                size = Files.size(file);
                modified = Files.getLastModifiedTime(file).to(java.util.concurrent.TimeUnit.NANOSECONDS);
                if (this.reuse == null || !this.reuse.adopt(relative, size, modified)) {
                    // a compressed file is read from its start: one partition, whatever
                    // its size
                    ranges = !ByteSource.isGzip(file) && size > this.splitSize ? CsvSplitter.split(file, this.options,
                            CsvSplitter.balancedSplitSize(size, this.splitSize, gridSize), false) : List.of();
                }
                else {
                    continue; // its statistics are an earlier execution's
                }
            }
            catch (org.springframework.dao.DataAccessException ex) {
                throw ex; // the database, not the file: the step fails
            }
            catch (IOException | RuntimeException ex) {
                ExecutionContext context = context(file, relative, 0, -1, Long.MAX_VALUE, 0);
                context.putString(ERROR, describe(ex));
                partitions.put(name, context);
                continue;
            }
            if (ranges.size() <= 1) {
                partitions.put(name, identified(context(file, relative, 0, -1, Long.MAX_VALUE, 0), size, modified));
                continue;
            }
            for (int r = 0; r < ranges.size(); r++) {
                ByteRange range = ranges.get(r);
                partitions.put(String.format("%s-r%04d", name, r), identified(
                        context(file, relative, r, range.start(), range.end(), range.firstLine()), size, modified));
            }
        }
        if (this.progress != null) {
            long bytes = 0;
            for (ExecutionContext context : partitions.values()) {
                if (context.containsKey(PartitionKeys.FILE_BYTES)) {
                    long start = Math.max(0, context.getLong(START));
                    long end = Math.min(context.getLong(END), context.getLong(PartitionKeys.FILE_BYTES));
                    bytes += Math.max(0, end - start);
                }
            }
            this.progress.planned(partitions.size(), bytes);
        }
        return partitions;
    }

    static String describe(Throwable ex) {
        if (ex instanceof CsvFormatException format) {
            return format.getMessage();
        }
        if (ex instanceof java.nio.file.NoSuchFileException) {
            return "no such file";
        }
        if (ex instanceof java.nio.file.AccessDeniedException) {
            return "permission denied";
        }
        if (ex instanceof java.nio.charset.CharacterCodingException) {
            return "invalid bytes for the encoding";
        }
        String message = ex.getMessage();
        return (message == null ? ex.getClass().getSimpleName() : message).strip().replaceAll("\\s*\\R\\s*", " ");
    }

    private static ExecutionContext identified(ExecutionContext context, long size, long modified) {
        context.putLong(PartitionKeys.FILE_BYTES, size);
        context.putLong(PartitionKeys.FILE_MODIFIED, modified);
        return context;
    }

    private static ExecutionContext context(Path file, String relative, int range, long start, long end,
            long firstLine) {
        ExecutionContext context = new ExecutionContext();
        context.putString(FILE, file.toString());
        context.putString(RELATIVE, relative);
        context.putInt(RANGE, range);
        context.putLong(START, start);
        context.putLong(END, end);
        context.putLong(FIRST_LINE, firstLine);
        return context;
    }

    /** The CSV files under dir in a stable order: by relative path. */
    static List<Path> csvFiles(Path dir) {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            return paths.filter(Files::isRegularFile)
                .filter(path -> CsvFiles.isRead(dir, path))
                .sorted((a, b) -> relative(dir, a).compareTo(relative(dir, b)))
                .toList();
        }
        catch (IOException ex) {
            throw new UncheckedIOException("cannot list " + dir, ex);
        }
    }

    static String relative(Path dir, Path file) {
        return dir.relativize(file).toString().replace('\\', '/');
    }

}
