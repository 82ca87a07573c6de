package dev.batchetl.stats;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

import org.apache.datasketches.hll.HllSketch;
import org.apache.datasketches.hll.TgtHllType;
import org.apache.datasketches.hll.Union;

/**
 * Distinct count of a stream of 64-bit value hashes: exact (a set of the hashes) while at most {@link #EXACT_LIMIT}
 * distinct values were seen, then a DataSketches HLL sketch (lgK = 12, HLL_8: relative standard error 1.6%, about
 * 3.3% at 95% confidence). Mergeable; constant memory (at most 32 KB for the set, 4 KB for the sketch).
 */
final class DistinctCounter {

    static final int EXACT_LIMIT = 1024;
    static final int LG_K = 12;

    private long[] table = new long[16]; // open addressing; 0 = empty (hash 0 is kept in hasZero)
    private int size;
    private boolean hasZero;
    private HllSketch hll;

    void add(long hash) {
        if (hll != null) {
            hll.update(hash);
            return;
        }
        if (hash == 0) {
            if (!hasZero) {
                hasZero = true;
                grow();
            }
            return;
        }
        long[] t = table;
        int mask = t.length - 1;
        int i = (int) (hash ^ (hash >>> 32)) & mask;
        for (;;) {
            long v = t[i];
            if (v == hash) {
                return;
            }
            if (v == 0) {
                t[i] = hash;
                size++;
                grow();
                return;
            }
            i = (i + 1) & mask;
        }
    }

    private int exactCount() {
        return size + (hasZero ? 1 : 0);
    }

    private void grow() {
        if (exactCount() > EXACT_LIMIT) {
            toSketch();
            return;
        }
        if (size * 2 > table.length) {
            long[] old = table;
            table = new long[old.length * 2];
            size = 0;
            for (long v : old) {
                if (v != 0) {
                    insert(v);
                }
            }
        }
    }

    private void insert(long hash) {
        int mask = table.length - 1;
        int i = (int) (hash ^ (hash >>> 32)) & mask;
        while (table[i] != 0) {
            if (table[i] == hash) {
                return;
            }
            i = (i + 1) & mask;
        }
        table[i] = hash;
        size++;
    }

    private void toSketch() {
        HllSketch s = new HllSketch(LG_K, TgtHllType.HLL_8);
        for (long v : table) {
            if (v != 0) {
                s.update(v);
            }
        }
        if (hasZero) {
            s.update(0L);
        }
        hll = s;
        table = null;
        size = 0;
        hasZero = false;
    }

    boolean exact() {
        return hll == null;
    }

    long count() {
        // the composite estimate depends only on the sketch's registers, so a merged sketch and one fed the same values
        // in one stream give the same number (split and resumed reads agree)
        return hll == null ? exactCount() : Math.round(hll.getCompositeEstimate());
    }

    void merge(DistinctCounter o) {
        if (o.hll == null) {
            if (o.hasZero) {
                add(0L);
            }
            for (long v : o.table) {
                if (v != 0) {
                    add(v);
                }
            }
            return;
        }
        if (hll == null) {
            toSketch();
        }
        Union u = new Union(LG_K);
        u.update(hll);
        u.update(o.hll);
        hll = u.getResult(TgtHllType.HLL_8);
    }

    void write(DataOutputStream out) throws IOException {
        if (hll == null) {
            // sorted: equal sets serialize to equal bytes
            long[] values = new long[exactCount()];
            int n = 0;
            for (long v : table) {
                if (v != 0) {
                    values[n++] = v;
                }
            }
            java.util.Arrays.sort(values);
            out.writeInt(values.length);
            for (long v : values) {
                out.writeLong(v);
            }
        } else {
            byte[] b = hll.toCompactByteArray();
            out.writeInt(-1);
            out.writeInt(b.length);
            out.write(b);
        }
    }

    static DistinctCounter read(DataInputStream in) throws IOException {
        DistinctCounter d = new DistinctCounter();
        int n = in.readInt();
        if (n >= 0) {
            for (int i = 0; i < n; i++) {
                d.add(in.readLong());
            }
        } else {
            byte[] b = new byte[in.readInt()];
            in.readFully(b);
            d.hll = HllSketch.heapify(b);
            d.table = null;
        }
        return d;
    }

    // ----- hashing -------------------------------------------------------------------------------------------------

    private static final VarHandle LONG_LE = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final long M = 0x9E3779B97F4A7C15L;

    /** 64-bit finalizer (SplitMix64 / Stafford variant 13). */
    static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /** Hash of the bytes a[s, e). */
    static long hashBytes(byte[] a, int s, int e) {
        long h = (e - s) * M;
        int p = s;
        while (p + 8 <= e) {
            h = mix(h ^ (long) LONG_LE.get(a, p)) + M;
            p += 8;
        }
        long tail = 0;
        int shift = 0;
        while (p < e) {
            tail |= (a[p] & 0xFFL) << shift;
            shift += 8;
            p++;
        }
        return mix(h ^ tail ^ 0x5851F42D4C957F2DL);
    }

    /** Hash of a numeric value: equal doubles (0.0 and -0.0 included) hash the same, whether written as int or float. */
    static long hashDouble(double x) {
        return mix((x == 0 ? 0L : Double.doubleToLongBits(x)) ^ 0x1234567L);
    }

    /** Hash of an integer value; the same as {@link #hashDouble} where the integer is exact as a double. */
    static long hashLong(long v) {
        if (v >= -(1L << 53) && v <= (1L << 53)) {
            return hashDouble((double) v);
        }
        return mix(v ^ 0x7F4A7C159E3779B9L) + 1;
    }

    static long hashTagged(long v, long tag) {
        return mix(mix(v + tag) ^ tag);
    }
}
