package dev.batchetl.stats.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.SplittableRandom;

import com.dynatrace.hash4j.distinctcount.HyperLogLog;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class DistinctCounterTests {

    @Test
    void exactWhileTheDistinctValuesAreFew() {
        DistinctCounter d = new DistinctCounter();
        for (int round = 0; round < 3; round++) {
            for (long v = 0; v < DistinctCounter.EXACT_LIMIT; v++) {
                d.add(DistinctCounter.hashLong(v));
            }
        }
        assertThat(d.exact()).isTrue();
        assertThat(d.count()).isEqualTo(DistinctCounter.EXACT_LIMIT);
        d.add(DistinctCounter.hashLong(-1));
        assertThat(d.exact()).isFalse();
        assertThat((double) d.count()).isCloseTo(DistinctCounter.EXACT_LIMIT + 1,
                within(0.05 * DistinctCounter.EXACT_LIMIT));
    }

    /** The relative standard error of the estimate (a HyperLogLog of 2^12 registers). */
    private static final double ERROR = 0.0163;

    @ParameterizedTest
    @ValueSource(ints = { 2_000, 20_000, 300_000, 3_000_000 })
    void theEstimateIsWithinThreeStandardErrors(int n) {
        DistinctCounter d = new DistinctCounter();
        for (int i = 0; i < n; i++) {
            d.add(DistinctCounter.hashBytes(("value-" + i).getBytes(), 0, ("value-" + i).length()));
            d.add(DistinctCounter.hashLong(i % 1000)); // repeats of other values do not
                                                       // count twice
        }
        assertThat(d.exact()).isFalse();
        assertThat((double) d.count()).isCloseTo(n + 1000, within(3 * ERROR * (n + 1000)));
    }

    @ParameterizedTest
    @ValueSource(ints = { 1_500, 5_000, 50_000 })
    void overManyStreamsTheErrorIsTheDocumentedOne(int n) {
        // 100 streams of n distinct values each: the mean relative error is near 0 and
        // its root mean square near
        // the standard error
        byte[] value = new byte[8];
        double sum = 0;
        double squares = 0;
        int trials = 100;
        for (int t = 0; t < trials; t++) {
            long first = new SplittableRandom(t).nextLong();
            DistinctCounter d = new DistinctCounter();
            for (int i = 0; i < n; i++) {
                long v = first + i;
                for (int b = 0; b < 8; b++) {
                    value[b] = (byte) (v >>> (8 * b));
                }
                d.add(DistinctCounter.hashBytes(value, 0, 8));
            }
            double error = d.count() / (double) n - 1;
            sum += error;
            squares += error * error;
        }
        assertThat(Math.abs(sum / trials)).as("bias").isLessThan(ERROR / 2);
        assertThat(Math.sqrt(squares / trials)).as("root mean square error").isBetween(ERROR / 2, ERROR * 1.25);
    }

    @Test
    void aTextHashDependsOnTheBytesOnly() {
        // every value of up to 3 bytes over a small alphabet, and random ones of every
        // length up to 40
        List<byte[]> values = new ArrayList<>();
        byte[] alphabet = { 0, 'a', 'b', (byte) 0xFF };
        values.add(new byte[0]);
        for (int n = 1; n <= 3; n++) {
            for (int code = 0; code < 1 << (2 * n); code++) {
                byte[] v = new byte[n];
                for (int i = 0; i < n; i++) {
                    v[i] = alphabet[(code >> (2 * i)) & 3];
                }
                values.add(v);
            }
        }
        Random rnd = new Random(5);
        for (int n = 4; n <= 40; n++) {
            for (int k = 0; k < 200; k++) {
                byte[] v = new byte[n];
                for (int i = 0; i < n; i++) {
                    v[i] = alphabet[rnd.nextInt(4)];
                }
                values.add(v);
            }
        }
        Map<Long, String> seen = new HashMap<>();
        for (byte[] v : values) {
            // the same bytes at another place of a larger buffer hash the same
            byte[] padded = new byte[v.length + 20];
            Arrays.fill(padded, (byte) 'x');
            System.arraycopy(v, 0, padded, 7, v.length);
            long h = DistinctCounter.hashBytes(v, 0, v.length);
            assertThat(DistinctCounter.hashBytes(padded, 7, 7 + v.length)).isEqualTo(h);
            String previous = seen.putIfAbsent(h, Arrays.toString(v));
            assertThat(previous == null || previous.equals(Arrays.toString(v))).as("collision").isTrue();
        }
    }

    @Test
    void theRegistersAreHash4jsHyperLogLogOfTheHashes() throws IOException {
        // hash4j's HyperLogLog fed the hashes rotated by 12 bits, so that its register is
        // their low 12 bits: the same
        // state, and so the same estimate; every register value occurs (hashes with up to
        // 52 more leading zeros)
        SplittableRandom rnd = new SplittableRandom(3);
        for (int n : new int[] { 3_000, 10_000, 100_000, 2_000_000 }) {
            DistinctCounter d = new DistinctCounter();
            HyperLogLog reference = HyperLogLog.create(12);
            for (int i = 0; i < n; i++) {
                long h = rnd.nextLong() >>> rnd.nextInt(i % 3 == 0 ? 53 : 1);
                d.add(h);
                reference.add(Long.rotateRight(h, 12));
            }
            assertThat(d.exact()).isFalse();
            assertThat(d.sketch().getState()).as("n = " + n).isEqualTo(reference.getState());
            assertThat(d.count()).isEqualTo(Math.round(reference.getDistinctCountEstimate()));
        }
    }

    /**
     * A distinct counter as a checkpoint holds it, built from its documented layout: the
     * marker -1, then 4096 one-byte registers, a hash's register its low 12 bits and its
     * value the leading zeros of the rest plus one; each register the largest value of
     * its hashes.
     */
    static byte[] registerImage(long[] hashes) throws IOException {
        byte[] registers = new byte[4096];
        for (long h : hashes) {
            int slot = (int) (h & 4095);
            int rank = Long.numberOfLeadingZeros(h >>> 12) - 12 + 1;
            registers[slot] = (byte) Math.max(registers[slot], rank);
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bytes);
        out.writeInt(-1);
        out.write(registers);
        return bytes.toByteArray();
    }

    private static long[] hashes(long from, long to) {
        long[] h = new long[(int) (to - from)];
        for (long v = from; v < to; v++) {
            h[(int) (v - from)] = DistinctCounter.hashLong(v * 31 + 7);
        }
        return h;
    }

    private static DistinctCounter read(byte[] bytes) throws IOException {
        return DistinctCounter.read(new DataInputStream(new ByteArrayInputStream(bytes)));
    }

    @Test
    void theRegistersOfACheckpointAreReadAsTheyWereWritten() throws IOException {
        // registers of values 0 to 30,000 in a checkpoint, read and fed values 20,000 to
        // 60,000: the registers of one
        // stream of all, written the same, estimated within the error
        for (int n : new int[] { 3_000, 40_000, 1_000_000 }) {
            DistinctCounter d = read(registerImage(hashes(0, n)));
            assertThat(d.exact()).isFalse();
            assertThat((double) d.count()).as("n = " + n).isCloseTo(n, within(3 * ERROR * n));
            assertThat(serialized(d)).isEqualTo(registerImage(hashes(0, n)));
        }
        DistinctCounter resumed = read(registerImage(hashes(0, 30_000)));
        for (long h : hashes(20_000, 60_000)) {
            resumed.add(h);
        }
        assertThat(serialized(resumed)).isEqualTo(registerImage(hashes(0, 60_000)));
        assertThat((double) resumed.count()).isCloseTo(60_000, within(3 * ERROR * 60_000));
    }

    @Test
    void serializedAndReadBackEachForm() throws IOException {
        for (int n : new int[] { 0, 1, 1000, DistinctCounter.EXACT_LIMIT - 1, DistinctCounter.EXACT_LIMIT, 100_000 }) {
            DistinctCounter d = new DistinctCounter();
            for (long h : hashes(0, n)) {
                d.add(h);
            }
            d.add(0L); // a hash of 0 is a value too
            byte[] bytes = serialized(d);
            DistinctCounter back = read(bytes);
            assertThat(back.exact()).isEqualTo(n + 1 <= DistinctCounter.EXACT_LIMIT);
            assertThat(back.count()).isEqualTo(d.count());
            assertThat(serialized(back)).isEqualTo(bytes);
            if (back.exact()) {
                assertThat(back.count()).isEqualTo(n + 1);
            }
            else {
                assertThat((double) back.count()).isCloseTo(n + 1, within(3 * ERROR * (n + 1)));
            }
        }
    }

    @Test
    void aRegisterBeyondTheLargestValueIsRefused() throws IOException {
        byte[] image = registerImage(hashes(0, 5_000));
        image[4 + 17] = 54; // 52 zero bits above the slot give 53 at most
        assertThatThrownBy(() -> read(image)).isInstanceOf(IOException.class).hasMessageContaining("register 54");
        image[4 + 17] = -1;
        assertThatThrownBy(() -> read(image)).isInstanceOf(IOException.class);
    }

    @Test
    void mergedHalvesEqualOneStream() throws IOException {
        DistinctCounter whole = new DistinctCounter();
        DistinctCounter first = new DistinctCounter();
        DistinctCounter second = new DistinctCounter();
        DistinctCounter small = new DistinctCounter();
        for (long v = 0; v < 100_000; v++) {
            long h = DistinctCounter.hashLong(v % 60_000);
            whole.add(h);
            (v < 50_000 ? first : second).add(h);
            if (v < 500) {
                small.add(h);
            }
        }
        first.merge(second);
        assertThat(first.count()).isEqualTo(whole.count());
        assertThat(serialized(first)).isEqualTo(serialized(whole));
        // an exact counter merged into a sketch, and a sketch into an exact counter
        DistinctCounter exactFirst = new DistinctCounter();
        exactFirst.merge(small);
        exactFirst.merge(whole);
        assertThat(serialized(exactFirst)).isEqualTo(serialized(whole));
        whole.merge(small);
        assertThat(serialized(whole)).isEqualTo(serialized(exactFirst));
    }

    private static byte[] serialized(DistinctCounter d) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        d.write(new DataOutputStream(bytes));
        return bytes.toByteArray();
    }

}
