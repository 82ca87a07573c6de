package dev.batchetl.stats.engine;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.math.BigInteger;

/**
 * Mergeable statistics of one column. Every non-null value updates the raw (text)
 * min/max, the lengths and the distinct counts, and is classified (integer, float,
 * boolean, date or date-time, else text) also once the column is text, so that whether it
 * is counted by value does not depend on what came before it. Until the first text,
 * numeric values feed the exact integer sums, the moments and the quartiles, and dates
 * the temporal range. Each part adds, merges and writes itself; {@link ColumnResults}
 * renders the result.
 */
final class ColumnAccumulator {

    long nulls;

    long count;

    long ints;

    long floats;

    long trues;

    long falses;

    long texts;

    final IntegerSums integers = new IntegerSums();

    final NumericMoments moments = new NumericMoments();

    final TemporalRange temporal = new TemporalRange();

    final TextExtremes text = new TextExtremes();

    // Distinct values, in three parts so that most numbers and dates are hashed and
    // counted once. distinctNumbers: numbers written the one way their value is
    // (NumberParser.canonical) and dates written YYYY-MM-DD, by value; each is one text
    // and one value. distinctText: every other value, by its bytes. distinctTyped: the
    // typed value of every other number, boolean or instant (null once text). Distinct
    // texts: numbers + text; distinct typed values: numbers + typed.
    DistinctCounter distinctNumbers = new DistinctCounter();

    DistinctCounter distinctText = new DistinctCounter();

    DistinctCounter distinctTyped = new DistinctCounter();

    // quartiles of the numeric values (null once the column is text)
    QuantileAccumulator quantiles = new QuantileAccumulator();

    void addNull() {
        nulls++;
    }

    /**
     * A non-null value: UTF-8 bytes a[s, e) and its length in code points; the parsers
     * are the reader's, reused.
     */
    void add(byte[] a, int s, int e, int cpLen, NumberParser parser, DateTimeParser dates) {
        count++;
        text.add(a, s, e, cpLen);
        int n = e - s;
        // every value is classified, also in a text column: whether a text is counted by
        // value must not depend on what came before it
        if (n >= 10 && a[s + 4] == '-' && a[s + 7] == '-') {
            // four digits and a '-' (which the date parser checks): no number looks like
            // that
            DateTimeParser dp = dates;
            int temporal = dp.parse(a, s, e);
            if (temporal == DateTimeParser.DATE) {
                // a date written YYYY-MM-DD is, like a canonical number, one text and one
                // value: counted once, by value
                distinctNumbers.add(temporalHash(dp));
                if (texts == 0) {
                    temporal(temporal, dp);
                }
                return;
            }
            if (temporal != DateTimeParser.NONE) {
                distinctText.add(DistinctCounter.hashBytes(a, s, e));
                if (texts == 0) {
                    temporal(temporal, dp);
                    distinctTyped.add(temporalHash(dp));
                }
                return;
            }
        }
        int kind = parser.parse(a, s, e);
        if (kind == NumberParser.INT || kind == NumberParser.FLOAT) {
            if (texts == 0) {
                addNumber(kind, parser);
            }
            countNumber(a, s, e, kind, parser);
            return;
        }
        distinctText.add(DistinctCounter.hashBytes(a, s, e));
        if (texts != 0) {
            return;
        }
        switch (kind) {
            case NumberParser.BIGINT:
                addBig(parser.bigValue, parser.doubleValue);
                break;
            case NumberParser.TRUE:
                trues++;
                distinctTyped.add(DistinctCounter.hashTagged(1, 0xB001L));
                break;
            case NumberParser.FALSE:
                falses++;
                distinctTyped.add(DistinctCounter.hashTagged(0, 0xB001L));
                break;
            default:
                if (!addTemporal(a, s, e, dates)) {
                    becomeText();
                }
        }
    }

    /**
     * The hot path of a column whose values were all numbers so far (or booleans or
     * dates): adds the staged values a[bs[base + r], be[base + r]) of rows r = from, from
     * + 1, ... for as long as each is missing (be < 0), an NA value, or a plain ASCII
     * decimal that {@link NumberParser#plainDecimal} reads, with exactly the effect of
     * {@link #addNull()} or {@link #add}, without add's dispatch on the kind of value.
     * Returns the first row it left to the caller (a quoted or non-ASCII field, any other
     * value), or {@code to}. Bit highBit of highs[r] tells whether the field holds a
     * non-ASCII byte.
     */
    int addNumbers(byte[] a, int[] bs, int[] be, int base, int from, int to, long[] highs, int highBit, NaMatcher na,
            NumberParser parser) {
        final TextExtremes text = this.text;
        if (texts != 0 || text.empty()) {
            return from;
        }
        long nulls = this.nulls;
        long count = this.count;
        int minLen = text.minLen;
        int maxLen = text.maxLen;
        long rminKey = text.rminKey;
        long rmaxKey = text.rmaxKey;
        final boolean checkNaFirst = na.anyPlainDecimal();
        int r = from;
        for (; r < to; r++) {
            int e = be[base + r];
            if (e < 0) {
                nulls++;
                continue;
            }
            int s = bs[base + r];
            if (s < 0 || ((highs[r] >>> highBit) & 1) != 0) {
                break;
            }
            int kind;
            if (checkNaFirst) {
                if (na.matches(a, s, e)) {
                    nulls++;
                    continue;
                }
                kind = parser.plainDecimal(a, s, e);
            }
            else { // no NA value is a plain decimal: only what does not read as one can
                   // be an NA value
                kind = parser.plainDecimal(a, s, e);
                if (kind == NumberParser.UNHANDLED && na.matches(a, s, e)) {
                    nulls++;
                    continue;
                }
            }
            if (kind == NumberParser.UNHANDLED) {
                break;
            }
            count++;
            int n = e - s;
            if (n < minLen) {
                minLen = n;
            }
            if (n > maxLen) {
                maxLen = n;
            }
            long key = TextExtremes.prefixKey(a, s, e);
            if (Long.compareUnsigned(key, rminKey) <= 0 || Long.compareUnsigned(key, rmaxKey) >= 0) {
                text.extreme(a, s, e, key);
                rminKey = text.rminKey;
                rmaxKey = text.rmaxKey;
            }
            addNumber(kind, parser);
            countNumber(a, s, e, kind, parser);
        }
        this.nulls = nulls;
        this.count = count;
        text.minLen = minLen;
        text.maxLen = maxLen;
        return r;
    }

    /**
     * The statistics of the number (INT or FLOAT) the parser just read, in a column
     * without text so far.
     */
    private void addNumber(int kind, NumberParser parser) {
        if (kind == NumberParser.INT) {
            long v = parser.longValue;
            ints++;
            integers.add(v);
            moments.add((double) v);
            quantiles.add((double) v);
        }
        else {
            floats++;
            moments.add(parser.doubleValue);
            quantiles.add(parser.doubleValue);
        }
    }

    /**
     * The distinct counts of the number (INT or FLOAT) a[s, e) the parser just read: by
     * value when written the one way its value is; otherwise by text and, while the
     * column has no text, by value.
     */
    private void countNumber(byte[] a, int s, int e, int kind, NumberParser parser) {
        if (parser.canonical) {
            distinctNumbers.add(numberHash(kind, parser));
            return;
        }
        distinctText.add(DistinctCounter.hashBytes(a, s, e));
        if (distinctTyped != null) {
            distinctTyped.add(numberHash(kind, parser));
        }
    }

    private static long numberHash(int kind, NumberParser parser) {
        return kind == NumberParser.INT ? DistinctCounter.hashLong(parser.longValue)
                : DistinctCounter.hashDouble(parser.doubleValue);
    }

    private boolean addTemporal(byte[] a, int s, int e, DateTimeParser p) {
        int kind = p.parse(a, s, e);
        if (kind == DateTimeParser.NONE) {
            return false;
        }
        temporal(kind, p);
        distinctTyped.add(temporalHash(p));
        return true;
    }

    /**
     * The hash of the instant just parsed: equal instants hash the same, whether written
     * as date or date-time.
     */
    private static long temporalHash(DateTimeParser p) {
        return DistinctCounter.hashTagged(DistinctCounter.mix(p.epochSecond) ^ p.nano, 0xDA7EL);
    }

    /** Counts the instant just parsed (of the given kind); not the distinct counts. */
    private void temporal(int kind, DateTimeParser p) {
        temporal.add(kind, p);
    }

    private void becomeText() {
        texts++;
        distinctTyped = null;
        quantiles = null;
    }

    private void addBig(BigInteger v, double d) {
        ints++;
        integers.addBig(v);
        moments.add(d);
        quantiles.add(d);
        distinctTyped.add(DistinctCounter.hashTagged(v.hashCode(), v.bitLength()));
    }

    void merge(ColumnAccumulator o) {
        nulls += o.nulls;
        count += o.count;
        ints += o.ints;
        floats += o.floats;
        trues += o.trues;
        falses += o.falses;
        texts += o.texts;
        integers.merge(o.integers);
        temporal.merge(o.temporal);
        distinctNumbers.merge(o.distinctNumbers);
        distinctText.merge(o.distinctText);
        if (texts > 0) {
            distinctTyped = null;
            quantiles = null;
        }
        else {
            distinctTyped.merge(o.distinctTyped);
            quantiles.merge(o.quantiles);
        }
        moments.merge(o.moments);
        text.merge(o.text);
    }

    ColumnType type(long rows) {
        return PandasDtype.of(this, rows);
    }

    ColumnStats result(String name, long rows) {
        return ColumnResults.of(this, name, rows);
    }

    /**
     * Plain decimal (no exponent) of the shortest representation; inf/-inf; null for NaN.
     */
    static String format(double x) {
        return ColumnStats.format(x);
    }

    /** The checkpoint format: the bytes of each part, in the order the format has. */
    void write(DataOutputStream out) throws IOException {
        out.writeLong(nulls);
        out.writeLong(count);
        out.writeLong(ints);
        out.writeLong(floats);
        out.writeLong(trues);
        out.writeLong(falses);
        out.writeLong(texts);
        integers.writeInt64(out);
        moments.write(out);
        text.write(out);
        integers.writeBeyondInt64(out);
        temporal.write(out);
        distinctNumbers.write(out);
        distinctText.write(out);
        out.writeBoolean(distinctTyped != null);
        if (distinctTyped != null) {
            distinctTyped.write(out);
            quantiles.write(out);
        }
    }

    static ColumnAccumulator read(DataInputStream in) throws IOException {
        ColumnAccumulator c = new ColumnAccumulator();
        c.nulls = in.readLong();
        c.count = in.readLong();
        c.ints = in.readLong();
        c.floats = in.readLong();
        c.trues = in.readLong();
        c.falses = in.readLong();
        c.texts = in.readLong();
        c.integers.readInt64(in);
        c.moments.read(in);
        c.text.read(in);
        c.integers.readBeyondInt64(in);
        c.temporal.read(in);
        c.distinctNumbers = DistinctCounter.read(in);
        c.distinctText = DistinctCounter.read(in);
        if (in.readBoolean()) {
            c.distinctTyped = DistinctCounter.read(in);
            c.quantiles = QuantileAccumulator.read(in);
        }
        else {
            c.distinctTyped = null;
            c.quantiles = null;
        }
        return c;
    }

}
