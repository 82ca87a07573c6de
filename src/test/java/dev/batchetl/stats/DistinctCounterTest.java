package dev.batchetl.stats;

import static org.assertj.core.api.Assertions.assertThat;
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

import org.apache.datasketches.hll.HllSketch;
import org.apache.datasketches.hll.TgtHllType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class DistinctCounterTest {

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
        assertThat((double) d.count()).isCloseTo(DistinctCounter.EXACT_LIMIT + 1, within(0.05 * DistinctCounter.EXACT_LIMIT));
    }

    @ParameterizedTest
    @ValueSource(ints = {2_000, 20_000, 300_000, 3_000_000})
    void theEstimateIsWithinThreeStandardErrors(int n) {
        DistinctCounter d = new DistinctCounter();
        for (int i = 0; i < n; i++) {
            d.add(DistinctCounter.hashBytes(("value-" + i).getBytes(), 0, ("value-" + i).length()));
            d.add(DistinctCounter.hashLong(i % 1000)); // repeats of other values do not count twice
        }
        assertThat((double) d.count()).isCloseTo(n + 1000, within(3 * 0.0163 * (n + 1000)));
    }

    @Test
    void aTextHashDependsOnTheBytesOnly() {
        // every value of up to 3 bytes over a small alphabet, and random ones of every length up to 40
        List<byte[]> values = new ArrayList<>();
        byte[] alphabet = {0, 'a', 'b', (byte) 0xFF};
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
    void theRegistersAreADataSketchesImageThatTheLibraryEstimates() throws IOException {
        // a sketch the library fed itself; its registers, read back through our serialized form, give its estimate
        for (int n : new int[] {3_000, 10_000, 40_000, 1_000_000}) {
            HllSketch reference = new HllSketch(DistinctCounter.LG_K, TgtHllType.HLL_8);
            for (long v = 0; v < n; v++) {
                reference.update(v * 31 + 7);
            }
            byte[] image = reference.toUpdatableByteArray();
            byte[] registers = Arrays.copyOfRange(image, image.length - (1 << DistinctCounter.LG_K), image.length);
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            DataOutputStream out = new DataOutputStream(bytes);
            out.writeInt(-1);
            out.write(registers);
            DistinctCounter d = DistinctCounter.read(new DataInputStream(new ByteArrayInputStream(bytes.toByteArray())));
            assertThat(d.sketch().getCompositeEstimate()).isEqualTo(reference.getCompositeEstimate());
            assertThat(d.count()).isEqualTo(Math.round(reference.getCompositeEstimate()));
        }
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
