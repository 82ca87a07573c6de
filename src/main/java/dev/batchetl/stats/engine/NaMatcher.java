package dev.batchetl.stats.engine;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

/**
 * Exact byte comparison of a field against the NA values. Values of up to 8 bytes are
 * found in a small open-addressing table keyed by the value packed into a little-endian
 * long and its length (one multiplication and, almost always, one probe); longer ones are
 * compared byte by byte, bucketed by length.
 */
final class NaMatcher {

    private static final VarHandle LONG_LE = MethodHandles.byteArrayViewVarHandle(long[].class,
            ByteOrder.LITTLE_ENDIAN);

    private final long[] packed; // the short NA values, packed

    private final byte[] lengths; // their lengths; -1: an empty slot

    private final int shift;

    private final byte[][][] byLength; // values longer than 8 bytes, by length

    // bit (b0 << 8 | b1): an NA value starts with the bytes b0 b1, or is the one byte b0
    // (then b1 = 0)
    private final long[] firstPairs = new long[1 << 10];

    private final boolean plainDecimals;

    NaMatcher(Set<String> naValues) {
        int max = 8;
        List<byte[]> all = new ArrayList<>();
        int shorts = 0;
        NumberParser parser = new NumberParser();
        boolean decimals = false;
        for (String v : naValues) {
            byte[] b = v.getBytes(StandardCharsets.UTF_8);
            decimals |= parser.plainDecimal(Arrays.copyOf(b, b.length + 16), 0, b.length) != NumberParser.UNHANDLED;
            all.add(b);
            max = Math.max(max, b.length);
            if (b.length <= 8) {
                shorts++;
            }
        }
        int bits = 32 - Integer.numberOfLeadingZeros(Math.max(4, shorts * 4) - 1); // at
                                                                                   // most
                                                                                   // a
                                                                                   // quarter
                                                                                   // full
        plainDecimals = decimals;
        packed = new long[1 << bits];
        lengths = new byte[1 << bits];
        Arrays.fill(lengths, (byte) -1);
        shift = 64 - bits;
        byLength = new byte[max + 1][][];
        for (byte[] b : all) {
            if (b.length > 0) {
                int pair = firstPair(b, 0, b.length);
                firstPairs[pair >>> 6] |= 1L << pair;
            }
            if (b.length <= 8) {
                long k = pack(b, 0, b.length);
                int i = slot(k, b.length);
                while (lengths[i] >= 0 && !(lengths[i] == b.length && packed[i] == k)) {
                    i = (i + 1) & (packed.length - 1);
                }
                packed[i] = k;
                lengths[i] = (byte) b.length;
            }
            else {
                byte[][] old = byLength[b.length];
                byte[][] grown = old == null ? new byte[1][] : Arrays.copyOf(old, old.length + 1);
                grown[grown.length - 1] = b;
                byLength[b.length] = grown;
            }
        }
    }

    /** The first two of the n > 0 bytes at a[s] as b0 << 8 | b1, b1 = 0 for one byte. */
    private static int firstPair(byte[] a, int s, int n) {
        return (a[s] & 0xFF) << 8 | (n > 1 ? a[s + 1] & 0xFF : 0);
    }

    private int slot(long k, int n) {
        return (int) (((k + n) * 0x9E3779B97F4A7C15L) >>> shift);
    }

    /** The n <= 8 bytes a[s, s + n) as a little-endian number (zero above byte n). */
    static long pack(byte[] a, int s, int n) {
        if (n == 0) {
            return 0;
        }
        if (s + 8 <= a.length) {
            long w = (long) LONG_LE.get(a, s);
            return n == 8 ? w : w & ((1L << (n << 3)) - 1);
        }
        long k = 0;
        for (int i = s + n - 1; i >= s; i--) {
            k = (k << 8) | (a[i] & 0xFF);
        }
        return k;
    }

    /**
     * Whether some NA value is a plain decimal ({@link NumberParser#plainDecimal}, e.g.
     * {@code -999}). When none is, a value that reads as one is no NA value, and the
     * numeric path parses before it checks.
     */
    boolean anyPlainDecimal() {
        return plainDecimals;
    }

    boolean matches(byte[] a, int s, int e) {
        int n = e - s;
        // most values: no NA value starts with their first two bytes (a number such as
        // -5.2 or 15, where -1.#IND and
        // 1.#QNAN share the first byte)
        if (n > 0) {
            int pair = firstPair(a, s, n);
            if ((firstPairs[pair >>> 6] & (1L << pair)) == 0) {
                return false;
            }
        }
        if (n <= 8) {
            long k = pack(a, s, n);
            int mask = packed.length - 1;
            for (int i = slot(k, n); lengths[i] >= 0; i = (i + 1) & mask) {
                if (packed[i] == k && lengths[i] == n) {
                    return true;
                }
            }
            return false;
        }
        if (n >= byLength.length) {
            return false;
        }
        byte[][] candidates = byLength[n];
        if (candidates == null) {
            return false;
        }
        for (byte[] c : candidates) {
            if (Arrays.equals(a, s, e, c, 0, n)) {
                return true;
            }
        }
        return false;
    }

}
