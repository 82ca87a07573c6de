package dev.batchetl.stats.engine;

import java.util.Arrays;
import java.util.SplittableRandom;

import com.dynatrace.hash4j.distinctcount.HyperLogLog;
import com.dynatrace.hash4j.distinctcount.UltraLogLog;
import com.dynatrace.hash4j.hashing.Hasher64;
import com.dynatrace.hash4j.hashing.Hashing;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * The distinct counter measured against hash4j's own sketches, opt-in:
 * {@code ./mvnw -o test -Dtest=DistinctCounterBenchmarkTests -Dstats.benchmark=true}.
 * Prints the relative error of the estimate (mean and root mean square over 200 seeded
 * streams of 2,000 to 3,000,000 distinct values) next to that of hash4j's UltraLogLog of
 * the same size fed the same hashes; the time of an update in a tight loop, the counter's
 * and hash4j's HyperLogLog and UltraLogLog ones; and the engine's byte hash against
 * hash4j's on values of 1 to 40 bytes.
 */
@Tag("benchmark")
@EnabledIfSystemProperty(named = "stats.benchmark", matches = "true")
class DistinctCounterBenchmarkTests {

    private static final Hasher64 XXH3 = Hashing.xxh3_64();

    private static final Hasher64 KOMIHASH = Hashing.komihash5_0();

    private static final int ROUNDS = 10;

    private static long sink;

    @Test
    void accuracy() {
        int trials = 200;
        byte[] value = new byte[8];
        String[] names = { "DistinctCounter (HyperLogLog)", "UltraLogLog p=12, maximum likelihood" };
        StringBuilder report = new StringBuilder(String.format("%-40s %9s %8s %8s %9s%n",
                "relative error, " + trials + " streams", "n", "mean %", "RMS %", "max |e| %"));
        for (int n : new int[] { 2_000, 20_000, 300_000, 3_000_000 }) {
            double[] sum = new double[2];
            double[] squares = new double[2];
            double[] max = new double[2];
            for (int t = 0; t < trials; t++) {
                long first = new SplittableRandom(1000L * n + t).nextLong();
                DistinctCounter d = new DistinctCounter();
                UltraLogLog ull = UltraLogLog.create(DistinctCounter.LG_K);
                for (int i = 0; i < n; i++) {
                    long v = first + i;
                    for (int b = 0; b < 8; b++) {
                        value[b] = (byte) (v >>> (8 * b));
                    }
                    long h = DistinctCounter.hashBytes(value, 0, 8);
                    d.add(h);
                    ull.add(h);
                }
                double[] estimates = { d.count(),
                        Math.round(ull.getDistinctCountEstimate(UltraLogLog.MAXIMUM_LIKELIHOOD_ESTIMATOR)) };
                for (int k = 0; k < 2; k++) {
                    double e = estimates[k] / n - 1;
                    sum[k] += e;
                    squares[k] += e * e;
                    max[k] = Math.max(max[k], Math.abs(e));
                }
            }
            for (int k = 0; k < 2; k++) {
                report.append(String.format("%-40s %9d %+8.3f %8.3f %9.3f%n", names[k], n, 100 * sum[k] / trials,
                        100 * Math.sqrt(squares[k] / trials), 100 * max[k]));
            }
        }
        System.out.println("\n=== distinct counter ===\n" + report);
    }

    @Test
    void speed() {
        SplittableRandom rnd = new SplittableRandom(42);
        long[] hashes = new long[1 << 20];
        for (int i = 0; i < hashes.length; i++) {
            hashes[i] = DistinctCounter.hashLong(rnd.nextLong());
        }
        double[][] adds = new double[3][ROUNDS];
        for (int r = 0; r < ROUNDS; r++) {
            adds[0][r] = counterAdds(hashes);
            adds[1][r] = hyperLogLogAdds(hashes);
            adds[2][r] = ultraLogLogAdds(hashes);
        }
        StringBuilder report = new StringBuilder(String.format(
                "update, ns per add: DistinctCounter %.2f, hash4j HyperLogLog %.2f, hash4j UltraLogLog %.2f%n",
                median(adds[0]), median(adds[1]), median(adds[2])));
        DistinctCounter d = new DistinctCounter();
        for (int i = 0; i < 100_000; i++) {
            d.add(hashes[i]);
        }
        double[] estimates = new double[ROUNDS];
        for (int r = 0; r < ROUNDS; r++) {
            long t0 = System.nanoTime();
            for (int i = 0; i < 1000; i++) {
                sink += d.count();
            }
            estimates[r] = (System.nanoTime() - t0) / 1000 / 1000.0;
        }
        report.append(String.format("estimate: %.2f microseconds per count()%n", median(estimates)));
        // short values at random places of a buffer that stays in the cache
        byte[] buffer = new byte[1 << 14];
        for (int i = 0; i < buffer.length; i++) {
            buffer[i] = (byte) rnd.nextInt();
        }
        report
            .append(String.format("hash of a value, ns: %9s %9s %9s %9s%n", "bytes", "engine", "xxh3_64", "komihash"));
        int[][] lengths = { { 1, 1 }, { 3, 3 }, { 5, 5 }, { 8, 8 }, { 12, 12 }, { 16, 16 }, { 24, 24 }, { 40, 40 },
                { 1, 8 }, { 9, 16 }, { 17, 40 }, { 1, 40 } };
        for (int[] length : lengths) {
            int[] off = new int[1 << 20];
            int[] len = new int[off.length];
            for (int i = 0; i < off.length; i++) {
                len[i] = length[0] + rnd.nextInt(length[1] - length[0] + 1);
                off[i] = rnd.nextInt(buffer.length - 64);
            }
            double[][] t = new double[3][ROUNDS];
            for (int r = 0; r < ROUNDS; r++) {
                t[0][r] = engineHash(buffer, off, len);
                t[1][r] = xxh3(buffer, off, len);
                t[2][r] = komihash(buffer, off, len);
            }
            report.append(String.format("%30s %9.2f %9.2f %9.2f%n", length[0] + ".." + length[1], median(t[0]),
                    median(t[1]), median(t[2])));
        }
        System.out.println(
                "\n=== distinct counter (Java " + Runtime.version() + ") ===\n" + report + (sink == 42 ? "" : "\n"));
    }

    /** The median of the later half of the rounds (the first ones warm up). */
    private static double median(double[] rounds) {
        double[] late = Arrays.copyOfRange(rounds, rounds.length / 2, rounds.length);
        Arrays.sort(late);
        return late[(late.length - 1) / 2];
    }

    private static double counterAdds(long[] hashes) {
        long t0 = System.nanoTime();
        DistinctCounter d = new DistinctCounter();
        for (int rep = 0; rep < 8; rep++) {
            for (long h : hashes) {
                d.add(h);
            }
        }
        double ns = (System.nanoTime() - t0) / (8.0 * hashes.length);
        sink += d.exact() ? 1 : 0;
        return ns;
    }

    private static double hyperLogLogAdds(long[] hashes) {
        long t0 = System.nanoTime();
        HyperLogLog s = HyperLogLog.create(DistinctCounter.LG_K);
        for (int rep = 0; rep < 8; rep++) {
            for (long h : hashes) {
                s.add(Long.rotateRight(h, DistinctCounter.LG_K));
            }
        }
        double ns = (System.nanoTime() - t0) / (8.0 * hashes.length);
        sink += s.getState()[7];
        return ns;
    }

    private static double ultraLogLogAdds(long[] hashes) {
        long t0 = System.nanoTime();
        UltraLogLog s = UltraLogLog.create(DistinctCounter.LG_K);
        for (int rep = 0; rep < 8; rep++) {
            for (long h : hashes) {
                s.add(h);
            }
        }
        double ns = (System.nanoTime() - t0) / (8.0 * hashes.length);
        sink += s.getState()[7];
        return ns;
    }

    private static double engineHash(byte[] b, int[] off, int[] len) {
        long t0 = System.nanoTime();
        long s = 0;
        for (int i = 0; i < off.length; i++) {
            s += DistinctCounter.hashBytes(b, off[i], off[i] + len[i]);
        }
        sink += s;
        return (System.nanoTime() - t0) / (double) off.length;
    }

    private static double xxh3(byte[] b, int[] off, int[] len) {
        long t0 = System.nanoTime();
        long s = 0;
        for (int i = 0; i < off.length; i++) {
            s += XXH3.hashBytesToLong(b, off[i], len[i]);
        }
        sink += s;
        return (System.nanoTime() - t0) / (double) off.length;
    }

    private static double komihash(byte[] b, int[] off, int[] len) {
        long t0 = System.nanoTime();
        long s = 0;
        for (int i = 0; i < off.length; i++) {
            s += KOMIHASH.hashBytesToLong(b, off[i], len[i]);
        }
        sink += s;
        return (System.nanoTime() - t0) / (double) off.length;
    }

}
