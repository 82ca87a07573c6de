package dev.batchetl.stats.engine;

import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
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
import java.util.Arrays;

/**
 * The CSV tokenizer and the buffer it reads from: parses one record at a time into field
 * bounds in the buffer, following the pandas C tokenizer (see {@link CsvRangeReader}),
 * and numbers its lines. Its loops are the engine's hottest, so they stay together here.
 */
final class CsvTokenizer implements Closeable {

    // byte classes
    private static final byte ORD = 0;

    private static final byte DELIM = 1;

    private static final byte LF = 2;

    private static final byte CR = 3;

    private static final byte QUOTE = 4;

    private static final byte ESC = 5;

    private static final byte HIGH = 6;

    // results of parseRecord
    static final int NEED = 0;

    static final int RECORD = 1;

    static final int UNCLOSED = 2; // the end of the file inside a quoted field

    static final int EOF = -1;

    static final int END = -2;

    private final ByteSource channel;

    private final Path file;

    private final long start;

    private final CsvOptions options;

    private final long end;

    private final byte delim;

    private final byte quote;

    private final int escape;

    private final boolean utf8;

    private final boolean replaceInvalid;

    private final byte[] clsUnquoted = new byte[256];

    private final byte[] clsQuoted = new byte[256];

    private final long delimMask;

    private final long quoteMask;

    private final long lfMask = Swar.broadcast('\n');

    private final long crMask = Swar.broadcast('\r');

    private final long escMask;

    private final int maxRow; // CsvRangeReader.MAX_ROW, or less in tests

    /**
     * Whether plain fields take {@link #plainFields} (false only in tests, for
     * comparison).
     */
    private final boolean fieldsPath;

    byte[] buf;

    int lim;

    int pos;

    long bufOffset; // file offset of buf[0]

    private long readPos; // file offset of the next channel read

    boolean eof;

    long line; // counted from firstLine, or from 0 while lineAtStart is unknown

    private long lineAtStart; // what line numbers are short of: 0, or once known the line
                              // at start when it was not

    boolean lineKnown;

    // the last parsed record: its fields buf[fs[i], fe[i]), fc[i] when quoted or escaped
    int nf;

    int[] fs = new int[64];

    int[] fe = new int[64];

    boolean[] fc = new boolean[64];

    long recHighFields; // bit i: field i holds a non-ASCII byte (bit 63: a field from the
                        // 64th on)

    boolean recInvalid; // invalid bytes were found (and are to be replaced)

    long recLine;

    long quoteLine; // of the quote that opened the field still open at the end of the
                    // file

    byte[] scratch = new byte[256]; // the last field unescape()d

    CsvTokenizer(ByteSource channel, Path file, CsvOptions options, ByteRange range, ReaderTuning tuning) {
        this.channel = channel;
        this.file = file;
        this.start = range.start();
        this.options = options;
        this.end = range.end();
        this.fieldsPath = tuning.fieldsPath();
        this.maxRow = tuning.maxRow();
        this.delim = (byte) options.delimiter();
        this.quote = (byte) options.quote();
        this.escape = options.escape() == null ? -1 : options.escape();
        this.utf8 = options.encoding().equals(StandardCharsets.UTF_8);
        this.replaceInvalid = options.invalidBytes() == InvalidBytePolicy.REPLACE;
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
        // rows in a buffer of at most maxRow bytes are not longer
        this.buf = new byte[Math.min(tuning.bufferSize(), maxRow)];
        this.bufOffset = start;
        this.readPos = start;
        this.lineKnown = range.firstLine() >= 0;
        this.line = Math.max(0, range.firstLine());
    }

    /** Byte offset of the next unparsed record. */
    long offset() {
        return bufOffset + pos;
    }

    void skipBom() throws IOException {
        while (lim < 3 && !eof) {
            fill();
        }
        if (lim >= 3 && buf[0] == (byte) 0xEF && buf[1] == (byte) 0xBB && buf[2] == (byte) 0xBF) {
            pos = 3;
        }
    }

    void fill() throws IOException {
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
        int n = utf8 ? Utf8.sequenceLength(b, p, lim, eof) : 1;
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

    CsvFormatException invalidBytes(long line) {
        return new CsvFormatException(absolute(line), "invalid " + options.encoding().name() + " byte sequence");
    }

    /**
     * Parses the record at pos. On RECORD / UNCLOSED pos and line move past it; on NEED
     * nothing but skipped blank lines is consumed and the caller refills the buffer and
     * calls again.
     */
    int parseRecord() {
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
        fs = Arrays.copyOf(fs, len);
        fe = Arrays.copyOf(fe, len);
        fc = Arrays.copyOf(fc, len);
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
    int unescape(int s, int e) {
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

    /** The physical line number of a line counted by this tokenizer. */
    long absolute(long counted) {
        if (!lineKnown) {
            try {
                lineAtStart = LineCounter.lineAt(file, options, start);
            }
            catch (IOException e) {
                throw new UncheckedIOException("cannot count the lines of " + file + " before byte " + start, e);
            }
            lineKnown = true;
        }
        return counted + lineAtStart;
    }

    /**
     * The line of the first byte of the raw field buf[s, e) that the file's encoding
     * rejects. A batch is accumulated after all its rows were parsed, when pos and line
     * are past them: the line is counted back from there, over the line ends after that
     * byte (every LF, CR and CRLF, as the tokenizer counts them).
     */
    long lineOfRejectedByte(int s, int e) {
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

    @Override
    public void close() throws IOException {
        channel.close();
    }

}
