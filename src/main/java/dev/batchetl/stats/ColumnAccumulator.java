package dev.batchetl.stats;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.MathContext;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Mergeable statistics of one column. Every non-null value updates the raw (text)
 * min/max, the lengths and the distinct counts, and is classified (integer, float,
 * boolean, date or date-time, else text) also once the column is text, so that whether it
 * is counted by value does not depend on what came before it. Until the first text,
 * numeric values feed an exact integer sum, a compensated double sum, Welford's variance
 * and the quartiles, and dates the temporal range.
 */
final class ColumnAccumulator {

    long nulls;

    long count;

    long ints;

    long floats;

    long trues;

    long falses;

    long texts;

    // exact sum of the integer values: isum, or ibig once it left the long range
    long isum;

    BigInteger ibig;

    long imin = Long.MAX_VALUE;

    long imax = Long.MIN_VALUE;

    // all numeric values as doubles: infinities counted apart; the finite ones in a
    // compensated sum (whatever of it
    // overflowed the double range folded into the exact bigSum) and in Welford's moments
    long posInfs;

    long negInfs;

    BigDecimal bigSum;

    double dsum;

    double dcomp;

    double dmin = Double.POSITIVE_INFINITY;

    double dmax = Double.NEGATIVE_INFINITY;

    long dn;

    double shift; // Welford's moments are of x - shift

    double wmean; // the mean of x - shift

    double wm2;

    // whether wm2 holds the squared deviations times 2^-600: set once they would leave
    // the double range, so that a
    // variance within it stays exact (values of 1e154 and more)
    boolean m2Scaled;

    // integers beyond int64: uint64 values (above Long.MAX_VALUE, as unsigned longs) and
    // beyond that (huge)
    long uints;

    long umin = -1L; // unsigned

    long umax; // unsigned

    long hugeInts;

    long negInts;

    // ISO 8601 dates and date-times
    long dates;

    long naiveTimes;

    long awareTimes;

    long tminSec = Long.MAX_VALUE;

    int tminNano;

    long tmaxSec = Long.MIN_VALUE;

    int tmaxNano;

    // Distinct values, in three parts so that most numbers and dates are hashed and
    // counted once. distinctNumbers:
    // numbers written the one way their value is (NumberParser.canonical) and dates
    // written YYYY-MM-DD, by value; each
    // is one text and one value. distinctText: every other value, by its bytes.
    // distinctTyped: the typed value of
    // every other number, boolean or instant (null once text). Distinct texts: numbers +
    // text; distinct typed values:
    // numbers + typed.
    DistinctCounter distinctNumbers = new DistinctCounter();

    DistinctCounter distinctText = new DistinctCounter();

    DistinctCounter distinctTyped = new DistinctCounter();

    // quartiles of the numeric values (null once the column is text)
    QuantileAccumulator quantiles = new QuantileAccumulator();

    int minLen = Integer.MAX_VALUE;

    int maxLen = -1;

    byte[] rmin = new byte[0];

    int rminLen = -1; // -1: none yet

    byte[] rmax = new byte[0];

    int rmaxLen = -1;

    // prefix keys of rmin / rmax (derived, not serialized)
    private long rminKey;

    private long rmaxKey;

    void addNull() {
        nulls++;
    }

    /**
     * A non-null value: UTF-8 bytes a[s, e) and its length in code points; the parsers
     * are the reader's, reused.
     */
    void add(byte[] a, int s, int e, int cpLen, NumberParser parser, DateTimeParser dates) {
        count++;
        if (cpLen < minLen) {
            minLen = cpLen;
        }
        if (cpLen > maxLen) {
            maxLen = cpLen;
        }
        int n = e - s;
        long key = prefixKey(a, s, e);
        if (rminLen < 0) {
            rmin = Arrays.copyOfRange(a, s, e);
            rminLen = n;
            rmax = Arrays.copyOfRange(a, s, e);
            rmaxLen = n;
            rminKey = key;
            rmaxKey = key;
        }
        else if (Long.compareUnsigned(key, rminKey) <= 0 || Long.compareUnsigned(key, rmaxKey) >= 0) {
            // only a value whose prefix key is not strictly between those of min and max
            // can be a new extreme
            textExtreme(a, s, e, key);
        }
        // every value is classified, also in a text column: whether a text is counted by
        // value must not depend on
        // what came before it
        if (n >= 10 && a[s + 4] == '-' && a[s + 7] == '-') {
            // four digits and a '-' (which the date parser checks): no number looks like
            // that
            DateTimeParser dp = dates;
            int temporal = dp.parse(a, s, e);
            if (temporal == DateTimeParser.DATE) {
                // a date written YYYY-MM-DD is, like a canonical number, one text and one
                // value: counted once, by
                // value
                distinctNumbers.add(temporalHash(dp));
                if (texts == 0) {
                    addTemporal(temporal, dp);
                }
                return;
            }
            if (temporal != DateTimeParser.NONE) {
                distinctText.add(DistinctCounter.hashBytes(a, s, e));
                if (texts == 0) {
                    addTemporal(temporal, dp);
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

    /** a[s, e), whose prefix key is key, if it is a new text minimum or maximum. */
    private void textExtreme(byte[] a, int s, int e, long key) {
        int n = e - s;
        if (compare(a, s, e, rmin, rminLen) < 0) {
            if (rmin.length < n) {
                rmin = new byte[Math.max(n, rmin.length * 2)];
            }
            System.arraycopy(a, s, rmin, 0, n);
            rminLen = n;
            rminKey = key;
        }
        else if (compare(a, s, e, rmax, rmaxLen) > 0) {
            if (rmax.length < n) {
                rmax = new byte[Math.max(n, rmax.length * 2)];
            }
            System.arraycopy(a, s, rmax, 0, n);
            rmaxLen = n;
            rmaxKey = key;
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
        if (texts != 0 || rminLen < 0) {
            return from;
        }
        long nulls = this.nulls;
        long count = this.count;
        int minLen = this.minLen;
        int maxLen = this.maxLen;
        long rminKey = this.rminKey;
        long rmaxKey = this.rmaxKey;
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
            long key = prefixKey(a, s, e);
            if (Long.compareUnsigned(key, rminKey) <= 0 || Long.compareUnsigned(key, rmaxKey) >= 0) {
                textExtreme(a, s, e, key);
                rminKey = this.rminKey;
                rmaxKey = this.rmaxKey;
            }
            addNumber(kind, parser);
            countNumber(a, s, e, kind, parser);
        }
        this.nulls = nulls;
        this.count = count;
        this.minLen = minLen;
        this.maxLen = maxLen;
        return r;
    }

    /**
     * The statistics of the number (INT or FLOAT) the parser just read, in a column
     * without text so far.
     */
    private void addNumber(int kind, NumberParser parser) {
        if (kind == NumberParser.INT) {
            addInt(parser.longValue);
        }
        else {
            floats++;
            addDouble(parser.doubleValue);
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
        addTemporal(kind, p);
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

    /**
     * Counts the instant just parsed (of the given kind) and updates the range; not the
     * distinct counts.
     */
    private void addTemporal(int kind, DateTimeParser p) {
        if (kind == DateTimeParser.DATE) {
            dates++;
        }
        else if (kind == DateTimeParser.NAIVE) {
            naiveTimes++;
        }
        else {
            awareTimes++;
        }
        long sec = p.epochSecond;
        int nano = p.nano;
        if (sec < tminSec || (sec == tminSec && nano < tminNano)) {
            tminSec = sec;
            tminNano = nano;
        }
        if (sec > tmaxSec || (sec == tmaxSec && nano > tmaxNano)) {
            tmaxSec = sec;
            tmaxNano = nano;
        }
    }

    private void becomeText() {
        texts++;
        distinctTyped = null;
        quantiles = null;
    }

    private void addBig(java.math.BigInteger v, double d) {
        ints++;
        if (v.signum() > 0 && v.bitLength() <= 64) {
            uints++;
            long u = v.longValue();
            if (Long.compareUnsigned(u, umin) < 0) {
                umin = u;
            }
            if (Long.compareUnsigned(u, umax) > 0) {
                umax = u;
            }
        }
        else {
            hugeInts++;
            if (v.signum() < 0) {
                negInts++;
            }
        }
        ibig = ibig == null ? v : ibig.add(v);
        addDouble(d);
        quantiles.add(d);
        distinctTyped.add(DistinctCounter.hashTagged(v.hashCode(), v.bitLength()));
    }

    private static final VarHandle LONG_BE = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);

    /**
     * The first 8 bytes as an unsigned big-endian number, zero padded. If key(x) > key(y)
     * (unsigned) then x > y in unsigned lexicographic order, and likewise for <; equal
     * keys decide nothing.
     */
    static long prefixKey(byte[] a, int s, int e) {
        int n = e - s;
        if (n >= 8) {
            return (long) LONG_BE.get(a, s);
        }
        if (n == 0) {
            return 0;
        }
        if (s + 8 <= a.length) { // one load, the bytes after the value masked off
            return (long) LONG_BE.get(a, s) & (-1L << (8 * (8 - n)));
        }
        long k = 0;
        for (int i = s; i < e; i++) {
            k = (k << 8) | (a[i] & 0xFF);
        }
        return n == 0 ? 0 : k << (8 * (8 - n));
    }

    private void refreshKeys() {
        rminKey = rminLen < 0 ? 0 : prefixKey(rmin, 0, rminLen);
        rmaxKey = rmaxLen < 0 ? 0 : prefixKey(rmax, 0, rmaxLen);
    }

    /**
     * Unsigned lexicographic comparison of a[s, e) with b[0, bLen): code point order for
     * UTF-8.
     */
    private static int compare(byte[] a, int s, int e, byte[] b, int bLen) {
        int n = Math.min(e - s, bLen);
        for (int i = 0; i < n; i++) {
            int x = a[s + i] & 0xFF;
            int y = b[i] & 0xFF;
            if (x != y) {
                return x - y;
            }
        }
        return (e - s) - bLen;
    }

    private void addInt(long v) {
        ints++;
        long r = isum + v;
        if (((isum ^ r) & (v ^ r)) < 0) { // overflow
            ibig = (ibig == null ? BigInteger.valueOf(isum) : ibig.add(BigInteger.valueOf(isum)))
                .add(BigInteger.valueOf(v));
            isum = 0;
        }
        else {
            isum = r;
        }
        if (v < imin) {
            imin = v;
        }
        if (v > imax) {
            imax = v;
        }
        if (v < 0) {
            negInts++;
        }
        addDouble((double) v);
        quantiles.add((double) v);
    }

    private void addDouble(double x) {
        if (x < dmin) {
            dmin = x;
        }
        if (x > dmax) {
            dmax = x;
        }
        if (!Double.isFinite(x)) { // the parser gives no NaN
            if (x > 0) {
                posInfs++;
            }
            else {
                negInfs++;
            }
            return;
        }
        // Neumaier (Kahan-Babuska) compensated sum
        double t = dsum + x;
        if (Double.isInfinite(t)) {
            foldSum(new BigDecimal(x));
        }
        else if (Math.abs(dsum) >= Math.abs(x)) {
            dcomp += (dsum - t) + x;
            dsum = t;
        }
        else {
            dcomp += (x - t) + dsum;
            dsum = t;
        }
        // Welford, over x - shift (shift: the first value), so that values far from 0 but
        // close together keep their
        // digits in the deviations (1e15 + k/4: the mean of the values themselves is
        // rounded to 0.125)
        if (dn == 0) {
            shift = x;
        }
        dn++;
        double y = x - shift;
        double d = y - wmean;
        wmean += d / dn;
        double e = y - wmean;
        double m2 = wm2 + d * e;
        if (m2Scaled || m2 == Double.POSITIVE_INFINITY) {
            addScaledSquare(d, e);
        }
        else {
            wm2 = m2;
        }
    }

    private static final int M2_HALF_SCALE = 300;

    /**
     * Adds d * e to the squared deviations in their scaled form (switching to it first).
     */
    private void addScaledSquare(double d, double e) {
        if (!m2Scaled) {
            if (!Double.isFinite(d) || !Double.isFinite(e)) {
                wm2 = Double.POSITIVE_INFINITY; // a deviation beyond the double range: so
                                                // is the variance
                return;
            }
            wm2 = Math.scalb(wm2, -2 * M2_HALF_SCALE);
            m2Scaled = true;
        }
        wm2 += Math.scalb(d, -M2_HALF_SCALE) * Math.scalb(e, -M2_HALF_SCALE);
    }

    /**
     * The double sum would leave the double range: it moves, with extra, into the exact
     * sum, and starts again at 0.
     */
    private void foldSum(BigDecimal extra) {
        bigSum = finiteSum().add(extra);
        dsum = 0;
        dcomp = 0;
    }

    /**
     * The sum of the finite values: exact where it left the double range on the way,
     * compensated otherwise.
     */
    private BigDecimal finiteSum() {
        BigDecimal total = new BigDecimal(dsum).add(new BigDecimal(dcomp));
        return bigSum == null ? total : bigSum.add(total);
    }

    BigInteger exactIntSum() {
        BigInteger b = BigInteger.valueOf(isum);
        return ibig == null ? b : ibig.add(b);
    }

    void merge(ColumnAccumulator o) {
        nulls += o.nulls;
        count += o.count;
        ints += o.ints;
        floats += o.floats;
        trues += o.trues;
        falses += o.falses;
        texts += o.texts;
        if (o.ibig != null || o.isum != 0) {
            long r = isum + o.isum;
            if (o.ibig != null || ibig != null || ((isum ^ r) & (o.isum ^ r)) < 0) {
                ibig = exactIntSum().add(o.exactIntSum());
                isum = 0;
            }
            else {
                isum = r;
            }
        }
        imin = Math.min(imin, o.imin);
        imax = Math.max(imax, o.imax);
        uints += o.uints;
        if (o.uints > 0) {
            if (Long.compareUnsigned(o.umin, umin) < 0) {
                umin = o.umin;
            }
            if (Long.compareUnsigned(o.umax, umax) > 0) {
                umax = o.umax;
            }
        }
        hugeInts += o.hugeInts;
        negInts += o.negInts;
        dates += o.dates;
        naiveTimes += o.naiveTimes;
        awareTimes += o.awareTimes;
        if (o.tminSec < tminSec || (o.tminSec == tminSec && o.tminNano < tminNano)) {
            tminSec = o.tminSec;
            tminNano = o.tminNano;
        }
        if (o.tmaxSec > tmaxSec || (o.tmaxSec == tmaxSec && o.tmaxNano > tmaxNano)) {
            tmaxSec = o.tmaxSec;
            tmaxNano = o.tmaxNano;
        }
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
        // compensated sums: add the other's sum and carry both compensations; exact parts
        // add exactly
        posInfs += o.posInfs;
        negInfs += o.negInfs;
        if (o.bigSum != null) {
            bigSum = bigSum == null ? o.bigSum : bigSum.add(o.bigSum);
        }
        double t = dsum + o.dsum;
        double c = dcomp + o.dcomp;
        if (Double.isInfinite(t) || Double.isInfinite(c)) {
            foldSum(new BigDecimal(o.dsum).add(new BigDecimal(o.dcomp)));
        }
        else {
            if (Math.abs(dsum) >= Math.abs(o.dsum)) {
                c += (dsum - t) + o.dsum;
            }
            else {
                c += (o.dsum - t) + dsum;
            }
            dcomp = c;
            dsum = t;
        }
        if (o.dmin < dmin) {
            dmin = o.dmin;
        }
        if (o.dmax > dmax) {
            dmax = o.dmax;
        }
        // Chan et al. parallel variance
        if (o.dn > 0) {
            if (dn == 0) {
                shift = o.shift;
                wmean = o.wmean;
                wm2 = o.wm2;
                m2Scaled = o.m2Scaled;
                dn = o.dn;
            }
            else {
                long n = dn + o.dn;
                double delta = (o.shift - shift) + (o.wmean - wmean); // of the means,
                                                                      // each of its own
                                                                      // shift
                double weight = (double) dn * (double) o.dn / n;
                wmean = wmean + delta * ((double) o.dn / n);
                double m2 = m2Scaled || o.m2Scaled ? Double.POSITIVE_INFINITY : wm2 + o.wm2 + delta * delta * weight;
                if (m2 == Double.POSITIVE_INFINITY && Double.isFinite(delta)) { // in the
                                                                                // scaled
                                                                                // form
                    double a = m2Scaled ? wm2 : Math.scalb(wm2, -2 * M2_HALF_SCALE);
                    double b = o.m2Scaled ? o.wm2 : Math.scalb(o.wm2, -2 * M2_HALF_SCALE);
                    double scaledDelta = Math.scalb(delta, -M2_HALF_SCALE);
                    m2 = a + b + scaledDelta * scaledDelta * weight;
                    m2Scaled = true;
                }
                wm2 = m2;
                dn = n;
            }
        }
        minLen = Math.min(minLen, o.minLen);
        maxLen = Math.max(maxLen, o.maxLen);
        if (o.rminLen >= 0) {
            if (rminLen < 0 || Arrays.compareUnsigned(o.rmin, 0, o.rminLen, rmin, 0, rminLen) < 0) {
                rmin = Arrays.copyOf(o.rmin, o.rminLen);
                rminLen = o.rminLen;
            }
            if (rmaxLen < 0 || Arrays.compareUnsigned(o.rmax, 0, o.rmaxLen, rmax, 0, rmaxLen) > 0) {
                rmax = Arrays.copyOf(o.rmax, o.rmaxLen);
                rmaxLen = o.rmaxLen;
            }
            refreshKeys();
        }
    }

    ColumnType type(long rows) {
        if (texts > 0) {
            return ColumnType.TEXT;
        }
        long temporal = dates + naiveTimes + awareTimes;
        if (temporal > 0) {
            if (ints + floats + trues + falses > 0 || (awareTimes > 0 && dates + naiveTimes > 0)) {
                return ColumnType.TEXT; // pandas: object
            }
            return naiveTimes + awareTimes == 0 ? ColumnType.DATE : ColumnType.DATETIME;
        }
        if (trues + falses > 0) {
            return ints + floats > 0 || nulls > 0 ? ColumnType.TEXT : ColumnType.BOOLEAN;
        }
        if (count == 0) {
            // no rows at all: pandas leaves the column as object; only nulls: float64
            return rows == 0 ? ColumnType.TEXT : ColumnType.FLOAT;
        }
        if (floats > 0 || nulls > 0) {
            return ColumnType.FLOAT;
        }
        if (hugeInts > 0 || (uints > 0 && negInts > 0)) {
            return ColumnType.TEXT; // pandas: beyond int64 and uint64, or both negative
                                    // and beyond int64, is object
        }
        return ColumnType.INTEGER;
    }

    ColumnStats result(String name, long rows) {
        ColumnType type = type(rows);
        String sum = null;
        Double mean = null;
        String min = null;
        String max = null;
        Double variance = null;
        double[] q = null;
        if (count > 0) {
            switch (type) {
                case INTEGER: {
                    BigInteger exact = exactIntSum();
                    sum = exact.toString();
                    mean = new BigDecimal(exact).divide(BigDecimal.valueOf(count), MathContext.DECIMAL128)
                        .doubleValue();
                    min = ints > uints ? Long.toString(imin) : Long.toUnsignedString(umin);
                    max = uints > 0 ? Long.toUnsignedString(umax) : Long.toString(imax);
                    variance = variance();
                    q = quantiles.quantiles(0.25, 0.5, 0.75);
                    break;
                }
                case FLOAT: {
                    double total;
                    if (posInfs > 0 || negInfs > 0) {
                        total = posInfs == 0 ? Double.NEGATIVE_INFINITY
                                : negInfs == 0 ? Double.POSITIVE_INFINITY : Double.NaN;
                        mean = total;
                    }
                    else if (bigSum == null) {
                        total = dsum + dcomp;
                        mean = total / count;
                    }
                    else { // the sum left the double range on the way: the mean is the
                           // exact one, rounded
                        BigDecimal exact = finiteSum();
                        total = exact.doubleValue();
                        mean = exact.divide(BigDecimal.valueOf(count), MathContext.DECIMAL128).doubleValue();
                    }
                    sum = format(total);
                    min = format(dmin);
                    max = format(dmax);
                    variance = variance();
                    q = quantiles.quantiles(0.25, 0.5, 0.75);
                    break;
                }
                case BOOLEAN: {
                    sum = Long.toString(trues);
                    mean = (double) trues / count;
                    min = falses > 0 ? "False" : "True";
                    max = trues > 0 ? "True" : "False";
                    if (count > 1) {
                        variance = (double) trues * (double) falses / ((double) count * (double) (count - 1));
                    }
                    break;
                }
                case DATE:
                case DATETIME: {
                    boolean dateOnly = type == ColumnType.DATE;
                    boolean utc = awareTimes > 0;
                    min = DateTimeParser.format(tminSec, tminNano, dateOnly, utc);
                    max = DateTimeParser.format(tmaxSec, tmaxNano, dateOnly, utc);
                    break;
                }
                default:
                    min = new String(rmin, 0, rminLen, StandardCharsets.UTF_8);
                    max = new String(rmax, 0, rmaxLen, StandardCharsets.UTF_8);
            }
        }
        Integer minLength = count > 0 ? minLen : null;
        Integer maxLength = count > 0 ? maxLen : null;
        DistinctCounter d = DistinctCounter.union(distinctNumbers,
                type == ColumnType.TEXT || distinctTyped == null ? distinctText : distinctTyped);
        long distinct = count == 0 ? 0 : d.count();
        boolean quantilesExact = q == null || quantiles.exact();
        Double std = variance == null ? null : Math.sqrt(variance);
        return new ColumnStats(name, type, count, nulls, number(mean), min, max, variance, std, minLength, maxLength,
                sum, distinct, d.exact(), q == null ? null : number(q[0]), q == null ? null : number(q[1]),
                q == null ? null : number(q[2]), quantilesExact);
    }

    /**
     * The sample variance (ddof 1) of the numeric values, as pandas gives it: none for
     * fewer than two values or where a value is infinite (NaN in pandas); infinite where
     * the variance is beyond the double range. The squared deviations are held scaled by
     * 2^-600 once they would leave the range themselves, so a variance within it stays
     * exact where pandas' own sum of squares overflows to inf.
     */
    private Double variance() {
        if (dn + posInfs + negInfs < 2 || posInfs > 0 || negInfs > 0) {
            return null;
        }
        if (!Double.isFinite(wm2) || !Double.isFinite(wmean)) {
            return Double.POSITIVE_INFINITY;
        }
        double v = wm2 / (dn - 1);
        if (m2Scaled) {
            v = Math.scalb(v, 2 * M2_HALF_SCALE); // infinite where the variance itself is
                                                  // beyond the double range
        }
        return v < 0 ? 0.0 : v;
    }

    /** null for NaN: a statistic pandas gives as NaN is empty. */
    private static Double number(Double x) {
        return x == null || x.isNaN() ? null : x;
    }

    /**
     * Plain decimal (no exponent) of the shortest representation; inf/-inf; null for NaN.
     */
    static String format(double x) {
        return ColumnStats.format(x);
    }

    void write(DataOutputStream out) throws IOException {
        out.writeLong(nulls);
        out.writeLong(count);
        out.writeLong(ints);
        out.writeLong(floats);
        out.writeLong(trues);
        out.writeLong(falses);
        out.writeLong(texts);
        out.writeLong(isum);
        if (ibig == null) {
            out.writeInt(-1);
        }
        else {
            byte[] b = ibig.toByteArray();
            out.writeInt(b.length);
            out.write(b);
        }
        out.writeLong(imin);
        out.writeLong(imax);
        out.writeLong(posInfs);
        out.writeLong(negInfs);
        if (bigSum == null) {
            out.writeInt(-1);
        }
        else {
            byte[] b = bigSum.unscaledValue().toByteArray();
            out.writeInt(b.length);
            out.write(b);
            out.writeInt(bigSum.scale());
        }
        out.writeDouble(dsum);
        out.writeDouble(dcomp);
        out.writeDouble(dmin);
        out.writeDouble(dmax);
        out.writeLong(dn);
        out.writeDouble(shift);
        out.writeDouble(wmean);
        out.writeDouble(wm2);
        out.writeBoolean(m2Scaled);
        out.writeInt(minLen);
        out.writeInt(maxLen);
        out.writeInt(rminLen);
        if (rminLen > 0) {
            out.write(rmin, 0, rminLen);
        }
        out.writeInt(rmaxLen);
        if (rmaxLen > 0) {
            out.write(rmax, 0, rmaxLen);
        }
        out.writeLong(uints);
        out.writeLong(umin);
        out.writeLong(umax);
        out.writeLong(hugeInts);
        out.writeLong(negInts);
        out.writeLong(dates);
        out.writeLong(naiveTimes);
        out.writeLong(awareTimes);
        out.writeLong(tminSec);
        out.writeInt(tminNano);
        out.writeLong(tmaxSec);
        out.writeInt(tmaxNano);
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
        c.isum = in.readLong();
        int bl = in.readInt();
        if (bl >= 0) {
            byte[] b = new byte[bl];
            in.readFully(b);
            c.ibig = new BigInteger(b);
        }
        c.imin = in.readLong();
        c.imax = in.readLong();
        c.posInfs = in.readLong();
        c.negInfs = in.readLong();
        int sl = in.readInt();
        if (sl >= 0) {
            byte[] b = new byte[sl];
            in.readFully(b);
            c.bigSum = new BigDecimal(new BigInteger(b), in.readInt());
        }
        c.dsum = in.readDouble();
        c.dcomp = in.readDouble();
        c.dmin = in.readDouble();
        c.dmax = in.readDouble();
        c.dn = in.readLong();
        c.shift = in.readDouble();
        c.wmean = in.readDouble();
        c.wm2 = in.readDouble();
        c.m2Scaled = in.readBoolean();
        c.minLen = in.readInt();
        c.maxLen = in.readInt();
        c.rminLen = in.readInt();
        c.rmin = new byte[Math.max(0, c.rminLen)];
        in.readFully(c.rmin);
        c.rmaxLen = in.readInt();
        c.rmax = new byte[Math.max(0, c.rmaxLen)];
        in.readFully(c.rmax);
        c.uints = in.readLong();
        c.umin = in.readLong();
        c.umax = in.readLong();
        c.hugeInts = in.readLong();
        c.negInts = in.readLong();
        c.dates = in.readLong();
        c.naiveTimes = in.readLong();
        c.awareTimes = in.readLong();
        c.tminSec = in.readLong();
        c.tminNano = in.readInt();
        c.tmaxSec = in.readLong();
        c.tmaxNano = in.readInt();
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
        c.refreshKeys();
        return c;
    }

}
