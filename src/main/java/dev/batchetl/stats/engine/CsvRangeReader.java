package dev.batchetl.stats.engine;

import java.io.Closeable;
import java.io.IOException;
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

    static final int DEFAULT_BATCH = 256;

    private final CsvOptions options;

    private final int columns;

    private final CsvTokenizer tokenizer;

    private final StagedRecords staged;

    private boolean finished;

    private CsvRangeReader(CsvTokenizer tokenizer, CsvOptions options, int columns, ReaderTuning tuning) {
        this.tokenizer = tokenizer;
        this.options = options;
        this.columns = columns;
        this.staged = new StagedRecords(tokenizer, options, columns, tuning);
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
            CsvTokenizer tokenizer = new CsvTokenizer(ch, file, options, range, tuning);
            CsvRangeReader r = new CsvRangeReader(tokenizer, options, columns, tuning);
            if (start == 0 && options.encoding().equals(StandardCharsets.UTF_8)) {
                tokenizer.skipBom();
            }
            return r;
        }
        catch (IOException | RuntimeException e) {
            ch.close();
            throw e;
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
        final CsvTokenizer t = tokenizer;
        int n = 0;
        while (n < maxRows && !finished) {
            int r = t.parseRecord();
            switch (r) {
                case CsvTokenizer.NEED:
                    staged.flush(acc); // the staged fields point into the buffer, which
                                       // fill() moves
                    t.fill();
                    continue;
                case CsvTokenizer.EOF:
                case CsvTokenizer.END:
                    finished = true;
                    continue;
                case CsvTokenizer.UNCLOSED:
                    throw new CsvFormatException(t.absolute(t.quoteLine), EOF_IN_QUOTE);
                default:
                    n++;
                    if (t.nf > columns) {
                        bad(acc, badRows, t.recLine, "expected " + columns + " fields, saw " + t.nf);
                    }
                    else {
                        staged.stage();
                        if (staged.full()) {
                            staged.flush(acc);
                        }
                    }
            }
        }
        staged.flush(acc);
        return n;
    }

    private void bad(FileAccumulator acc, Consumer<BadRow> badRows, long at, String reason) {
        if (options.badRows() == BadRowPolicy.FAIL_FILE) {
            throw new CsvFormatException(tokenizer.absolute(at), reason);
        }
        acc.badRows++;
        if (badRows != null) {
            badRows.accept(new BadRow(tokenizer.absolute(at), reason));
        }
    }

    /** Byte offset of the next unread row: a valid resume point for open(...). */
    public long offset() {
        return tokenizer.offset();
    }

    /**
     * Physical line number at offset() (counted now if the line at the start was not
     * given).
     */
    public long line() {
        return tokenizer.absolute(tokenizer.line);
    }

    /**
     * Whether {@link #line()} is known without counting lines: the line at the start was
     * given or counted.
     */
    public boolean lineKnown() {
        return tokenizer.lineKnown;
    }

    public boolean finished() {
        return finished;
    }

    /** The size of the buffer now (for tests). */
    int bufferLength() {
        return tokenizer.buf.length;
    }

    @Override
    public void close() throws IOException {
        tokenizer.close();
    }

    /**
     * Skips one record without accumulating it; false once the range is exhausted. Used
     * by the splitter.
     */
    boolean skipRecord() throws IOException {
        while (!finished) {
            int r = tokenizer.parseRecord();
            if (r == CsvTokenizer.NEED) {
                tokenizer.fill();
            }
            else if (r == CsvTokenizer.EOF || r == CsvTokenizer.END) {
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
        final CsvTokenizer t = tokenizer;
        while (!finished) {
            int r = t.parseRecord();
            if (r == CsvTokenizer.NEED) {
                t.fill();
            }
            else if (r == CsvTokenizer.EOF || r == CsvTokenizer.END) {
                finished = true;
            }
            else if (r == CsvTokenizer.UNCLOSED) {
                throw new CsvFormatException(t.absolute(t.quoteLine), EOF_IN_QUOTE);
            }
            else {
                List<String> out = new ArrayList<>(t.nf);
                for (int i = 0; i < t.nf; i++) {
                    int s = t.fs[i];
                    int e = t.fe[i];
                    byte[] a = t.buf;
                    if (t.fc[i]) {
                        e = t.unescape(s, e);
                        s = 0;
                        a = t.scratch;
                    }
                    out.add(new String(a, s, e - s, options.encoding()));
                }
                return out;
            }
        }
        return null;
    }

}
