package dev.batchetl.stats.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;

class NaMatcherTests {

    /**
     * v at the start of a buffer with room after it, and at the very end of one (no
     * 8-byte read past it).
     */
    private static List<Boolean> matches(NaMatcher m, String v) {
        byte[] b = v.getBytes(StandardCharsets.UTF_8);
        byte[] roomy = new byte[b.length + 16];
        System.arraycopy(b, 0, roomy, 3, b.length);
        byte[] tight = new byte[b.length + 1];
        System.arraycopy(b, 0, tight, 1, b.length);
        return List.of(m.matches(roomy, 3, 3 + b.length), m.matches(tight, 1, 1 + b.length));
    }

    @Test
    void everyNaValueMatchesAndNothingElse() {
        NaMatcher m = new NaMatcher(CsvOptions.defaults().naValues());
        for (String v : CsvOptions.defaults().naValues()) {
            assertThat(matches(m, v)).as(v).containsOnly(true);
        }
        List<String> others = new ArrayList<>(List.of("NA ", " NA", "na", "N", "NULLs", "nan\0", "\0", "NA\0",
                "#N/A N/", "#N/A N/AA", "-1.#QNA", "1.5", "-1234.56", "2024-01-01", "nulL", "Nan", "é"));
        for (String v : others) {
            assertThat(matches(m, v)).as(v).containsOnly(false);
        }
    }

    @Test
    void everyShortTextOverTheBytesOfTheNaValuesMatchesExactlyWhenItIsOne() {
        // all texts of up to 3 bytes over the NA values' bytes and a few others, against
        // the defaults and a set of
        // short values sharing first bytes and pairs
        for (Set<String> set : List.of(CsvOptions.defaults().naValues(), Set.of("-", "-1", "1", "1.", "ab", "b", ""))) {
            NaMatcher m = new NaMatcher(set);
            StringBuilder alphabet = new StringBuilder("xz9");
            for (String v : set) {
                for (char c : v.toCharArray()) {
                    if (alphabet.indexOf(String.valueOf(c)) < 0) {
                        alphabet.append(c);
                    }
                }
            }
            List<String> texts = new ArrayList<>(List.of(""));
            for (int len = 1; len <= 3; len++) {
                List<String> longer = new ArrayList<>();
                for (String t : texts) {
                    if (t.length() == len - 1) {
                        for (char c : alphabet.toString().toCharArray()) {
                            longer.add(t + c);
                        }
                    }
                }
                texts.addAll(longer);
            }
            for (String t : texts) {
                assertThat(matches(m, t)).as(set + ": " + t).containsOnly(set.contains(t));
            }
        }
    }

    @Test
    void aConfiguredSetReplacesTheDefaults() {
        NaMatcher m = new NaMatcher(Set.of("-", "missing", "not available at all", "\0\0"));
        assertThat(matches(m, "-")).containsOnly(true);
        assertThat(matches(m, "missing")).containsOnly(true);
        assertThat(matches(m, "not available at all")).containsOnly(true);
        assertThat(matches(m, "\0\0")).containsOnly(true);
        assertThat(matches(m, "\0")).containsOnly(false);
        assertThat(matches(m, "")).containsOnly(false);
        assertThat(matches(m, "NA")).containsOnly(false);
        NaMatcher none = new NaMatcher(Set.of());
        assertThat(matches(none, "")).containsOnly(false);
        assertThat(matches(none, "NA")).containsOnly(false);
    }

}
