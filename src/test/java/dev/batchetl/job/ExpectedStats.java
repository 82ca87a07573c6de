package dev.batchetl.job;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

/**
 * Statistics of a column computed the slow, obvious way (BigDecimal sums, code point
 * comparison), independently of the engine under test, following pandas' read_csv
 * defaults for the values the fixtures use.
 */
final class ExpectedStats {

    static final Set<String> NA = Set.of("", "#N/A", "#N/A N/A", "#NA", "-1.#IND", "-1.#QNAN", "-NaN", "-nan", "1.#IND",
            "1.#QNAN", "<NA>", "N/A", "NA", "NULL", "NaN", "None", "n/a", "nan", "null");

    record Column(String type, long count, long nulls, BigDecimal mean, String min, String max) {
    }

    private ExpectedStats() {
    }

    static Column of(List<String> values) {
        return of(values, NA);
    }

    /** The same, with {@code na} as the values read as null (key {@code na-values}). */
    static Column of(List<String> values, Set<String> na) {
        List<String> present = new ArrayList<>();
        for (String value : values) {
            if (!na.contains(value)) {
                present.add(value);
            }
        }
        long nulls = values.size() - present.size();
        boolean integers = present.stream().allMatch(v -> v.strip().matches("[+-]?\\d+"));
        boolean numbers = present.stream()
            .allMatch(v -> v.strip().matches("[+-]?(\\d+\\.?\\d*|\\.\\d+)([eE][+-]?\\d+)?"));
        if (numbers && !present.isEmpty()) {
            List<BigDecimal> parsed = present.stream().map(v -> new BigDecimal(v.strip())).toList();
            BigDecimal sum = parsed.stream().reduce(BigDecimal.ZERO, BigDecimal::add);
            BigDecimal mean = sum.divide(BigDecimal.valueOf(parsed.size()), MathContext.DECIMAL128);
            BigDecimal min = parsed.stream().min(BigDecimal::compareTo).orElseThrow();
            BigDecimal max = parsed.stream().max(BigDecimal::compareTo).orElseThrow();
            String type = integers && nulls == 0 ? "integer" : "float";
            return new Column(type, present.size(), nulls, mean, min.toPlainString(), max.toPlainString());
        }
        String min = present.stream().min(ExpectedStats::byCodePoint).orElse(null);
        String max = present.stream().max(ExpectedStats::byCodePoint).orElse(null);
        return new Column("text", present.size(), nulls, null, min, max);
    }

    static int byCodePoint(String a, String b) {
        return Arrays.compare(a.codePoints().toArray(), b.codePoints().toArray());
    }

}
