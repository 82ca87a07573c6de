package dev.batchetl.stats.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class PrefixKeyTests {

    @Test
    void strictKeyOrderImpliesByteOrder() {
        Random rnd = new Random(3);
        List<byte[]> values = new ArrayList<>();
        for (String s : new String[] { "", "a", "a\u0000", "ab", "abcdefgh", "abcdefgh\u0000", "abcdefghi", "\u00e9",
                "\uD83D\uDE00", "zzzzzzzzzzzz" }) {
            values.add(s.getBytes(StandardCharsets.UTF_8));
        }
        for (int i = 0; i < 300; i++) {
            byte[] b = new byte[rnd.nextInt(11)];
            for (int j = 0; j < b.length; j++) {
                b[j] = (byte) (rnd.nextBoolean() ? 'a' + rnd.nextInt(3) : rnd.nextInt(256));
            }
            values.add(b);
        }
        for (byte[] x : values) {
            // the same key when bytes follow the value in its buffer (a masked 8-byte
            // read) as when none do
            byte[] roomy = new byte[x.length + 12];
            java.util.Arrays.fill(roomy, (byte) 0xA5);
            System.arraycopy(x, 0, roomy, 2, x.length);
            assertThat(TextExtremes.prefixKey(roomy, 2, 2 + x.length))
                .isEqualTo(TextExtremes.prefixKey(x, 0, x.length));
            for (byte[] y : values) {
                int keys = Long.compareUnsigned(TextExtremes.prefixKey(x, 0, x.length),
                        TextExtremes.prefixKey(y, 0, y.length));
                int bytes = Arrays.compareUnsigned(x, y);
                if (keys != 0) {
                    assertThat(Integer.signum(bytes)).isEqualTo(Integer.signum(keys));
                }
            }
        }
    }

}
