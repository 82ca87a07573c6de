package dev.batchetl.stats.engine;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.MathContext;

/**
 * The moments of a column's numeric values as doubles: infinities counted apart; the
 * finite ones in a compensated sum (whatever of it overflowed the double range folded
 * into an exact BigDecimal), their range, and Welford's mean and squared deviations.
 */
final class NumericMoments {

    private static final int M2_HALF_SCALE = 300;

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
    // the double range, so that a variance within it stays exact (values of 1e154 and
    // more)
    boolean m2Scaled;

    /** A numeric value (never NaN). */
    void add(double x) {
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
        // close together keep their digits in the deviations (1e15 + k/4: the mean of the
        // values themselves is rounded to 0.125)
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

    /**
     * The sum of the values, as pandas gives it: infinite with infinities of one sign,
     * NaN with both.
     */
    double sum() {
        if (posInfs > 0 || negInfs > 0) {
            return posInfs == 0 ? Double.NEGATIVE_INFINITY : negInfs == 0 ? Double.POSITIVE_INFINITY : Double.NaN;
        }
        if (bigSum == null) {
            return dsum + dcomp;
        }
        return finiteSum().doubleValue();
    }

    /**
     * The mean of count values: the sum divided by count; where the sum left the double
     * range on the way, the exact mean, rounded.
     */
    double mean(long count) {
        if (posInfs > 0 || negInfs > 0) {
            return sum();
        }
        if (bigSum == null) {
            return (dsum + dcomp) / count;
        }
        return finiteSum().divide(BigDecimal.valueOf(count), MathContext.DECIMAL128).doubleValue();
    }

    /**
     * The sample variance (ddof 1) of the numeric values, as pandas gives it: none for
     * fewer than two values or where a value is infinite (NaN in pandas); infinite where
     * the variance is beyond the double range. The squared deviations are held scaled by
     * 2^-600 once they would leave the range themselves, so a variance within it stays
     * exact where pandas' own sum of squares overflows to inf.
     */
    Double variance() {
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

    void merge(NumericMoments o) {
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
    }

    void write(DataOutputStream out) throws IOException {
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
    }

    void read(DataInputStream in) throws IOException {
        posInfs = in.readLong();
        negInfs = in.readLong();
        int sl = in.readInt();
        if (sl >= 0) {
            byte[] b = new byte[sl];
            in.readFully(b);
            bigSum = new BigDecimal(new BigInteger(b), in.readInt());
        }
        dsum = in.readDouble();
        dcomp = in.readDouble();
        dmin = in.readDouble();
        dmax = in.readDouble();
        dn = in.readLong();
        shift = in.readDouble();
        wmean = in.readDouble();
        wm2 = in.readDouble();
        m2Scaled = in.readBoolean();
    }

}
