package dev.batchetl.stats.engine;

import java.nio.charset.StandardCharsets;

/**
 * Good records staged for accumulation, column by column, and their accumulation into a
 * {@link FileAccumulator} a batch at a time. The staged fields point into the tokenizer's
 * buffer: the batch is flushed before the buffer moves.
 */
final class StagedRecords {

    private final CsvTokenizer tokenizer;

    private final FieldTranscoder transcoder;

    private final int columns;

    private final boolean utf8;

    private final NaMatcher na;

    private final NumberParser parser = new NumberParser();

    private final DateTimeParser dates = new DateTimeParser();

    /**
     * Whether numeric columns take {@link ColumnAccumulator#addNumbers} (false only in
     * tests, for comparison).
     */
    private final boolean numbersPath;

    private final int batch;

    // the fields, [column * batch + row]: a quoted or escaped field's start is stored
    // complemented, a missing field's end as -1
    private final int[] bs;

    private final int[] be;

    private final boolean[] binvalid; // per row: its recInvalid (invalid bytes replaced)

    private final long[] bhigh; // per row: its recHighFields

    private int bn;

    StagedRecords(CsvTokenizer tokenizer, CsvOptions options, int columns, ReaderTuning tuning) {
        this.tokenizer = tokenizer;
        this.transcoder = new FieldTranscoder(options.encoding(), options.invalidBytes() == InvalidBytePolicy.REPLACE);
        this.columns = columns;
        this.utf8 = options.encoding().equals(StandardCharsets.UTF_8);
        this.na = new NaMatcher(options.naValues());
        this.numbersPath = tuning.numbersPath();
        this.batch = tuning.batch();
        this.bs = new int[columns * batch];
        this.be = new int[columns * batch];
        this.binvalid = new boolean[batch];
        this.bhigh = new long[batch];
    }

    /** Whether the batch is full. */
    boolean full() {
        return bn == batch;
    }

    /** Stages the fields of the last record. */
    void stage() {
        int r = bn;
        final int[] s = bs;
        final int[] e = be;
        final CsvTokenizer t = tokenizer;
        final int nf = t.nf;
        final int[] fs = t.fs;
        final int[] fe = t.fe;
        final boolean[] fc = t.fc;
        for (int i = 0; i < nf; i++) {
            int k = i * batch + r;
            s[k] = fc[i] ? ~fs[i] : fs[i];
            e[k] = fe[i];
        }
        for (int i = nf; i < columns; i++) {
            e[i * batch + r] = -1;
        }
        binvalid[r] = t.recInvalid;
        bhigh[r] = t.recHighFields;
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
    void flush(FileAccumulator acc) {
        final int rows = bn;
        if (rows == 0) {
            return;
        }
        bn = 0;
        acc.rows += rows;
        final ColumnAccumulator[] cols = acc.cols;
        final byte[] buf = tokenizer.buf;
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
        byte[] a = tokenizer.buf;
        if (s < 0) {
            e = tokenizer.unescape(~s, e);
            s = 0;
            a = tokenizer.scratch;
        }
        int cp = e - s;
        if (((bhigh[r] >>> highBit) & 1) != 0) { // this field holds non-ASCII bytes
            if (binvalid[r] && utf8) {
                e = transcoder.replaceInvalidUtf8(acc, a, s, e);
                s = 0;
                a = transcoder.out;
            }
            if (!utf8) {
                e = transcoder.toUtf8(acc, a, s, e);
                if (e < 0) {
                    int k = base + r; // the raw field: the ASCII quotes and escapes of a
                                      // complex one decode alike
                    throw tokenizer.invalidBytes(tokenizer.lineOfRejectedByte(bs[k] < 0 ? ~bs[k] : bs[k], be[k]));
                }
                s = 0;
                a = transcoder.out;
            }
            cp = Utf8.codePoints(a, s, e);
        }
        if (na.matches(a, s, e)) {
            c.addNull();
        }
        else {
            c.add(a, s, e, cp, parser, dates);
        }
    }

}
