package dev.batchetl.stats.engine;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Mergeable statistics of (part of) a file: constant memory per column, whatever the
 * number of rows. A range of the file is accumulated by {@link CsvRangeReader};
 * accumulators of consecutive ranges are combined with {@link #merge(FileAccumulator)};
 * {@link #toBytes()} is a checkpoint that {@link #fromBytes(byte[])} restores.
 */
public final class FileAccumulator {

    private static final int MAGIC = 0x43535441; // "CSTA"

    private static final int VERSION = 6;

    private final List<String> names;

    final ColumnAccumulator[] cols;

    long rows;

    long badRows;

    long invalidBytes;

    public FileAccumulator(List<String> columnNames) {
        this.names = List.copyOf(columnNames);
        this.cols = new ColumnAccumulator[names.size()];
        for (int i = 0; i < cols.length; i++) {
            cols[i] = new ColumnAccumulator();
        }
    }

    /** Good data rows seen. */
    public long rows() {
        return rows;
    }

    public long badRows() {
        return badRows;
    }

    /** Invalid byte sequences replaced (invalid-bytes=replace). */
    public long invalidBytes() {
        return invalidBytes;
    }

    public List<String> columnNames() {
        return names;
    }

    /**
     * Adds the statistics of {@code next}, which covers the byte range that follows this
     * one.
     */
    public void merge(FileAccumulator next) {
        Objects.requireNonNull(next, "next");
        if (!names.equals(next.names)) {
            throw new IllegalArgumentException("column names differ: " + names + " vs " + next.names);
        }
        rows += next.rows;
        badRows += next.badRows;
        invalidBytes += next.invalidBytes;
        for (int i = 0; i < cols.length; i++) {
            cols[i].merge(next.cols[i]);
        }
    }

    /** Compact, versioned binary form (a checkpoint). */
    public byte[] toBytes() {
        try {
            ByteArrayOutputStream bos = new ByteArrayOutputStream(64 + cols.length * 200);
            DataOutputStream out = new DataOutputStream(bos);
            out.writeInt(MAGIC);
            out.writeInt(VERSION);
            out.writeInt(names.size());
            for (String n : names) {
                byte[] b = n.getBytes(StandardCharsets.UTF_8);
                out.writeInt(b.length);
                out.write(b);
            }
            out.writeLong(rows);
            out.writeLong(badRows);
            out.writeLong(invalidBytes);
            for (ColumnAccumulator c : cols) {
                c.write(out);
            }
            out.flush();
            return bos.toByteArray();
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static FileAccumulator fromBytes(byte[] bytes) {
        try {
            DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes));
            if (in.readInt() != MAGIC) {
                throw new IllegalArgumentException("not a FileAccumulator checkpoint");
            }
            int version = in.readInt();
            if (version != VERSION) {
                throw new IllegalArgumentException("unsupported FileAccumulator checkpoint version " + version);
            }
            int n = in.readInt();
            List<String> names = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                byte[] b = new byte[in.readInt()];
                in.readFully(b);
                names.add(new String(b, StandardCharsets.UTF_8));
            }
            FileAccumulator acc = new FileAccumulator(names);
            acc.rows = in.readLong();
            acc.badRows = in.readLong();
            acc.invalidBytes = in.readLong();
            for (int i = 0; i < n; i++) {
                acc.cols[i] = ColumnAccumulator.read(in);
            }
            if (in.available() != 0) {
                throw new IllegalArgumentException("trailing bytes in FileAccumulator checkpoint");
            }
            return acc;
        }
        catch (IOException e) {
            throw new IllegalArgumentException("corrupt FileAccumulator checkpoint", e);
        }
    }

    public FileStats result() {
        List<ColumnStats> stats = new ArrayList<>(cols.length);
        for (int i = 0; i < cols.length; i++) {
            stats.add(cols[i].result(names.get(i), rows));
        }
        return new FileStats(rows, cols.length, badRows, invalidBytes, List.copyOf(stats));
    }

}
