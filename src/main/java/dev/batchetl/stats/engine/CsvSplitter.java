package dev.batchetl.stats.engine;

import java.io.IOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.StandardOpenOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/** Splits the data part of a CSV file into ranges that start at true row boundaries. */
public final class CsvSplitter {

    private CsvSplitter() {
    }

    /**
     * The size of the ranges of a file of {@code size} bytes split for {@code ways}
     * partitions at a time: at most splitSize, in a number of ranges that is a multiple
     * of ways (17 ranges on 2 threads would leave one running alone at the end, 18 keep
     * both busy).
     */
    public static long balancedSplitSize(long size, long splitSize, int ways) {
        long ranges = (size + splitSize - 1) / splitSize;
        if (ways > 1) {
            ranges = (ranges + ways - 1) / ways * ways;
        }
        return Math.max(1, (size + ranges - 1) / ranges);
    }

    /**
     * Splits the data part of a file into ranges of about splitSize bytes, each starting
     * at a true row boundary (quote-aware: a newline inside a quoted field is never a
     * split point). One range when the file is small.
     *
     * <p>
     * Row boundaries depend on the quoting state from the start of the file. Without an
     * escape character the boundaries are found near each multiple of splitSize on their
     * own and the lines counted in parallel ({@link #parallelSplit}); otherwise, or when
     * that cannot decide, the file is scanned once from the start. The last range ends at
     * Long.MAX_VALUE.
     */
    public static List<ByteRange> split(Path file, CsvOptions options, long splitSize) throws IOException {
        return split(file, options, splitSize, true);
    }

    /**
     * As {@link #split(Path, CsvOptions, long)}; without {@code lineNumbers} the first
     * line of a range after the first may be -1 (not counted): the cuts need not read the
     * whole file then, and a reader counts the lines before its range only if a bad row
     * or an error needs them ({@link LineCounter#lineAt}).
     */
    public static List<ByteRange> split(Path file, CsvOptions options, long splitSize, boolean lineNumbers)
            throws IOException {
        if (splitSize <= 0) {
            throw new IllegalArgumentException("splitSize must be positive: " + splitSize);
        }
        CsvHeader header = CsvHeader.read(file, options);
        if (ByteSource.isGzip(file)) {
            return List.of(new ByteRange(header.dataStart(), Long.MAX_VALUE, header.dataStartLine()));
        }
        if (options.escape() == null) {
            List<ByteRange> ranges = parallelSplit(file, options, splitSize, header, MAX_WINDOW, lineNumbers);
            return ranges != null ? ranges : scanSplit(file, options, splitSize, header);
        }
        return tokenizerSplit(file, options, splitSize, header);
    }

    /** Boundaries found by the full tokenizer (any options). */
    static List<ByteRange> tokenizerSplit(Path file, CsvOptions options, long splitSize, CsvHeader header)
            throws IOException {
        Ranges ranges = new Ranges(header.dataStart(), header.dataStartLine(), splitSize);
        try (CsvRangeReader reader = CsvRangeReader.open(file, options, header.names().size(),
                new ByteRange(header.dataStart(), Long.MAX_VALUE, header.dataStartLine()))) {
            while (reader.skipRecord()) {
                ranges.confirm(); // another row follows the candidate
                ranges.boundary(reader.offset(), reader.line());
            }
        }
        return ranges.finish();
    }

    /**
     * The ranges found so far and the candidate split point: the first row boundary at or
     * after the target size, which becomes a split point once another row follows it (so
     * that no range is empty).
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

    /** Largest window read around a cut point before giving up on deciding it locally. */
    static final int MAX_WINDOW = 16 << 20;

    private static final int FIRST_WINDOW = 4 << 10;

    /**
     * More cuts than this (a split size tiny for the file) are found by the scan from the
     * start.
     */
    private static final long MAX_TARGETS = 100_000;

    private static final long NO_CUT = Long.MAX_VALUE;

    private static final long UNDECIDED = -1;

    /**
     * Ranges cut near dataStart + k splitSize, each cut decided from the bytes around it,
     * and (with lineNumbers) the lines before each cut counted in parallel; null when
     * some cut could not be decided within maxWindow ({@link #MAX_WINDOW}) bytes, or for
     * more than {@link #MAX_TARGETS} cuts.
     *
     * <p>
     * Without an escape character the quoting state at any byte is one of two: inside a
     * quoted field or not (or, on the second quote of an escaped one, between the two).
     * From the target offset, a walk under each assumption lists the row boundaries it
     * would see (the {@link #scanSplit} rules); a boundary on every list is a true one
     * whichever assumption holds, and the walks agree from the first place where they
     * reach the same state, usually within a field or two. The cut is the first such
     * common boundary that more content follows. Line numbers do not depend on the
     * quoting state (every LF, CR and CRLF counts), so each range's lines are counted on
     * its own.
     */
    static List<ByteRange> parallelSplit(Path file, CsvOptions options, long splitSize, CsvHeader header)
            throws IOException {
        return parallelSplit(file, options, splitSize, header, MAX_WINDOW, true);
    }

    static List<ByteRange> parallelSplit(Path file, CsvOptions options, long splitSize, CsvHeader header, int maxWindow)
            throws IOException {
        return parallelSplit(file, options, splitSize, header, maxWindow, true);
    }

    static List<ByteRange> parallelSplit(Path file, CsvOptions options, long splitSize, CsvHeader header, int maxWindow,
            boolean lineNumbers) throws IOException {
        long size = Files.size(file);
        long dataStart = header.dataStart();
        if ((size - dataStart) / splitSize > MAX_TARGETS) {
            return null;
        }
        List<Long> targets = new ArrayList<>();
        for (long t = dataStart + splitSize; t < size && t > dataStart; t += splitSize) {
            targets.add(t);
        }
        byte quote = (byte) options.quote();
        byte delim = (byte) options.delimiter();
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            long[] cuts = ParallelReads.run(targets.size(),
                    k -> cutNear(ch, targets.get(k), dataStart, size, quote, delim, maxWindow));
            TreeSet<Long> sorted = new TreeSet<>();
            for (long cut : cuts) {
                if (cut == UNDECIDED) {
                    return null;
                }
                if (cut != NO_CUT && cut > dataStart) {
                    sorted.add(cut);
                }
            }
            List<Long> starts = new ArrayList<>();
            starts.add(dataStart);
            starts.addAll(sorted);
            long[] lines = lineNumbers ? ParallelReads.run(starts.size() - 1,
                    k -> LineCounter.countLines(ch, starts.get(k), starts.get(k + 1))) : null;
            List<ByteRange> ranges = new ArrayList<>(starts.size());
            long line = header.dataStartLine();
            for (int k = 0; k < starts.size(); k++) {
                boolean last = k == starts.size() - 1;
                ranges.add(new ByteRange(starts.get(k), last ? Long.MAX_VALUE : starts.get(k + 1),
                        k == 0 || lines != null ? line : -1));
                if (!last && lines != null) {
                    line += lines[k];
                }
            }
            return ranges;
        }
    }

    /**
     * The cut for the target offset: the first common boundary at or after it, NO_CUT or
     * UNDECIDED.
     */
    private static long cutNear(FileChannel ch, long target, long dataStart, long size, byte quote, byte delim,
            int maxWindow) throws IOException {
        // from the byte before the target (a boundary can be the target itself), with the
        // byte before that as context
        long from = Math.max(dataStart, target - 1);
        for (int window = Math.min(FIRST_WINDOW, maxWindow); window <= maxWindow; window *= 4) {
            int len = (int) Math.min(window, size - from);
            byte[] b = new byte[len + 1];
            b[0] = from == dataStart ? (byte) '\n' : FileBytes.readByte(ch, from - 1); // a
                                                                                       // virtual
            // line end
            // precedes
            // the data
            FileBytes.readFully(ch, b, 1, len, from);
            boolean eof = from + len >= size;
            long cut = commonBoundary(b, len + 1, eof, quote, delim);
            if (cut == NO_CUT || cut == UNDECIDED) {
                if (cut == NO_CUT || eof) {
                    return NO_CUT;
                }
                continue; // a bigger window
            }
            // a cut needs content after it (not only line ends)
            for (int p = (int) cut; p < len + 1; p++) {
                if (b[p] != '\n' && b[p] != '\r') {
                    return from - 1 + cut;
                }
            }
            if (eof) {
                return NO_CUT;
            }
        }
        return UNDECIDED;
    }

    /**
     * The first position of b[1, lim) that every possible walk reaches as a row boundary;
     * NO_CUT when a walk reaches the end of the file first, UNDECIDED when the window is
     * too small. At b[1] the walk is outside a quoted field, inside one, or, when b[0]
     * and b[1] are quotes, possibly between the two quotes of an escaped one.
     */
    private static long commonBoundary(byte[] b, int lim, boolean eof, byte quote, byte delim) {
        List<Walk> walks = new ArrayList<>(List.of(new Walk(false, 1), new Walk(true, 1)));
        if (b[0] == quote && lim > 1 && b[1] == quote) {
            walks.add(new Walk(true, 2));
        }
        long[] at = new long[walks.size()];
        for (int i = 0; i < at.length; i++) {
            at[i] = walks.get(i).next(b, lim, eof, quote, delim);
        }
        for (;;) {
            int lowest = 0;
            boolean same = true;
            for (int i = 0; i < at.length; i++) {
                if (at[i] == UNDECIDED || at[i] == NO_CUT) {
                    return at[i];
                }
                same &= at[i] == at[0];
                if (at[i] < at[lowest]) {
                    lowest = i;
                }
            }
            if (same) {
                return at[0];
            }
            at[lowest] = walks.get(lowest).next(b, lim, eof, quote, delim);
        }
    }

    /** A walk of {@link #scanSplit}'s rules from b[1], b[0] being the byte before. */
    private static final class Walk {

        private int p;

        private boolean inQuote;

        Walk(boolean inQuote, int p) {
            this.inQuote = inQuote;
            this.p = p;
        }

        /**
         * The next row boundary (the position after a line end outside quotes), NO_CUT at
         * the end, UNDECIDED.
         */
        long next(byte[] b, int lim, boolean eof, byte quote, byte delim) {
            while (p < lim) {
                byte c = b[p];
                if (inQuote) {
                    if (c == quote) {
                        if (p + 1 >= lim && !eof) {
                            return UNDECIDED;
                        }
                        if (p + 1 < lim && b[p + 1] == quote) {
                            p += 2;
                            continue;
                        }
                        inQuote = false;
                    }
                    p++;
                    continue;
                }
                if (c == quote) {
                    byte before = b[p - 1];
                    inQuote = before == delim || before == '\n' || before == '\r';
                    p++;
                }
                else if (c == '\n') {
                    return ++p;
                }
                else if (c == '\r') {
                    if (p + 1 >= lim && !eof) {
                        return UNDECIDED;
                    }
                    p += p + 1 < lim && b[p + 1] == '\n' ? 2 : 1;
                    return p;
                }
                else {
                    p++;
                }
            }
            return eof ? NO_CUT : UNDECIDED;
        }

    }

    /**
     * Boundaries found by a fast scan that only looks at quotes and line breaks (valid
     * without an escape character). A quote opens a quoted field only at the start of a
     * field, i.e. after the delimiter or at the start of a record; elsewhere it is
     * literal, as in the pandas tokenizer. Outside quotes every LF, CRLF or CR ends a
     * record (or a blank line), so a split point is the first line end at or after the
     * target that is followed by more content.
     */
    static List<ByteRange> scanSplit(Path file, CsvOptions options, long splitSize, CsvHeader header)
            throws IOException {
        return scanSplit(file, options, splitSize, header, CsvRangeReader.DEFAULT_BUFFER);
    }

    static List<ByteRange> scanSplit(Path file, CsvOptions options, long splitSize, CsvHeader header, int bufferSize)
            throws IOException {
        final byte quote = (byte) options.quote();
        final byte delim = (byte) options.delimiter();
        final long quoteMask = Swar.broadcast(quote);
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
                    }
                    else {
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
                }
                else {
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
                        }
                        else {
                            inQuote = false;
                            p++;
                        }
                    }
                    else if (c == '\n') {
                        line++;
                        p++;
                    }
                    else {
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

    private static final VarHandle LONG_LE = MethodHandles.byteArrayViewVarHandle(long[].class,
            ByteOrder.LITTLE_ENDIAN);

    private static final long LF = Swar.broadcast('\n');

    private static final long CR = Swar.broadcast('\r');

    /**
     * First index in [p, lim) holding the quote, LF or CR, or lim: eight bytes at a time,
     * then byte by byte.
     */
    private static int skip(byte[] b, int p, int lim, long quoteMask, byte[] cls) {
        while (p + 8 <= lim) {
            long w = (long) LONG_LE.get(b, p);
            long m = Swar.firstMatches(w, quoteMask) | Swar.firstMatches(w, LF) | Swar.firstMatches(w, CR);
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
