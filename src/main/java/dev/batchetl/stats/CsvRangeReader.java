package dev.batchetl.stats;

import java.io.Closeable;
import java.io.IOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Reads the rows of a byte range of a CSV file into a {@link FileAccumulator}.
 *
 * <p>
 * The tokenizer follows the pandas C tokenizer: fields separated by the delimiter, quoted
 * fields (doubled quote = literal quote) that may hold delimiters and line breaks, an
 * optional escape character, LF / CRLF / CR line ends, and blank (empty or
 * whitespace-only) lines skipped. It works on bytes in a large reusable buffer; a record
 * is parsed without modifying the buffer, so a record cut by the end of the buffer is
 * simply parsed again after a refill. The buffer grows for a longer record, up to
 * {@link #MAX_ROW}: a longer row fails the file.
 */
public final class CsvRangeReader implements Closeable {

    static final int DEFAULT_BUFFER = 1 << 20;

    /**
     * The file error of a quoted field still open at the end of the file, named at the
     * line where its quote opened; as pandas ("EOF inside string"), whatever the bad-rows
     * policy: the rest of the file after the quote is one field.
     */
    static final String EOF_IN_QUOTE = "end of file inside a quoted field that opened here";

    /**
     * The longest row read, in bytes with its line end; a longer row (or a blank line)
     * fails the file. A row is parsed only once it is in the buffer whole, so without a
     * bound one huge line (a file without line ends, a decompressed gzip bomb) would grow
     * the buffer without end. 64 MiB is far above the rows of real files; the buffer
     * grows to at most one byte more (the byte after a CR, which tells a CR line end from
     * a CRLF).
     */
    static final int MAX_ROW = 64 << 20;

    // byte classes
    private static final byte ORD = 0;

    private static final byte DELIM = 1;

    private static final byte LF = 2;

    private static final byte CR = 3;

    private static final byte QUOTE = 4;

    private static final byte ESC = 5;

    private static final byte HIGH = 6;

    // results of parseRecord
    private static final int NEED = 0;

    private static final int RECORD = 1;

    private static final int UNCLOSED = 2; // the end of the file inside a quoted field

    private static final int EOF = -1;

    private static final int END = -2;

    private final ByteSource channel;

    private final Path file;

    private final long start;

    private final CsvOptions options;

    private final int columns;

    private final long end;

    private final byte delim;

    private final byte quote;

    private final int escape;

    private final boolean utf8;

    private final boolean latin1;

    private final boolean replaceInvalid;

    private final byte[] clsUnquoted = new byte[256];

    private final byte[] clsQuoted = new byte[256];

    private final long delimMask;

    private final long quoteMask;

    private final long lfMask = Swar.broadcast('\n');

    private final long crMask = Swar.broadcast('\r');

    private final long escMask;

    private final NaMatcher na;

    private final NumberParser parser = new NumberParser();

    private final DateTimeParser dates = new DateTimeParser();

    private final int maxRow; // MAX_ROW, or less in tests

    private FieldDecoder decoder;

    private byte[] buf;

    private int lim;

    private int pos;

    private long bufOffset; // file offset of buf[0]

    private long readPos; // file offset of the next channel read

    private boolean eof;

    private long line; // counted from firstLine, or from 0 while lineAtStart is unknown

    private long lineAtStart; // what line numbers are short of: 0, or once known the line
                              // at start when it was not

    private boolean lineKnown;

    private boolean finished;

    // the last parsed record
    private int nf;

    private int[] fs = new int[64];

    private int[] fe = new int[64];

    private boolean[] fc = new boolean[64];

    private long recHighFields; // bit i: field i holds a non-ASCII byte (bit 63: a field
                                // from the 64th on)

    private boolean recInvalid;

    private long recLine;

    private long quoteLine;

    // good records staged for accumulation, column by column: [column * batch + row]; a
    // quoted or escaped field's
    // start is stored complemented, a missing field's end as -1
    static final int DEFAULT_BATCH = 256;

    private final int batch;

    private final int[] bs;

    private final int[] be;

    private final boolean[] binvalid; // per row: its recInvalid (invalid bytes replaced)

    private final long[] bhigh; // per row: its recHighFields

    private int bn;

    /**
     * Whether numeric columns take {@link ColumnAccumulator#addNumbers} (false only in
     * tests, for comparison).
     */
    private final boolean numbersPath;

    /**
     * Whether plain fields take {@link #plainFields} (false only in tests, for
     * comparison).
     */
    private final boolean fieldsPath;

    private byte[] scratch = new byte[256];

    private byte[] scratch2 = new byte[256];

    private CsvRangeReader(ByteSource channel, Path file, CsvOptions options, int columns, ByteRange range,
            ReaderTuning tuning) {
        this.channel = channel;
        this.file = file;
        this.start = range.start();
        this.options = options;
        this.columns = columns;
        this.end = range.end();
        this.numbersPath = tuning.numbersPath();
        this.fieldsPath = tuning.fieldsPath();
        int batch = tuning.batch();
        int maxRow = tuning.maxRow();
        long firstLine = range.firstLine();
        this.delim = (byte) options.delimiter();
        this.quote = (byte) options.quote();
        this.escape = options.escape() == null ? -1 : options.escape();
        this.utf8 = options.encoding().equals(StandardCharsets.UTF_8);
        this.latin1 = options.encoding().equals(StandardCharsets.ISO_8859_1);
        this.replaceInvalid = options.invalidBytes() == InvalidBytePolicy.REPLACE;
        this.na = new NaMatcher(options.naValues());
        this.delimMask = Swar.broadcast(delim);
        this.quoteMask = Swar.broadcast(quote);
        this.escMask = escape < 0 ? 0 : Swar.broadcast(escape);
        for (int i = 0x80; i < 256; i++) {
            clsUnquoted[i] = HIGH;
            clsQuoted[i] = HIGH;
        }
        clsUnquoted['\n'] = LF;
        clsUnquoted['\r'] = CR;
        clsQuoted['\n'] = LF;
        clsQuoted['\r'] = CR;
        clsUnquoted[delim & 0xFF] = DELIM;
        clsQuoted[quote & 0xFF] = QUOTE;
        if (escape >= 0) {
            clsUnquoted[escape] = ESC;
            clsQuoted[escape] = ESC;
        }
        this.batch = batch;
        this.bs = new int[columns * batch];
        this.be = new int[columns * batch];
        this.binvalid = new boolean[batch];
        this.bhigh = new long[batch];
        this.maxRow = maxRow;
        this.buf = new byte[Math.min(tuning.bufferSize(), maxRow)]; // rows in a buffer of
                                                                    // at most
        // maxRow bytes are not longer
        this.bufOffset = start;
        this.readPos = start;
        this.lineKnown = firstLine >= 0;
        this.line = Math.max(0, firstLine);
    }

    /**
     * Reads the rows whose first byte lies in [range.start, range.end) (end =
     * Long.MAX_VALUE: to the end of the file). The start must be a row boundary
     * (dataStart, an offset this reader reported, or a split point from CsvSplitter);
     * range.firstLine is the physical line number at the start, or -1 when not known:
     * then it is counted, once, when a bad row or an error needs it (or {@link #line()}
     * is called), and not at all for a range without either.
     */
    public static CsvRangeReader open(Path file, CsvOptions options, int columns, ByteRange range) throws IOException {
        return open(file, options, columns, range, ReaderTuning.DEFAULT);
    }

    /**
     * As {@link #open(Path, CsvOptions, int, ByteRange)}, tuned (for tests, the header).
     */
    static CsvRangeReader open(Path file, CsvOptions options, int columns, ByteRange range, ReaderTuning tuning)
            throws IOException {
        long start = range.start();
        if (start < 0 || range.end() < start) {
            throw new IllegalArgumentException("bad range [" + start + ", " + range.end() + ")");
        }
        ByteSource ch = ByteSource.open(file, start);
        try {
            CsvRangeReader r = new CsvRangeReader(ch, file, options, columns, range, tuning);
            if (start == 0 && r.utf8) {
                r.skipBom();
            }
            return r;
        }
        catch (IOException | RuntimeException e) {
            ch.close();
            throw e;
        }
    }

    private void skipBom() throws IOException {
        while (lim < 3 && !eof) {
            fill();
        }
        if (lim >= 3 && buf[0] == (byte) 0xEF && buf[1] == (byte) 0xBB && buf[2] == (byte) 0xBF) {
            pos = 3;
        }
    }

    /**
     * Parses up to maxRows rows into acc (bad rows reported to badRows, under the
     * policy); returns the number of records consumed (good + bad); 0 once the range is
     * exhausted.
     */
    public int read(FileAccumulator acc, int maxRows, Consumer<BadRow> badRows) throws IOException {
        if (acc.cols.length != columns) {
            throw new IllegalArgumentException("accumulator has " + acc.cols.length + " columns, reader " + columns);
        }
        int n = 0;
        while (n < maxRows && !finished) {
            int r = parseRecord();
            switch (r) {
                case NEED:
                    flush(acc); // the staged fields point into the buffer, which fill()
                                // moves
                    fill();
                    continue;
                case EOF:
                case END:
                    finished = true;
                    continue;
                case UNCLOSED:
                    throw new CsvFormatException(absolute(quoteLine), EOF_IN_QUOTE);
                default:
                    n++;
                    if (nf > columns) {
                        bad(acc, badRows, recLine, "expected " + columns + " fields, saw " + nf);
                    }
                    else {
                        stage();
                        if (bn == batch) {
                            flush(acc);
                        }
                    }
            }
        }
        flush(acc);
        return n;
    }

    private void bad(FileAccumulator acc, Consumer<BadRow> badRows, long at, String reason) {
        if (options.badRows() == BadRowPolicy.FAIL_FILE) {
            throw new CsvFormatException(absolute(at), reason);
        }
        acc.badRows++;
        if (badRows != null) {
            badRows.accept(new BadRow(absolute(at), reason));
        }
    }

    /** Byte offset of the next unread row: a valid resume point for open(...). */
    public long offset() {
        return bufOffset + pos;
    }

    /**
     * Physical line number at offset() (counted now if the line at the start was not
     * given).
     */
    public long line() {
        return absolute(line);
    }

    /**
     * Whether {@link #line()} is known without counting lines: the line at the start was
     * given or counted.
     */
    public boolean lineKnown() {
        return lineKnown;
    }

    /** The physical line number of a line counted by this reader. */
    private long absolute(long counted) {
        if (!lineKnown) {
            try {
                lineAtStart = CsvSplitter.lineAt(file, options, start);
            }
            catch (IOException e) {
                throw new java.io.UncheckedIOException("cannot count the lines of " + file + " before byte " + start,
                        e);
            }
            lineKnown = true;
        }
        return counted + lineAtStart;
    }

    public boolean finished() {
        return finished;
    }

    /** The size of the buffer now (for tests). */
    int bufferLength() {
        return buf.length;
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }

    // ------------------------------------------------------------------------------------------------------------

    /**
     * Skips one record without accumulating it; false once the range is exhausted. Used
     * by the splitter.
     */
    boolean skipRecord() throws IOException {
        while (!finished) {
            int r = parseRecord();
            if (r == NEED) {
                fill();
            }
            else if (r == EOF || r == END) {
                finished = true;
            }
            else {
                return true;
            }
        }
        return false;
    }

    /** The next record as strings (for the header), or null at the end. */
    List<String> readRecordStrings() throws IOException {
        while (!finished) {
            int r = parseRecord();
            if (r == NEED) {
                fill();
            }
            else if (r == EOF || r == END) {
                finished = true;
            }
            else if (r == UNCLOSED) {
                throw new CsvFormatException(absolute(quoteLine), EOF_IN_QUOTE);
            }
            else {
                List<String> out = new ArrayList<>(nf);
                for (int i = 0; i < nf; i++) {
                    int s = fs[i];
                    int e = fe[i];
                    byte[] a = buf;
                    if (fc[i]) {
                        e = unescape(s, e);
                        s = 0;
                        a = scratch;
                    }
                    out.add(new String(a, s, e - s, options.encoding()));
                }
                return out;
            }
        }
        return null;
    }

    private void fill() throws IOException {
        if (pos > 0) {
            int keep = lim - pos;
            System.arraycopy(buf, pos, buf, 0, keep);
            bufOffset += pos;
            lim = keep;
            pos = 0;
        }
        if (lim == buf.length) { // the row being parsed fills the buffer
            if (lim > maxRow) {
                throw rowTooLong(line);
            }
            long twice = 2L * buf.length;
            byte[] bigger = new byte[twice >= maxRow ? maxRow + 1 : (int) twice]; // at
                                                                                  // the
                                                                                  // bound,
                                                                                  // not a
                                                                                  // byte
                                                                                  // short
            System.arraycopy(buf, 0, bigger, 0, lim);
            buf = bigger;
        }
        ByteBuffer bb = ByteBuffer.wrap(buf, lim, buf.length - lim);
        int n;
        do {
            n = channel.read(bb, readPos);
        }
        while (n == 0);
        if (n < 0) {
            eof = true;
        }
        else {
            lim += n;
            readPos += n;
        }
        if (buf.length > maxRow) {
            checkRowLength();
        }
    }

    /**
     * In a buffer grown past maxRow bytes for the long row at its start: parses that row
     * ahead, and fails the file when it is longer than maxRow. The other rows in the
     * buffer start after it, so they are shorter.
     */
    private void checkRowLength() {
        int p0 = pos;
        long l0 = line;
        int r = parseRecord();
        int after = pos;
        pos = p0;
        line = l0;
        if (r == RECORD) {
            int s = fs[0]; // the row's first byte: its first field's, or the quote before
                           // it
            while (s > p0 && buf[s - 1] != '\n' && buf[s - 1] != '\r') {
                s--;
            }
            if (after - s > maxRow) {
                throw rowTooLong(recLine);
            }
        }
    }

    private CsvFormatException rowTooLong(long line) {
        String limit = maxRow % (1 << 20) == 0 ? (maxRow >> 20) + " MiB" : maxRow + " bytes";
        return new CsvFormatException(absolute(line),
                "a row longer than " + limit + " (the limit of one row); the file is not analysed");
    }

    private void addField(int s, int e, boolean complex, int plainEnd) {
        if (e == plainEnd) { // "...": the content is referenced in place
            s++;
            e--;
            complex = false;
        }
        if (nf == fs.length) {
            growFields(nf + 1);
        }
        fs[nf] = s;
        fe[nf] = e;
        fc[nf] = complex;
        nf++;
    }

    /**
     * Length of the non-ASCII character at b[p] of line {@code line}, or 0 when more data
     * is needed. An invalid sequence fails the file, or with invalid-bytes=replace is
     * counted for the record and stepped over.
     */
    private int highChar(byte[] b, int p, int lim, long line) {
        int n = highByte(b, p, lim);
        if (n == 0) {
            return 0;
        }
        if (n < 0) {
            if (!replaceInvalid) {
                throw invalidBytes(line);
            }
            recInvalid = true;
            n = -n;
        }
        recHighFields |= 1L << Math.min(nf, 63); // nf: the index of the field being
                                                 // parsed
        return n;
    }

    private CsvFormatException invalidBytes(long line) {
        return new CsvFormatException(absolute(line), "invalid " + options.encoding().name() + " byte sequence");
    }

    /**
     * Length of the (valid) multi-byte character at b[p]; 0 when it is cut by the end of
     * the buffer and more data may follow; -k when invalid, k being the length of the
     * maximal invalid subpart (as Unicode's and Python's replacing decoders count it).
     * For encodings other than UTF-8 every byte is a character here.
     */
    private int highByte(byte[] b, int p, int lim) {
        if (!utf8) {
            return 1;
        }
        int c = b[p] & 0xFF;
        int n;
        int lo = 0x80;
        int hi = 0xBF;
        if (c >= 0xC2 && c <= 0xDF) {
            n = 2;
        }
        else if (c >= 0xE0 && c <= 0xEF) {
            n = 3;
            if (c == 0xE0) {
                lo = 0xA0;
            }
            else if (c == 0xED) {
                hi = 0x9F;
            }
        }
        else if (c >= 0xF0 && c <= 0xF4) {
            n = 4;
            if (c == 0xF0) {
                lo = 0x90;
            }
            else if (c == 0xF4) {
                hi = 0x8F;
            }
        }
        else {
            return -1;
        }
        for (int i = 1; i < n; i++) {
            if (p + i >= lim) {
                return eof ? -i : 0;
            }
            int d = b[p + i] & 0xFF;
            if (i == 1 ? (d < lo || d > hi) : (d < 0x80 || d > 0xBF)) {
                return -i; // the maximal invalid subpart: the lead byte and the valid
                           // continuation bytes before d
            }
        }
        return n;
    }

    /**
     * Parses the record at pos. On RECORD / UNCLOSED pos and line move past it; on NEED
     * nothing but skipped blank lines is consumed and the caller refills the buffer and
     * calls again.
     */
    private int parseRecord() {
        final byte[] b = buf;
        final int lim = this.lim;
        int p = pos;
        long ln = line;
        // blank lines (empty or only spaces/tabs) are skipped
        for (;;) {
            if (p >= lim) {
                pos = p;
                line = ln;
                return eof ? EOF : NEED;
            }
            byte c = b[p];
            if (c == '\n') {
                p++;
                ln++;
                pos = p;
                line = ln;
                continue;
            }
            if (c == '\r') {
                if (p + 1 >= lim && !eof) {
                    return NEED;
                }
                p++;
                if (p < lim && b[p] == '\n') {
                    p++;
                }
                ln++;
                pos = p;
                line = ln;
                continue;
            }
            if ((c == ' ' || c == '\t') && c != delim) {
                int q = p + 1;
                while (q < lim && (b[q] == ' ' || b[q] == '\t') && b[q] != delim) {
                    q++;
                }
                if (q >= lim) {
                    if (!eof) {
                        return NEED;
                    }
                    p = q;
                    continue;
                }
                if (b[q] == '\n' || b[q] == '\r') {
                    p = q;
                    continue;
                }
            }
            break;
        }
        pos = p;
        line = ln;
        if (bufOffset + p >= end) {
            return END;
        }
        recLine = ln;
        recHighFields = 0;
        recInvalid = false;
        nf = 0;
        final byte[] cu = clsUnquoted;
        final byte[] cq = clsQuoted;
        for (;;) { // one field per iteration
            if (fieldsPath && p + 8 <= lim) {
                p = plainFields(b, p, lim);
                if (p < 0) { // the record ended: a quoted last field and LF at ~p
                    pos = ~p + 1;
                    line = ln + 1;
                    return RECORD;
                }
            }
            final int start = p;
            boolean complex = false;
            int plainEnd = -1; // for "..." without doubled quotes or escapes: the offset
                               // just after the closing quote
            if (p < lim && b[p] == quote) {
                complex = true;
                boolean plain = true;
                long qline = ln;
                p++;
                quoted: for (;;) {
                    p = scan(b, p, lim, cq, quoteMask, lfMask, crMask, escape >= 0, escMask);
                    if (p >= lim) {
                        if (!eof) {
                            return NEED;
                        }
                        pos = p;
                        line = ln;
                        quoteLine = qline;
                        return UNCLOSED;
                    }
                    switch (cq[b[p] & 0xFF]) {
                        case QUOTE:
                            if (p + 1 >= lim) {
                                if (!eof) {
                                    return NEED;
                                }
                                p++;
                                break quoted;
                            }
                            if (b[p + 1] == quote) {
                                plain = false;
                                p += 2;
                                break;
                            }
                            p++;
                            break quoted;
                        case ESC:
                            plain = false;
                            p++;
                            if (p >= lim && !eof) {
                                return NEED;
                            }
                            if (p < lim && (b[p] == quote || (b[p] & 0xFF) == escape)) {
                                p++;
                            }
                            break;
                        case LF:
                            p++;
                            ln++;
                            break;
                        case CR:
                            if (p + 1 >= lim && !eof) {
                                return NEED;
                            }
                            p++;
                            if (p >= lim || b[p] != '\n') {
                                ln++;
                            }
                            break;
                        default: { // HIGH
                            int n = highChar(b, p, lim, ln);
                            if (n == 0) {
                                return NEED;
                            }
                            p += n;
                        }
                    }
                }
                if (plain) {
                    plainEnd = p;
                }
            }
            // unquoted part of the field (also whatever follows a closing quote)
            for (;;) {
                p = scan(b, p, lim, cu, delimMask, lfMask, crMask, escape >= 0, escMask);
                if (p >= lim) {
                    if (!eof) {
                        return NEED;
                    }
                    addField(start, p, complex, plainEnd);
                    pos = p;
                    line = ln;
                    return RECORD;
                }
                switch (cu[b[p] & 0xFF]) {
                    case DELIM:
                        addField(start, p, complex, plainEnd);
                        p++;
                        break;
                    case LF:
                        addField(start, p, complex, plainEnd);
                        pos = p + 1;
                        line = ln + 1;
                        return RECORD;
                    case CR:
                        if (p + 1 >= lim && !eof) {
                            return NEED;
                        }
                        addField(start, p, complex, plainEnd);
                        p++;
                        if (p < lim && b[p] == '\n') {
                            p++;
                        }
                        pos = p;
                        line = ln + 1;
                        return RECORD;
                    case ESC: {
                        complex = true;
                        if (p + 1 >= lim) {
                            if (!eof) {
                                return NEED;
                            }
                            p++;
                            continue;
                        }
                        p++;
                        byte x = b[p];
                        if (x == '\n') {
                            p++;
                            ln++;
                        }
                        else if (x == '\r') {
                            if (p + 1 >= lim && !eof) {
                                return NEED;
                            }
                            p++;
                            if (p >= lim || b[p] != '\n') {
                                ln++;
                            }
                        }
                        else if ((x & 0x80) == 0) {
                            p++;
                        }
                        continue;
                    }
                    default: { // HIGH
                        int n = highChar(b, p, lim, ln);
                        if (n == 0) {
                            return NEED;
                        }
                        p += n;
                        continue;
                    }
                }
                break; // after a delimiter: next field
            }
        }
    }

    private static final VarHandle LONG_LE = MethodHandles.byteArrayViewVarHandle(long[].class,
            ByteOrder.LITTLE_ENDIAN);

    /**
     * Adds the plain fields of the record from p on: fields that hold no line end, escape
     * or non-ASCII byte and end with a delimiter, either unquoted or quoted without
     * quotes inside. Eight bytes at a time, with every delimiter of the word found at
     * once (the first two without a branch), so that fields of varying length cost no
     * mispredicted branch each. Returns where the first field it did not add starts (p
     * when none): the general loop parses that one, and the rest; or, when it added the
     * record's last field (quoted, then LF), the complement of the LF's index.
     */
    private int plainFields(byte[] b, int p, int lim) {
        int f = p; // where the current field starts
        int n = nf;
        final boolean hasEsc = escape >= 0;
        while (p + 8 <= lim) {
            if (n + 8 > fs.length) {
                growFields(n + 8);
            }
            final int[] s = fs;
            final int[] e = fe;
            final boolean[] c = fc;
            long w = (long) LONG_LE.get(b, p);
            long d = Swar.matches(w, delimMask);
            long hard = Swar.firstMatches(w, lfMask) | Swar.firstMatches(w, crMask) | (w & Swar.HIGHS);
            if (hasEsc) {
                hard |= Swar.firstMatches(w, escMask);
            }
            // a quote where a field starts: after a delimiter of this word, or at its
            // first byte
            long quotedStart = Swar.matches(w, quoteMask) & ((d << 8) | (f == p ? 0x80L : 0));
            long stop = hard | quotedStart; // its lowest flag is exact
            d &= (stop & -stop) - 1; // the delimiters before it (all when stop == 0)
            int count = Long.bitCount(d);
            int j0 = p + (Long.numberOfTrailingZeros(d) >>> 3);
            long d1 = d & (d - 1);
            int j1 = p + (Long.numberOfTrailingZeros(d1) >>> 3);
            s[n] = f;
            e[n] = j0;
            c[n] = false;
            s[n + 1] = j0 + 1;
            e[n + 1] = j1;
            c[n + 1] = false;
            if (count > 2) {
                int m = n + 2;
                int prev = j1;
                for (long rest = d1 & (d1 - 1); rest != 0; rest &= rest - 1) {
                    int j = p + (Long.numberOfTrailingZeros(rest) >>> 3);
                    s[m] = prev + 1;
                    e[m] = j;
                    c[m] = false;
                    prev = j;
                    m++;
                }
            }
            f = count == 0 ? f : p + 8 - (Long.numberOfLeadingZeros(d) >>> 3);
            n += count;
            if (stop == 0) {
                p += 8;
                continue;
            }
            if ((stop & -stop & quotedStart) == 0) {
                break; // a line end, escape or non-ASCII byte: the general loop takes
                       // this field
            }
            // a quoted field starts at f: taken here when it is "..." without quotes,
            // line ends, escapes or non-ASCII
            // bytes inside and a delimiter or LF after it (the content referenced in
            // place, as the general loop does)
            int close = scan(b, f + 1, lim, clsQuoted, quoteMask, lfMask, crMask, hasEsc, escMask);
            if (close + 1 >= lim || b[close] != quote || (b[close + 1] != delim && b[close + 1] != '\n')) {
                break;
            }
            if (n + 1 > fs.length) {
                growFields(n + 8);
            }
            fs[n] = f + 1;
            fe[n] = close;
            fc[n] = false;
            n++;
            if (b[close + 1] == '\n') { // the record's last field
                nf = n;
                return ~(close + 1);
            }
            f = close + 2;
            p = f;
        }
        nf = n;
        return f;
    }

    private void growFields(int min) {
        int len = Math.max(min, fs.length * 2);
        fs = java.util.Arrays.copyOf(fs, len);
        fe = java.util.Arrays.copyOf(fe, len);
        fc = java.util.Arrays.copyOf(fc, len);
    }

    /**
     * First index in [p, lim) whose class in {@code cls} is not ORD, or lim: eight bytes
     * at a time, looking for the given delimiter-or-quote byte, LF, CR, the escape byte
     * (when there is one) and bytes >= 0x80.
     */
    private static int scan(byte[] b, int p, int lim, byte[] cls, long sep, long lf, long cr, boolean hasEsc,
            long esc) {
        while (p + 8 <= lim) {
            long w = (long) LONG_LE.get(b, p);
            long m = Swar.firstMatches(w, sep) | Swar.firstMatches(w, lf) | Swar.firstMatches(w, cr) | (w & Swar.HIGHS);
            if (hasEsc) {
                m |= Swar.firstMatches(w, esc);
            }
            if (m != 0) {
                return p + (Long.numberOfTrailingZeros(m) >>> 3);
            }
            p += 8;
        }
        while (p < lim && cls[b[p] & 0xFF] == ORD) {
            p++;
        }
        return p;
    }

    /** Unquotes / unescapes the raw field buf[s, e) into scratch; returns the length. */
    private int unescape(int s, int e) {
        if (scratch.length < e - s) {
            scratch = new byte[Math.max(e - s, scratch.length * 2)];
        }
        final byte[] b = buf;
        final byte[] out = scratch;
        int o = 0;
        int p = s;
        boolean inQuote = false;
        if (p < e && b[p] == quote) {
            inQuote = true;
            p++;
        }
        final boolean hasEsc = escape >= 0;
        while (p < e) {
            // copy the run up to the next quote or escape byte in one go
            int q = p;
            while (q + 8 <= e) {
                long w = (long) LONG_LE.get(b, q);
                long m = Swar.firstMatches(w, quoteMask);
                if (hasEsc) {
                    m |= Swar.firstMatches(w, escMask);
                }
                if (m != 0) {
                    q += Long.numberOfTrailingZeros(m) >>> 3;
                    break;
                }
                q += 8;
            }
            if (q + 8 > e) {
                while (q < e && b[q] != quote && (b[q] & 0xFF) != escape) {
                    q++;
                }
            }
            if (q > p) {
                System.arraycopy(b, p, out, o, q - p);
                o += q - p;
                p = q;
                if (p >= e) {
                    break;
                }
            }
            byte c = b[p];
            if ((c & 0xFF) == escape) {
                p++;
                if (p < e) {
                    out[o++] = b[p++];
                }
            }
            else if (inQuote && c == quote) {
                if (p + 1 < e && b[p + 1] == quote) {
                    out[o++] = quote;
                    p += 2;
                }
                else {
                    inQuote = false;
                    p++;
                }
            }
            else {
                out[o++] = c;
                p++;
            }
        }
        return o;
    }

    /** Stages the fields of the last record. */
    private void stage() {
        int r = bn;
        final int[] s = bs;
        final int[] e = be;
        for (int i = 0; i < nf; i++) {
            int k = i * batch + r;
            s[k] = fc[i] ? ~fs[i] : fs[i];
            e[k] = fe[i];
        }
        for (int i = nf; i < columns; i++) {
            e[i * batch + r] = -1;
        }
        binvalid[r] = recInvalid;
        bhigh[r] = recHighFields;
        bn = r + 1;
    }

    /**
     * Accumulates the staged records, one column at a time: each column's code and state
     * (sketch registers, histogram) stay hot in the processor's caches and branch
     * predictors for the whole batch. A column that has held only numbers so far goes
     * through {@link ColumnAccumulator#addNumbers}, value by value what is left to
     * {@link #accumulate}; when that path takes no value, the rest of the batch goes the
     * general way.
     */
    private void flush(FileAccumulator acc) {
        final int rows = bn;
        if (rows == 0) {
            return;
        }
        bn = 0;
        acc.rows += rows;
        final ColumnAccumulator[] cols = acc.cols;
        for (int col = 0; col < columns; col++) {
            ColumnAccumulator c = cols[col];
            int base = col * batch;
            int highBit = Math.min(col, 63);
            int r = 0;
            while (r < rows) {
                int next = numbersPath ? c.addNumbers(buf, bs, be, base, r, rows, bhigh, highBit, na, parser) : r;
                if (next == r) { // not a numeric column, or not at the moment: the rest
                                 // of the batch the general way
                    for (; r < rows; r++) {
                        accumulate(acc, c, base, highBit, r);
                    }
                }
                else if (next < rows) { // a value the numeric path leaves to the general
                                        // one
                    accumulate(acc, c, base, highBit, next);
                    r = next + 1;
                }
                else {
                    r = rows;
                }
            }
        }
    }

    /** Adds the staged field of row r at base to column c. */
    private void accumulate(FileAccumulator acc, ColumnAccumulator c, int base, int highBit, int r) {
        int e = be[base + r];
        if (e < 0) {
            c.addNull();
            return;
        }
        int s = bs[base + r];
        byte[] a = buf;
        if (s < 0) {
            e = unescape(~s, e);
            s = 0;
            a = scratch;
        }
        int cp = e - s;
        if (((bhigh[r] >>> highBit) & 1) != 0) { // this field holds non-ASCII bytes
            if (binvalid[r] && utf8) {
                e = replaceInvalidUtf8(acc, a, s, e);
                s = 0;
                a = scratch2;
            }
            if (!utf8) {
                e = toUtf8(acc, a, s, e, base + r);
                s = 0;
                a = scratch2;
            }
            cp = codePoints(a, s, e);
        }
        if (na.matches(a, s, e)) {
            c.addNull();
        }
        else {
            c.add(a, s, e, cp, parser, dates);
        }
    }

    /**
     * Copies a[s, e) into scratch2 with every invalid UTF-8 sequence (maximal subpart)
     * replaced by U+FFFD, counting the replacements; returns the length.
     */
    private int replaceInvalidUtf8(FileAccumulator acc, byte[] a, int s, int e) {
        int need = (e - s) * 3;
        if (scratch2.length < need) {
            scratch2 = new byte[Math.max(need, scratch2.length * 2)];
        }
        final byte[] out = scratch2;
        int o = 0;
        int p = s;
        boolean saveEof = eof;
        eof = true; // a field is complete: a cut sequence at its end is invalid
        try {
            while (p < e) {
                if (a[p] >= 0) {
                    out[o++] = a[p++];
                    continue;
                }
                int n = highByte(a, p, e);
                if (n > 0) {
                    System.arraycopy(a, p, out, o, n);
                    o += n;
                    p += n;
                }
                else {
                    out[o++] = (byte) 0xEF;
                    out[o++] = (byte) 0xBF;
                    out[o++] = (byte) 0xBD;
                    acc.invalidBytes++;
                    p += Math.max(1, -n);
                }
            }
        }
        finally {
            eof = saveEof;
        }
        return o;
    }

    private static int codePoints(byte[] a, int s, int e) {
        int n = 0;
        for (int i = s; i < e; i++) {
            if ((a[i] & 0xC0) != 0x80) {
                n++;
            }
        }
        return n;
    }

    /**
     * Transcodes a[s, e), the staged field k (or its unescaped copy), from the file's
     * encoding to UTF-8 into scratch2; returns the length.
     */
    private int toUtf8(FileAccumulator acc, byte[] a, int s, int e, int k) {
        if (latin1) {
            int need = (e - s) * 2;
            if (scratch2.length < need) {
                scratch2 = new byte[Math.max(need, scratch2.length * 2)];
            }
            int o = 0;
            for (int i = s; i < e; i++) {
                int c = a[i] & 0xFF;
                if (c < 0x80) {
                    scratch2[o++] = (byte) c;
                }
                else {
                    scratch2[o++] = (byte) (0xC0 | (c >> 6));
                    scratch2[o++] = (byte) (0x80 | (c & 0x3F));
                }
            }
            return o;
        }
        if (decoder == null) {
            decoder = new FieldDecoder(options.encoding(), replaceInvalid);
        }
        CharBuffer chars = decoder.decode(a, s, e);
        if (chars == null) {
            throw invalidBytes(invalidByteLine(k));
        }
        acc.invalidBytes += decoder.replaced();
        byte[] u = chars.toString().getBytes(StandardCharsets.UTF_8);
        if (scratch2.length < u.length) {
            scratch2 = new byte[Math.max(u.length, scratch2.length * 2)];
        }
        System.arraycopy(u, 0, scratch2, 0, u.length);
        return u.length;
    }

    /**
     * The line of the first byte of the staged field k that the file's encoding rejects.
     * A batch is accumulated after all its rows were parsed, when pos and line are past
     * them: the line is counted back from there, over the line ends after that byte
     * (every LF, CR and CRLF, as the tokenizer counts them).
     */
    private long invalidByteLine(int k) {
        int s = bs[k] < 0 ? ~bs[k] : bs[k]; // the raw field: the ASCII quotes and escapes
                                            // of a complex one decode alike
        int e = be[k];
        CharsetDecoder d = options.encoding()
            .newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(buf, s, e - s);
        CharBuffer out = CharBuffer.allocate(4096); // emptied whenever full
        CoderResult result;
        while ((result = d.decode(in, out, true)).isOverflow()) {
            out.clear();
        }
        int at = result.isError() ? in.position() : s;
        long ln = line;
        for (int i = at; i < pos; i++) {
            byte c = buf[i];
            if (c == '\n' || (c == '\r' && (i + 1 >= lim || buf[i + 1] != '\n'))) {
                ln--;
            }
        }
        return ln;
    }

}
