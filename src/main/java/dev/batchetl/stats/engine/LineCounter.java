package dev.batchetl.stats.engine;

import java.io.IOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Counts the physical lines of a CSV file before a byte offset: every LF, CR and CRLF,
 * whatever the quoting (as the tokenizer numbers them), in parallel pieces.
 */
final class LineCounter {

    private static final int COUNT_BUFFER = 1 << 20;

    private static final VarHandle LONG_LE = MethodHandles.byteArrayViewVarHandle(long[].class,
            ByteOrder.LITTLE_ENDIAN);

    private static final long LF = Swar.broadcast('\n');

    private static final long CR = Swar.broadcast('\r');

    private LineCounter() {
    }

    /** Bytes per task when {@link #lineAt} counts in parallel. */
    static final long LINE_COUNT_PIECE = 32L << 20;

    /**
     * The physical line number at offset, a row boundary at or after the data start: the
     * header's line count plus the LF, CR and CRLF line ends between the data start and
     * offset, counted in parallel pieces.
     */
    static long lineAt(Path file, CsvOptions options, long offset) throws IOException {
        return lineAt(file, options, offset, LINE_COUNT_PIECE);
    }

    static long lineAt(Path file, CsvOptions options, long offset, long piece) throws IOException {
        CsvHeader header = CsvHeader.read(file, options);
        long from = header.dataStart();
        if (offset <= from) {
            return header.dataStartLine();
        }
        int pieces = (int) Math.min(Integer.MAX_VALUE, (offset - from + piece - 1) / piece);
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            long[] lines = ParallelReads.run(pieces, k -> {
                long s = from + k * piece;
                long n = countLines(ch, s, Math.min(offset, s + piece));
                // a CRLF cut by the piece's start was counted at its CR
                return k > 0 && FileBytes.readByte(ch, s - 1) == '\r' && FileBytes.readByte(ch, s) == '\n' ? n - 1 : n;
            });
            long line = header.dataStartLine();
            for (long n : lines) {
                line += n;
            }
            return line;
        }
    }

    /**
     * Line ends (LF, CR, CRLF) in [s, e), which never splits a CRLF: read in blocks,
     * eight bytes at a time, exact per byte. (Not memory-mapped: mapped pages would count
     * in the process's resident memory.)
     */
    static long countLines(FileChannel ch, long s, long e) throws IOException {
        byte[] b = new byte[(int) Math.min(COUNT_BUFFER, e - s)];
        long lines = 0;
        boolean crBefore = false; // the byte before the current one is a CR
        for (long at = s; at < e;) {
            int n = (int) Math.min(b.length, e - at);
            FileBytes.readFully(ch, b, 0, n, at);
            at += n;
            int i = 0;
            for (; i + 8 <= n; i += 8) {
                long w = (long) LONG_LE.get(b, i);
                long lf = Swar.matches(w, LF);
                long cr = Swar.matches(w, CR);
                lines += Long.bitCount(lf) + Long.bitCount(cr) - Long.bitCount(cr & (lf >>> 8));
                if (crBefore && (lf & 0x80) != 0) {
                    lines--;
                }
                crBefore = cr < 0;
            }
            for (; i < n; i++) {
                byte c = b[i];
                if (c == '\n') {
                    if (!crBefore) {
                        lines++;
                    }
                }
                else if (c == '\r') {
                    lines++;
                }
                crBefore = c == '\r';
            }
        }
        return lines;
    }

}
