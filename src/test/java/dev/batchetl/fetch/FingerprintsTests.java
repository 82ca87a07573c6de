package dev.batchetl.fetch;

import java.util.HashSet;
import java.util.Random;
import java.util.Set;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class FingerprintsTests {

    @Test
    void answersAsAHashSetOfTheTextsDoesThroughEveryGrowth() {
        // 300,000 additions of 150,000 different texts, in random order, each added twice
        Fingerprints fingerprints = new Fingerprints();
        Set<String> exact = new HashSet<>();
        Random random = new Random(7);
        for (int i = 0; i < 300_000; i++) {
            String text = "http://h/" + random.nextInt(150_000) + ".csv";
            assertThat(fingerprints.add(text)).as(text).isEqualTo(exact.add(text));
        }
        assertThat(exact).hasSizeGreaterThan(100_000);
    }

    @Test
    void textsThatDifferOnlyInCaseOrAtTheirEndAreDifferent() {
        Fingerprints fingerprints = new Fingerprints();
        assertThat(fingerprints.add("data.csv")).isTrue();
        assertThat(fingerprints.add("Data.csv")).isTrue();
        assertThat(fingerprints.add("data.csv ")).isTrue();
        assertThat(fingerprints.add("")).isTrue();
        assertThat(fingerprints.add("")).isFalse();
        assertThat(fingerprints.add("data.csv")).isFalse();
    }

}
