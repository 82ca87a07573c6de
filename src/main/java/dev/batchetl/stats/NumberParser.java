package dev.batchetl.stats;

import java.nio.charset.StandardCharsets;

/**
 * Classifies a field the way the pandas C parser does: integer (int64), float, boolean or other. Works on bytes
 * without allocating for the common cases. Not thread safe: the parsed value is left in a field.
 */
final class NumberParser {

    static final int NONE = 0;
    static final int INT = 1;
    static final int FLOAT = 2;
    static final int TRUE = 3;
    static final int FALSE = 4;

    private static final double[] POW10 = {
            1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18,
            1e19, 1e20, 1e21, 1e22};

    /** Value of the last INT result. */
    long longValue;
    /** Value of the last FLOAT result. */
    double doubleValue;

    private static boolean isSpace(byte c) {
        return c == ' ' || c == '\t';
    }

    private static boolean isDigit(byte c) {
        return c >= '0' && c <= '9';
    }

    /** Classifies a[s, e). */
    int parse(byte[] a, int s, int e) {
        if (s >= e) {
            return NONE;
        }
        byte first = a[s];
        if (isDigit(first) || first == '-' || first == '+' || first == '.' || isSpace(first)) {
            int r = parseNumber(a, s, e);
            if (r != NONE) {
                return r;
            }
        }
        return parseWord(a, s, e);
    }

    private int parseNumber(byte[] a, int s, int e) {
        int p = s;
        while (p < e && isSpace(a[p])) {
            p++;
        }
        int q = e;
        while (q > p && isSpace(a[q - 1])) {
            q--;
        }
        if (p >= q) {
            return NONE;
        }
        final int numStart = p;
        boolean neg = false;
        if (a[p] == '-' || a[p] == '+') {
            neg = a[p] == '-';
            p++;
        }
        // integer part
        final int intStart = p;
        long acc = 0; // negative accumulation, exact while !overflow
        boolean overflow = false;
        long mant = 0; // significant digits (for the float fast path)
        int sig = 0; // number of significant digits in mant
        int dropped = 0; // significant integer digits beyond the 19 kept in mant
        while (p < q && isDigit(a[p])) {
            int d = a[p] - '0';
            if (!overflow) {
                if (acc < (Long.MIN_VALUE + d) / 10) {
                    overflow = true;
                } else {
                    acc = acc * 10 - d;
                }
            }
            if (sig < 19) {
                if (sig > 0 || d != 0) {
                    mant = mant * 10 + d;
                    sig++;
                }
            } else {
                dropped++;
            }
            p++;
        }
        int intDigits = p - intStart;
        if (p == q) {
            if (intDigits == 0) {
                return NONE;
            }
            if (!overflow) {
                if (neg) {
                    longValue = acc;
                    return INT;
                }
                if (acc != Long.MIN_VALUE) {
                    longValue = -acc;
                    return INT;
                }
            }
            // beyond int64: pandas falls back to float
            doubleValue = Double.parseDouble(ascii(a, numStart, q));
            return FLOAT;
        }
        int fracDigits = 0;
        int exp10 = dropped;
        boolean exact = dropped == 0;
        if (a[p] == '.') {
            p++;
            int fs = p;
            while (p < q && isDigit(a[p])) {
                int d = a[p] - '0';
                if (sig < 19) {
                    if (sig > 0 || d != 0) {
                        mant = mant * 10 + d;
                        sig++;
                    }
                    exp10--;
                } else if (d != 0) {
                    exact = false;
                }
                p++;
            }
            fracDigits = p - fs;
        }
        if (intDigits + fracDigits == 0) {
            return NONE;
        }
        if (p < q) {
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
        // Clinger's fast path: mantissa and power of ten both exact in a double, one correctly rounded operation.
        if (exact && sig <= 15) {
            if (mant == 0) {
                doubleValue = neg ? -0.0 : 0.0;
                return FLOAT;
            }
            if (exp10 >= 0 && exp10 <= 22) {
                double v = mant * POW10[exp10];
                doubleValue = neg ? -v : v;
                return FLOAT;
            }
            if (exp10 < 0 && exp10 >= -22) {
                double v = mant / POW10[-exp10];
                doubleValue = neg ? -v : v;
                return FLOAT;
            }
        }
        doubleValue = Double.parseDouble(ascii(a, numStart, q));
        return FLOAT;
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
        // pandas accepts its true/false values and, failing those, any capitalisation of true/false
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
