package dev.batchetl.stats;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * How a CSV file is read. The delimiter, quote and escape characters must be ASCII (the tokenizer works on bytes), and
 * the encoding must be ASCII compatible (UTF-8, ISO-8859-1, windows-125x, ...).
 *
 * @param escape    escape character, {@code null} for none
 * @param naValues  field values (after unquoting, compared exactly) that are null
 */
public record CsvOptions(char delimiter, char quote, Character escape, boolean header, Charset encoding,
                         Set<String> naValues, BadRowPolicy badRows) {

    private static final Set<String> PANDAS_NA = Collections.unmodifiableSet(new LinkedHashSet<>(List.of(
            "", "#N/A", "#N/A N/A", "#NA", "-1.#IND", "-1.#QNAN", "-NaN", "-nan", "1.#IND", "1.#QNAN", "<NA>", "N/A",
            "NA", "NULL", "NaN", "None", "n/a", "nan", "null")));

    public CsvOptions {
        checkAscii("delimiter", delimiter);
        checkAscii("quote", quote);
        if (escape != null) {
            checkAscii("escape", escape);
        }
        if (delimiter == quote) {
            throw new IllegalArgumentException("delimiter and quote must differ");
        }
        if (encoding == null) {
            encoding = StandardCharsets.UTF_8;
        }
        String probe = "\n\r,;|\t\"' azAZ09.-+#";
        if (!java.util.Arrays.equals(probe.getBytes(encoding), probe.getBytes(StandardCharsets.US_ASCII))) {
            throw new IllegalArgumentException("encoding must be ASCII compatible: " + encoding);
        }
        naValues = naValues == null ? Set.of() : Collections.unmodifiableSet(new LinkedHashSet<>(naValues));
        if (badRows == null) {
            badRows = BadRowPolicy.SKIP;
        }
    }

    private static void checkAscii(String what, char c) {
        if (c >= 0x80 || c == '\n' || c == '\r') {
            throw new IllegalArgumentException(what + " must be an ASCII character other than CR and LF: " + (int) c);
        }
    }

    /** ',' '"', no escape, header row, UTF-8, pandas' default NA values, skip bad rows. */
    public static CsvOptions defaults() {
        return new CsvOptions(',', '"', null, true, StandardCharsets.UTF_8, PANDAS_NA, BadRowPolicy.SKIP);
    }

    /** The values {@code pandas.read_csv} treats as NA by default. */
    public static Set<String> pandasNaValues() {
        return PANDAS_NA;
    }
}
