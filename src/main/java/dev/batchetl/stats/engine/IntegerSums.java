package dev.batchetl.stats.engine;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.math.BigInteger;

/**
 * The exact sum and the range of a column's integer values: within int64 as longs (the
 * sum in a BigInteger once it leaves the long range), beyond int64 as uint64 values and
 * counts of larger ones, which decide the pandas dtype.
 */
final class IntegerSums {

    // exact sum of the integer values: isum, or ibig once it left the long range
    long isum;

    BigInteger ibig;

    long imin = Long.MAX_VALUE;

    long imax = Long.MIN_VALUE;

    // integers beyond int64: uint64 values (above Long.MAX_VALUE, as unsigned longs) and
    // beyond that (huge)
    long uints;

    long umin = -1L; // unsigned

    long umax; // unsigned

    long hugeInts;

    long negInts;

    /** An integer within int64. */
    void add(long v) {
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
    }

    /** An integer beyond int64. */
    void addBig(BigInteger v) {
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
    }

    BigInteger exactSum() {
        BigInteger b = BigInteger.valueOf(isum);
        return ibig == null ? b : ibig.add(b);
    }

    /** Whether pandas would read the integers as object: beyond uint64, or mixed. */
    boolean beyondPandasIntegers() {
        return hugeInts > 0 || (uints > 0 && negInts > 0);
    }

    /** The minimum of a column of ints integers. */
    String min(long ints) {
        return ints > uints ? Long.toString(imin) : Long.toUnsignedString(umin);
    }

    String max() {
        return uints > 0 ? Long.toUnsignedString(umax) : Long.toString(imax);
    }

    void merge(IntegerSums o) {
        if (o.ibig != null || o.isum != 0) {
            long r = isum + o.isum;
            if (o.ibig != null || ibig != null || ((isum ^ r) & (o.isum ^ r)) < 0) {
                ibig = exactSum().add(o.exactSum());
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
    }

    /** The int64 part, where the checkpoint format has it (before the moments). */
    void writeInt64(DataOutputStream out) throws IOException {
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
    }

    void readInt64(DataInputStream in) throws IOException {
        isum = in.readLong();
        int bl = in.readInt();
        if (bl >= 0) {
            byte[] b = new byte[bl];
            in.readFully(b);
            ibig = new BigInteger(b);
        }
        imin = in.readLong();
        imax = in.readLong();
    }

    /**
     * The part beyond int64, where the checkpoint format has it (after the text
     * extremes).
     */
    void writeBeyondInt64(DataOutputStream out) throws IOException {
        out.writeLong(uints);
        out.writeLong(umin);
        out.writeLong(umax);
        out.writeLong(hugeInts);
        out.writeLong(negInts);
    }

    void readBeyondInt64(DataInputStream in) throws IOException {
        uints = in.readLong();
        umin = in.readLong();
        umax = in.readLong();
        hugeInts = in.readLong();
        negInts = in.readLong();
    }

}
