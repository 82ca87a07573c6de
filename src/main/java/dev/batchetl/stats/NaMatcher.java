package dev.batchetl.stats;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

/**
 * Exact byte comparison of a field against the NA values, bucketed by length. Values of up to 8 bytes are compared as
 * one little-endian packed long (the length already being equal); longer ones byte by byte.
 */
final class NaMatcher {

    private static final VarHandle LONG_LE = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    private final long[][] packedByLength; // lengths 0..8
    private final byte[][][] byLength;     // lengths > 8

    NaMatcher(Set<String> naValues) {
        int max = -1;
        List<byte[]> all = new ArrayList<>();
        for (String v : naValues) {
            byte[] b = v.getBytes(StandardCharsets.UTF_8);
            all.add(b);
            max = Math.max(max, b.length);
        }
        byLength = new byte[max + 1][][];
        packedByLength = new long[Math.min(max, 8) + 1][];
        for (byte[] b : all) {
            if (b.length <= 8) {
                long[] old = packedByLength[b.length];
                long[] grown = old == null ? new long[1] : Arrays.copyOf(old, old.length + 1);
                grown[grown.length - 1] = pack(b, 0, b.length);
                packedByLength[b.length] = grown;
            } else {
                byte[][] old = byLength[b.length];
                byte[][] grown = old == null ? new byte[1][] : Arrays.copyOf(old, old.length + 1);
                grown[grown.length - 1] = b;
                byLength[b.length] = grown;
            }
        }
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

    boolean matches(byte[] a, int s, int e) {
        int n = e - s;
        if (n >= byLength.length) {
            return false;
        }
        if (n <= 8) {
            long[] candidates = packedByLength[n];
            if (candidates == null) {
                return false;
            }
            long k = pack(a, s, n);
            for (long c : candidates) {
                if (c == k) {
                    return true;
                }
            }
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
