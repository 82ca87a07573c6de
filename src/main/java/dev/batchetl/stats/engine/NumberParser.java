package dev.batchetl.stats.engine;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * Classifies a field the way the pandas C parser does: integer (int64), float, boolean or
 * other. Works on bytes without allocating for the common cases. Not thread safe: the
 * parsed value is left in a field.
 */
final class NumberParser {

    static final int NONE = 0;
    static final int INT = 1;
    static final int FLOAT = 2;
    static final int TRUE = 3;
    static final int FALSE = 4;

    /**
     * An integer outside the int64 range: its value is in {@link #bigValue} (and,
     * rounded, in doubleValue).
     */
    static final int BIGINT = 5;

    private static final double[] POW10 = { 1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13,
            1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22 };

    /** Value of the last INT result. */
    long longValue;

    /** Value of the last FLOAT result (and of a BIGINT result, rounded). */
    double doubleValue;

    /** Value of the last BIGINT result. */
    java.math.BigInteger bigValue;

    /**
     * Whether the last INT or FLOAT result was written the one way that its value is: an
     * integer of at most 18 digits without '+', leading zeros or "-0"; or a decimal with
     * digits on both sides of the point, no '+', exponent or leading zero before it, no
     * trailing zero after it and at most 15 significant digits. Distinct such texts have
     * distinct values (the float ones are never integers, and 15 digits survive rounding
     * to a double), so their text and their value can be counted as one.
     */
    boolean canonical;

    private static boolean isSpace(byte c) {
        return c == ' ' || c == '\t';
    }

    private static boolean isDigit(byte c) {
        return c >= '0' && c <= '9';
    }

    /** Classifies a[s, e). */
    int parse(byte[] a, int s, int e) {
        canonical = false;
        if (s >= e) {
            return NONE;
        }
        byte first = a[s];
        if (isDigit(first) || first == '-' || first == '+' || first == '.' || isSpace(first)) {
            int r = plainDecimal(a, s, e);
            if (r != UNHANDLED) {
                return r;
            }
            r = parseNumber(a, s, e);
            if (r != NONE) {
                return r;
            }
        }
        return parseWord(a, s, e);
    }

    static final int UNHANDLED = -1;

    private int parseNumber(byte[] a, int s, int e) {
        int p = s;
        int q = e;
        if (isSpace(a[p])) {
            while (p < q && isSpace(a[p])) {
                p++;
            }
        }
        if (p < q && isSpace(a[q - 1])) {
            while (q > p && isSpace(a[q - 1])) {
                q--;
            }
        }
        if (p >= q) {
            return NONE;
        }
        final int numStart = p;
        boolean neg = false;
        byte c = a[p];
        if (c == '-' || c == '+') {
            neg = c == '-';
            p++;
        }
        // integer part; v is exact while at most 18 digits were accumulated
        final int intStart = p;
        p = digits(a, p, q, 0);
        long v = acc;
        final int intDigits = p - intStart;
        if (p == q) {
            if (intDigits == 0) {
                return NONE;
            }
            if (intDigits <= 18) {
                longValue = neg ? -v : v;
                canonical = numStart == s && q == e && c != '+'
                        && (intDigits == 1 ? !(neg && v == 0) : a[intStart] != '0');
                return INT;
            }
            return longInteger(a, numStart, q);
        }
        int digits = intDigits;
        int exp10 = 0;
        int fracDigits = 0;
        if (a[p] == '.') {
            p++;
            final int fracStart = p;
            p = digits(a, p, q, v);
            v = acc;
            fracDigits = p - fracStart;
            digits += fracDigits;
            exp10 = -fracDigits; // v is only used when digits <= 18
        }
        if (intDigits + fracDigits == 0) {
            return NONE;
        }
        final boolean exponent = p < q;
        if (exponent) {
            if (a[p] != 'e' && a[p] != 'E') {
                return NONE;
            }
            p++;
            boolean eneg = false;
            if (p < q && (a[p] == '-' || a[p] == '+')) {
                eneg = a[p] == '-';
                p++;
            }
            int es = p;
            int ev = 0;
            while (p < q && isDigit(a[p])) {
                if (ev < 100_000) {
                    ev = ev * 10 + (a[p] - '0');
                }
                p++;
            }
            if (p == es || p != q) {
                return NONE;
            }
            exp10 += eneg ? -ev : ev;
        }
        // Clinger's fast path: mantissa and power of ten both exact in a double, one
        // correctly rounded operation.
        if (digits <= 18 && v <= (1L << 53)) {
            if (v == 0) {
                doubleValue = neg ? -0.0 : 0.0;
                return FLOAT;
            }
            if (exp10 >= 0 && exp10 <= 22) {
                double x = v * POW10[exp10];
                doubleValue = neg ? -x : x;
                return FLOAT;
            }
            if (exp10 < 0 && exp10 >= -22) {
                double x = v / POW10[-exp10];
                doubleValue = neg ? -x : x;
                canonical = !exponent && fracDigits > 0 && intDigits > 0 && numStart == s && q == e && c != '+'
                        && (intDigits == 1 || a[intStart] != '0') && a[q - 1] != '0' && v < 1_000_000_000_000_000L;
                return FLOAT;
            }
        }
        doubleValue = Double.parseDouble(ascii(a, numStart, q));
        // a decimal beyond the double range is no number to pandas (its parser reports
        // the overflow): text
        return Double.isInfinite(doubleValue) ? NONE : FLOAT;
    }

    /**
     * The common case in one 8-byte read: an optional sign, then at most 8 bytes of
     * digits with at most one point between digits, and nothing else; UNHANDLED otherwise
     * (the general path decides). Same results as the general path.
     */
    int shortDecimal(byte[] a, int s, int e) {
        byte c = a[s];
        boolean neg = c == '-';
        int p = neg || c == '+' ? s + 1 : s;
        int len = e - p;
        if (len <= 0 || len > 8 || p + 8 > a.length) {
            return UNHANDLED;
        }
        long x = ((long) LONG_LE.get(a, p)) ^ ZEROS; // digits become 0..9
        long nonDigit = nonDigits(x);
        long bad = len == 8 ? nonDigit : nonDigit & ((1L << (8 * len)) - 1);
        if (bad == 0) { // len digits
            long v = digitValue(x, len);
            longValue = neg ? -v : v;
            canonical = c != '+' && (len == 1 ? !(neg && v == 0) : (x & 0xFF) != 0);
            return INT;
        }
        int k = Long.numberOfTrailingZeros(bad) >>> 3; // the first byte that is not a
                                                       // digit: the point?
        if (k == 0 || k == len - 1 || a[p + k] != '.' || (bad & ~(0xF0L << (8 * k))) != 0) {
            return UNHANDLED;
        }
        long low = (1L << (8 * k)) - 1;
        long v = digitValue((x & low) | ((x >>> 8) & ~low), len - 1); // the digits
                                                                      // without the point
        int frac = len - 1 - k;
        double d = v == 0 ? 0.0 : v / POW10[frac]; // v < 10^8 and 10^frac are exact: one
                                                   // correctly rounded division
        doubleValue = neg ? -d : d;
        canonical = v != 0 && c != '+' && (k == 1 || (x & 0xFF) != 0) && a[e - 1] != '0';
        return FLOAT;
    }

    /**
     * A plain decimal of up to 16 bytes: {@link #shortDecimal} for up to 8, then two
     * 8-byte reads for 9 to 16 (an optional sign, then digits with at most one point
     * between digits); UNHANDLED otherwise. Same results as the general path.
     */
    int plainDecimal(byte[] a, int s, int e) {
        int r = shortDecimal(a, s, e);
        return r != UNHANDLED || e - s < 9 ? r : mediumDecimal(a, s, e);
    }

    private int mediumDecimal(byte[] a, int s, int e) {
        byte c = a[s];
        boolean neg = c == '-';
        int p = neg || c == '+' ? s + 1 : s;
        int len = e - p;
        if (len < 9 || len > 16 || p + 16 > a.length) {
            return UNHANDLED;
        }
        long x0 = ((long) LONG_LE.get(a, p)) ^ ZEROS;
        long x1 = ((long) LONG_LE.get(a, p + 8)) ^ ZEROS;
        long bad0 = nonDigits(x0);
        long bad1 = nonDigits(x1);
        if (len < 16) {
            bad1 &= (1L << (8 * (len - 8))) - 1;
        }
        if ((bad0 | bad1) == 0) { // len digits
            long v = digits(x0, x1, 0, len);
            longValue = neg ? -v : v;
            canonical = c != '+' && (x0 & 0xFF) != 0;
            return INT;
        }
        // exactly one non-digit, a point with digits on both sides
        int k = bad0 != 0 ? Long.numberOfTrailingZeros(bad0) >>> 3 : 8 + (Long.numberOfTrailingZeros(bad1) >>> 3);
        long rest = k < 8 ? (bad0 & ~(0xF0L << (8 * k))) | bad1 : bad1 & ~(0xF0L << (8 * (k - 8)));
        if (k == 0 || k == len - 1 || rest != 0 || a[p + k] != '.') {
            return UNHANDLED;
        }
        int frac = len - 1 - k;
        long v = digits(x0, x1, 0, k) * POW10L16[frac] + digits(x0, x1, k + 1, len); // at
                                                                                     // most
                                                                                     // 15
                                                                                     // digits:
                                                                                     // exact
        double d = v / POW10[frac]; // v < 2^53 and 10^frac exact: one correctly rounded
                                    // division
        doubleValue = neg ? -d : d;
        canonical = v != 0 && c != '+' && (k == 1 || (x0 & 0xFF) != 0) && a[e - 1] != '0';
        return FLOAT;
    }

    /** Every byte '0': a byte xor this is its digit value when it is a digit. */
    private static final long ZEROS = 0x3030303030303030L;

    /**
     * The bytes of x (each a byte xor '0') that are not digits, flagged in their high
     * nibble: a byte is a digit iff both x and x + 6 have a zero high nibble there. The
     * lowest flag is exact (a carry only runs from a non-digit).
     */
    private static long nonDigits(long x) {
        return (x | (x + 0x0606060606060606L)) & 0xF0F0F0F0F0F0F0F0L;
    }

    private static final long[] POW10L16 = { 1L, 10L, 100L, 1_000L, 10_000L, 100_000L, 1_000_000L, 10_000_000L,
            100_000_000L, 1_000_000_000L, 10_000_000_000L, 100_000_000_000L, 1_000_000_000_000L, 10_000_000_000_000L,
            100_000_000_000_000L, 1_000_000_000_000_000L };

    /**
     * The value of the digits (0..9 each) at byte positions [from, to) of the 16 bytes
     * x0, x1; to - from <= 16.
     */
    private static long digits(long x0, long x1, int from, int to) {
        if (from == to) {
            return 0;
        }
        if (to <= 8) {
            return digitValue(x0 >>> (8 * from), to - from);
        }
        if (from >= 8) {
            return digitValue(x1 >>> (8 * (from - 8)), to - from);
        }
        return digitValue(x0 >>> (8 * from), 8 - from) * POW10L16[to - 8] + digitValue(x1, to - 8);
    }

    /**
     * The value of the k (1..8) digits (0..9 each) in the low bytes of x, the first in
     * the lowest byte.
     */
    private static long digitValue(long x, int k) {
        // first digit in the lowest byte: shift the k digits to the top, zeros (leading
        // zeros) below
        long d = x << (8 * (8 - k));
        d = (d * 10 + (d >>> 8)) & 0x00FF00FF00FF00FFL;
        d = (d * 100 + (d >>> 16)) & 0x0000FFFF0000FFFFL;
        return (d * 10000 + (d >>> 32)) & 0x00000000FFFFFFFFL;
    }

    private static final long[] POW10L = { 1L, 10L, 100L, 1_000L, 10_000L, 100_000L, 1_000_000L, 10_000_000L,
            100_000_000L };

    private static final VarHandle LONG_LE = MethodHandles.byteArrayViewVarHandle(long[].class,
            ByteOrder.LITTLE_ENDIAN);

    /** Value of the digits of the last {@link #digitRun} call. */
    private long lastRun;

    /** Value left by the last {@link #digits} call. */
    private long acc;

    /**
     * Appends the run of ASCII digits at a[p, q) to {@code v} (v * 10^k + digits, exact
     * while at most 18 digits were accumulated in all), leaving the value in
     * {@link #acc}; returns the index after the run.
     */
    private int digits(byte[] a, int p, int q, long v) {
        for (;;) {
            int k = digitRun(a, p, q);
            if (k < 0) { // near the end of the array: one digit at a time
                while (p < q) {
                    int d = a[p] - '0';
                    if (d < 0 || d > 9) {
                        break;
                    }
                    v = v * 10 + d;
                    p++;
                }
                acc = v;
                return p;
            }
            v = v * POW10L[k] + lastRun;
            p += k;
            if (k < 8) {
                acc = v;
                return p;
            }
        }
    }

    /**
     * Length (0..8) of the run of ASCII digits at a[p, q) within the next eight bytes,
     * leaving their value in lastRun; -1 when fewer than eight bytes of the array are
     * left (the caller goes on one digit at a time).
     */
    private int digitRun(byte[] a, int p, int q) {
        if (p + 8 > a.length) {
            return -1;
        }
        long x = ((long) LONG_LE.get(a, p)) ^ ZEROS; // digits become 0..9
        long nonDigit = nonDigits(x);
        int k = nonDigit == 0 ? 8 : Long.numberOfTrailingZeros(nonDigit) >>> 3;
        if (k > q - p) {
            k = q - p;
        }
        if (k == 0) {
            lastRun = 0;
            return 0;
        }
        lastRun = digitValue(x, k);
        return k;
    }

    /** An integer of 19 or more digits: INT when it fits in int64, otherwise BIGINT. */
    private int longInteger(byte[] a, int s, int e) {
        String text = ascii(a, s, e);
        try {
            longValue = Long.parseLong(text);
            return INT;
        }
        catch (NumberFormatException tooBig) {
            bigValue = new java.math.BigInteger(text);
            doubleValue = bigValue.doubleValue();
            return Double.isInfinite(doubleValue) ? NONE : BIGINT;
        }
    }

    private int parseWord(byte[] a, int s, int e) {
        int n = e - s;
        int p = s;
        boolean neg = false;
        if (n >= 4 && (a[p] == '-' || a[p] == '+')) {
            neg = a[p] == '-';
            p++;
            n--;
        }
        if ((n == 3 && equalsIgnoreCase(a, p, "inf")) || (n == 8 && equalsIgnoreCase(a, p, "infinity"))) {
            doubleValue = neg ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
            return FLOAT;
        }
        if (p != s) {
            return NONE;
        }
        // pandas accepts its true/false values and, failing those, any capitalisation of
        // true/false
        if (n == 4 && equalsIgnoreCase(a, s, "true")) {
            return TRUE;
        }
        if (n == 5 && equalsIgnoreCase(a, s, "false")) {
            return FALSE;
        }
        return NONE;
    }

    private static boolean equalsIgnoreCase(byte[] a, int s, String lower) {
        for (int i = 0; i < lower.length(); i++) {
            int c = a[s + i];
            if (c >= 'A' && c <= 'Z') {
                c += 'a' - 'A';
            }
            if (c != lower.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    private static String ascii(byte[] a, int s, int e) {
        return new String(a, s, e - s, StandardCharsets.ISO_8859_1);
    }

}
