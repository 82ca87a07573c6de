package dev.batchetl.stats;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

/** Exact byte comparison of a field against the NA values, bucketed by length. */
final class NaMatcher {

    private final byte[][][] byLength;

    NaMatcher(Set<String> naValues) {
        int max = -1;
        List<byte[]> all = new ArrayList<>();
        for (String v : naValues) {
            byte[] b = v.getBytes(StandardCharsets.UTF_8);
            all.add(b);
            max = Math.max(max, b.length);
        }
        byLength = new byte[max + 1][][];
        for (byte[] b : all) {
            byte[][] old = byLength[b.length];
            byte[][] grown = old == null ? new byte[1][] : Arrays.copyOf(old, old.length + 1);
            grown[grown.length - 1] = b;
            byLength[b.length] = grown;
        }
    }

    boolean matches(byte[] a, int s, int e) {
        int n = e - s;
        if (n >= byLength.length) {
            return false;
        }
        byte[][] candidates = byLength[n];
        if (candidates == null) {
            return false;
        }
        for (byte[] c : candidates) {
            if (Arrays.equals(a, s, e, c, 0, n)) {
                return true;
            }
        }
        return false;
    }
}
