package dev.batchetl.stats.engine;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The raw text extremes of a column's values (unsigned byte order, which is code point
 * order in UTF-8) and their shortest and longest length in code points.
 */
final class TextExtremes {

    private static final VarHandle LONG_BE = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);

    int minLen = Integer.MAX_VALUE;

    int maxLen = -1;

    byte[] rmin = new byte[0];

    int rminLen = -1; // -1: none yet

    byte[] rmax = new byte[0];

    int rmaxLen = -1;

    // prefix keys of rmin / rmax (derived, not serialized)
    long rminKey;

    long rmaxKey;

    /** A value: UTF-8 bytes a[s, e), cpLen code points long. */
    void add(byte[] a, int s, int e, int cpLen) {
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
            extreme(a, s, e, key);
        }
    }

    /** Whether no value was added yet. */
    boolean empty() {
        return rminLen < 0;
    }

    /** a[s, e), whose prefix key is key, if it is a new text minimum or maximum. */
    void extreme(byte[] a, int s, int e, long key) {
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

    String min() {
        return new String(rmin, 0, rminLen, StandardCharsets.UTF_8);
    }

    String max() {
        return new String(rmax, 0, rmaxLen, StandardCharsets.UTF_8);
    }

    void merge(TextExtremes o) {
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

    void write(DataOutputStream out) throws IOException {
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
    }

    void read(DataInputStream in) throws IOException {
        minLen = in.readInt();
        maxLen = in.readInt();
        rminLen = in.readInt();
        rmin = new byte[Math.max(0, rminLen)];
        in.readFully(rmin);
        rmaxLen = in.readInt();
        rmax = new byte[Math.max(0, rmaxLen)];
        in.readFully(rmax);
        refreshKeys();
    }

}
