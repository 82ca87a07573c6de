package dev.batchetl.stats;

import java.io.IOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.StandardOpenOption;
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
        if (ByteSource.isGzip(file)) {
            return List.of(new ByteRange(header.dataStart(), Long.MAX_VALUE, header.dataStartLine()));
        }
        if (options.escape() == null) {
            return scanSplit(file, options, splitSize, header);
        }
        return tokenizerSplit(file, options, splitSize, header);
    }

    /** Boundaries found by the full tokenizer (any options). */
    static List<ByteRange> tokenizerSplit(Path file, CsvOptions options, long splitSize, CsvHeader header)
            throws IOException {
        Ranges ranges = new Ranges(header.dataStart(), header.dataStartLine(), splitSize);
        try (CsvRangeReader reader = CsvRangeReader.open(file, options, header.names().size(), header.dataStart(),
                Long.MAX_VALUE, header.dataStartLine())) {
            while (reader.skipRecord()) {
                ranges.confirm(); // another row follows the candidate
                ranges.boundary(reader.offset(), reader.line());
            }
        }
        return ranges.finish();
    }

    /**
     * The ranges found so far and the candidate split point: the first row boundary at or after the target size,
     * which becomes a split point once another row follows it (so that no range is empty).
     */
    private static final class Ranges {

        private final List<ByteRange> done = new ArrayList<>();
        private final long splitSize;
        private long start;
        private long startLine;
        private long target;
        private long pending = -1;
        private long pendingLine;

        Ranges(long start, long startLine, long splitSize) {
            this.start = start;
            this.startLine = startLine;
            this.splitSize = splitSize;
            this.target = start + splitSize;
        }

        /** A row boundary at {@code offset}, where line {@code line} starts. */
        void boundary(long offset, long line) {
            if (pending < 0 && offset >= target) {
                pending = offset;
                pendingLine = line;
            }
        }

        /** More content follows the candidate, if any: it becomes a split point. */
        void confirm() {
            if (pending >= 0) {
                done.add(new ByteRange(start, pending, startLine));
                start = pending;
                startLine = pendingLine;
                target = start + splitSize;
                pending = -1;
            }
        }

        /** The ranges, the last one to the end of the file. */
        List<ByteRange> finish() {
            done.add(new ByteRange(start, Long.MAX_VALUE, startLine));
            return done;
        }
    }

    /**
     * Boundaries found by a fast scan that only looks at quotes and line breaks (valid without an escape character).
     * A quote opens a quoted field only at the start of a field, i.e. after the delimiter or at the start of a record;
     * elsewhere it is literal, as in the pandas tokenizer. Outside quotes every LF, CRLF or CR ends a record (or a
     * blank line), so a split point is the first line end at or after the target that is followed by more content.
     */
    static List<ByteRange> scanSplit(Path file, CsvOptions options, long splitSize, CsvHeader header)
            throws IOException {
        return scanSplit(file, options, splitSize, header, CsvRangeReader.DEFAULT_BUFFER);
    }

    static List<ByteRange> scanSplit(Path file, CsvOptions options, long splitSize, CsvHeader header, int bufferSize)
            throws IOException {
        final byte quote = (byte) options.quote();
        final byte delim = (byte) options.delimiter();
        final long quoteMask = (quote & 0xFFL) * ONES;
        final byte[] cls = new byte[256];
        cls['\n'] = 1;
        cls['\r'] = 1;
        cls[quote & 0xFF] = 1;
        long start = header.dataStart();
        Ranges ranges = new Ranges(start, header.dataStartLine(), splitSize);
        long line = header.dataStartLine();
        long lineStart = start; // offset after the last line end outside quotes
        boolean inQuote = false;
        byte[] b = new byte[Math.max(4, bufferSize)];
        // b[0] is the byte before b[1]; a virtual line end precedes the data
        b[0] = '\n';
        long base = start - 1; // file offset of b[0]
        int lim = 1;
        int p = 1;
        long readPos = start;
        boolean eof = false;
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            for (;;) {
                if (p >= lim || (p + 1 >= lim && !eof && needsLookahead(b[p], inQuote, quote))) {
                    if (eof) {
                        break;
                    }
                    // keep the byte before p (and any unprocessed bytes), then read on
                    int keep = lim - (p - 1);
                    System.arraycopy(b, p - 1, b, 0, keep);
                    base += p - 1;
                    lim = keep;
                    p = 1;
                    if (lim == b.length) {
                        b = java.util.Arrays.copyOf(b, b.length * 2);
                    }
                    int n = ch.read(ByteBuffer.wrap(b, lim, b.length - lim), readPos);
                    if (n < 0) {
                        eof = true;
                    } else {
                        lim += n;
                        readPos += n;
                    }
                    continue;
                }
                if (!inQuote) {
                    p = skip(b, p, lim, quoteMask, cls);
                    if (p >= lim) {
                        continue;
                    }
                    byte c = b[p];
                    if (c == quote) {
                        ranges.confirm();
                        byte before = b[p - 1];
                        inQuote = before == delim || (base + p == lineStart);
                        p++;
                        continue;
                    }
                    if (c == '\r' && p + 1 >= lim && !eof) {
                        continue; // lookahead needed: refill
                    }
                    if (base + p > lineStart) {
                        ranges.confirm(); // the line has content
                    }
                    p += (c == '\r' && p + 1 < lim && b[p + 1] == '\n') ? 2 : 1;
                    line++;
                    lineStart = base + p;
                    ranges.boundary(lineStart, line);
                } else {
                    p = skip(b, p, lim, quoteMask, cls);
                    if (p >= lim) {
                        continue;
                    }
                    byte c = b[p];
                    if (p + 1 >= lim && !eof && needsLookahead(c, true, quote)) {
                        continue; // a quote or CR needs the next byte: refill
                    }
                    if (c == quote) {
                        if (p + 1 < lim && b[p + 1] == quote) {
                            p += 2;
                        } else {
                            inQuote = false;
                            p++;
                        }
                    } else if (c == '\n') {
                        line++;
                        p++;
                    } else {
                        if (p + 1 >= lim || b[p + 1] != '\n') {
                            line++;
                        }
                        p++;
                    }
                }
            }
        }
        if (base + lim > lineStart) {
            ranges.confirm(); // the last line has content
        }
        return ranges.finish();
    }

    private static final VarHandle LONG_LE = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final long ONES = 0x0101010101010101L;
    private static final long HIGHS = 0x8080808080808080L;
    private static final long LF = '\n' * ONES;
    private static final long CR = '\r' * ONES;

    /** Bytes of w equal to the byte broadcast in t: the lowest flagged byte is exact (higher ones may be false). */
    private static long zeroBytes(long w, long t) {
        long x = w ^ t;
        return (x - ONES) & ~x & HIGHS;
    }

    /** First index in [p, lim) holding the quote, LF or CR, or lim: eight bytes at a time, then byte by byte. */
    private static int skip(byte[] b, int p, int lim, long quoteMask, byte[] cls) {
        while (p + 8 <= lim) {
            long w = (long) LONG_LE.get(b, p);
            long m = zeroBytes(w, quoteMask) | zeroBytes(w, LF) | zeroBytes(w, CR);
            if (m != 0) {
                return p + (Long.numberOfTrailingZeros(m) >>> 3);
            }
            p += 8;
        }
        while (p < lim && cls[b[p] & 0xFF] == 0) {
            p++;
        }
        return p;
    }

    private static boolean needsLookahead(byte c, boolean inQuote, byte quote) {
        return c == '\r' || (inQuote && c == quote);
    }
}
