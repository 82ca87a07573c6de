package dev.batchetl.job;

import java.io.ByteArrayOutputStream;
import java.io.Reader;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.MathContext;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeSet;
import java.util.UUID;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import com.opencsv.CSVReader;
import com.opencsv.CSVReaderBuilder;
import com.opencsv.RFC4180ParserBuilder;
import dev.batchetl.EtlCli;
import dev.batchetl.TestDatabase;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The whole pipeline (statistics and export, on PostgreSQL) over a folder of generated
 * CSV files with extreme but legal content and a few illegal files, checked against an
 * oracle computed here from the generated cells with exact (BigDecimal) arithmetic, never
 * with the code under test.
 *
 * <p>
 * Each seed writes its own folder and runs the application once over it, in this JVM,
 * with {@code partitions=2}, a small {@code split-size} (so that the bigger files are cut
 * into ranges) and small {@code commit-rows}. The checks: the exit code is 0, or 3
 * exactly when a file was expected to fail; every file has its rows in results.csv (one
 * per column, or one with the error); {@code etl_file_stats}, {@code etl_column_stats}
 * and {@code etl_bad_row} hold what results.csv holds; and every statistic equals the
 * oracle's, which follows pandas' {@code read_csv} defaults as the README documents them
 * (see {@link Oracle}).
 *
 * <p>
 * Seeds: a few fixed ones and one fresh random seed per run, each printed;
 * {@code -Dpipeline.seed=N} (or {@code N,M,...}) replays seeds;
 * {@code -Dpipeline.long=true} runs more seeds over bigger files. Every mismatch of a run
 * is collected and reported together, each naming the seed, the file and the column.
 * {@code -Dpipeline.without=a,b} leaves out generated features (names in
 * {@link #FEATURES}), to look behind a failure that hides the others. A seed gives the
 * same files only with the same {@code pipeline.long} and {@code pipeline.without}.
 */
class PipelineGenerativeTests {

    /**
     * Seeds that always run: 25 splits by 4 KB and commits every 7 rows; 70 has the
     * 20,000-column file.
     */
    private static final long[] FIXED_SEEDS = { 25L, 70L };

    /** Seeds the long variant runs as well. */
    private static final long[] LONG_SEEDS = { 2L, 3L, 5L, 8L, 13L, 21L };

    static final boolean LONG = Boolean.getBoolean("pipeline.long");

    /** What the generator can be told to leave out ({@code -Dpipeline.without=...}). */
    static final List<String> FEATURES = List.of("nul", "control", "long-field", "long-header", "wide", "dup-names",
            "unclosed", "bad-rows", "empty", "odd-paths", "overflow", "big-values", "inf", "huge-ints", "cancel",
            "split");

    static final Set<String> WITHOUT = without(System.getProperty("pipeline.without", ""));

    private static final String[] RESULT_HEADER = { "file", "rows", "columns", "column", "type", "count", "nulls",
            "mean", "min", "max", "sum", "variance", "std", "min_length", "max_length", "distinct", "distinct_exact",
            "q1", "median", "q3", "quartiles_exact", "bad_rows", "invalid_bytes", "error" };

    private final JdbcTemplate jdbc = TestDatabase.jdbc();

    static Stream<Long> seeds() {
        String replay = System.getProperty("pipeline.seed", "").trim();
        if (!replay.isEmpty()) {
            return Arrays.stream(replay.split(",")).map(String::trim).map(Long::parseLong);
        }
        List<Long> seeds = new ArrayList<>();
        Arrays.stream(FIXED_SEEDS).forEach(seeds::add);
        if (LONG) {
            Arrays.stream(LONG_SEEDS).forEach(seeds::add);
        }
        SecureRandom fresh = new SecureRandom();
        for (int i = 0; i < (LONG ? 3 : 1); i++) {
            seeds.add(fresh.nextLong() & Long.MAX_VALUE);
        }
        return seeds.stream();
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void theStatisticsOfGeneratedFilesAreTheOraclesInResultsCsvAndTheTables(long seed, @TempDir Path work)
            throws Exception {
        System.out.println("PipelineGenerativeTests: seed " + seed + " (replay: -Dpipeline.seed=" + seed + ")"
                + (LONG ? " long" : "") + (WITHOUT.isEmpty() ? "" : " without " + WITHOUT));
        long t0 = System.nanoTime();
        Path data = work.resolve("data");
        Generator generator = new Generator(seed, LONG);
        List<FileSpec> files = generator.generate();
        long bytes = 0;
        for (FileSpec file : files) {
            Path path = data.resolve(file.path);
            Files.createDirectories(path.getParent());
            Files.write(path, file.bytes);
            bytes += file.bytes.length;
        }
        String settings = "split-size=" + generator.splitSize + ", commit-rows=" + generator.commitRows;
        Problems problems = new Problems(seed, settings);
        long t1 = System.nanoTime();

        Path out = work.resolve("out/results.csv");
        EtlCli.Result result = EtlCli.run("run", "dir=" + data, "output=" + out,
                "run=fuzz-" + seed + "-" + UUID.randomUUID(), "partitions=2", "split-size=" + generator.splitSize,
                "commit-rows=" + generator.commitRows);
        long t2 = System.nanoTime();

        boolean anyFails = files.stream().anyMatch(f -> f.fails);
        if (result.exitCode() != 0 && result.exitCode() != 3) {
            throw new AssertionError("seed " + seed + " (" + settings + "; replay: -Dpipeline.seed=" + seed + "): exit "
                    + result.exitCode() + ", expected " + (anyFails ? 3 : 0) + "; files: " + files.size() + "\n"
                    + clip(result.toString(), 6000) + failedSteps(result));
        }
        problems.check(result.exitCode() == (anyFails ? 3 : 0), null, null, () -> "exit " + result.exitCode()
                + ", expected " + (anyFails ? 3 : 0) + "\n" + clip(result.out(), 3000));
        long execution = result.executionId();
        if (!Files.exists(out)) {
            throw new AssertionError("seed " + seed + ": no results.csv\n" + clip(result.toString(), 6000));
        }
        new Checker(problems, files, readResults(out), this.jdbc, execution).checkAll();
        long t3 = System.nanoTime();
        System.out.printf(Locale.ROOT,
                "PipelineGenerativeTests: seed %d: %d files, %d bytes, %s; generate %.1f s, run %.1f s (exit %d), check %.1f s%n",
                seed, files.size(), bytes, settings, (t1 - t0) / 1e9, (t2 - t1) / 1e9, result.exitCode(),
                (t3 - t2) / 1e9);
        problems.throwIfAny();
    }

    /**
     * The causes of the failed steps of a failed run, as the job repository recorded
     * them.
     */
    private String failedSteps(EtlCli.Result result) {
        try {
            long execution = result.executionId();
            StringBuilder b = new StringBuilder();
            for (Map<String, Object> step : this.jdbc.queryForList("""
                    SELECT step_name, exit_message FROM batch_step_execution
                    WHERE job_execution_id = ? AND status = 'FAILED' ORDER BY step_execution_id""", execution)) {
                String message = String.valueOf(step.get("exit_message"));
                b.append("\n--- failed step ").append(step.get("step_name")).append(": ");
                message.lines()
                    .map(String::strip)
                    .filter(line -> line.startsWith("at ") ? line.startsWith("at dev.batchetl.")
                            : line.contains("ERROR:") || line.contains("Exception") || line.startsWith("Caused by"))
                    .limit(8)
                    .forEach(line -> b.append("\n    ").append(clip(line.strip(), 400)));
            }
            return b.toString();
        }
        catch (RuntimeException | AssertionError ex) {
            return "";
        }
    }

    static boolean on(String feature) {
        return !WITHOUT.contains(feature);
    }

    private static Set<String> without(String list) {
        Set<String> names = new HashSet<>();
        for (String name : list.split(",")) {
            if (!name.isBlank()) {
                if (!FEATURES.contains(name.trim())) {
                    throw new IllegalArgumentException(
                            "pipeline.without: unknown feature " + name + "; known: " + FEATURES);
                }
                names.add(name.trim());
            }
        }
        return names;
    }

    /**
     * results.csv as RFC 4180 (quotes doubled, no backslash escapes, line ends inside
     * quoted fields kept), read by a small parser of the test's own: OpenCSV's readers
     * give up on some fields of control characters and line ends that Python's csv module
     * and pandas read as written.
     */
    static List<String[]> readResults(Path file) throws Exception {
        String text = Files.readString(file, StandardCharsets.UTF_8);
        List<String[]> rows = new ArrayList<>();
        List<String> row = new ArrayList<>();
        StringBuilder field = new StringBuilder();
        boolean quoted = false;
        int i = 0;
        while (i < text.length()) {
            char c = text.charAt(i++);
            if (quoted) {
                if (c != '"') {
                    field.append(c);
                }
                else if (i < text.length() && text.charAt(i) == '"') {
                    field.append('"');
                    i++;
                }
                else {
                    quoted = false;
                }
            }
            else if (c == '"') {
                quoted = true;
            }
            else if (c == ',') {
                row.add(field.toString());
                field.setLength(0);
            }
            else if (c == '\n') {
                row.add(field.toString());
                field.setLength(0);
                rows.add(row.toArray(String[]::new));
                row = new ArrayList<>();
            }
            else {
                field.append(c);
            }
        }
        if (quoted) {
            throw new AssertionError("results.csv ends inside a quoted field");
        }
        if (field.length() > 0 || !row.isEmpty()) {
            row.add(field.toString());
            rows.add(row.toArray(String[]::new));
        }
        return rows;
    }

    // ===========================================================================================================
    // What the oracle knows about a generated file

    /** One generated file and what the oracle expects of it. */
    static final class FileSpec {

        final String path;

        /** What the file exercises, for the messages. */
        final String kind;

        byte[] bytes;

        /** How it was written (line ends, BOM, quoting), for the messages. */
        String style = "";

        /** The column names pandas gives (null for a failing file). */
        List<String> names;

        /** The profile each column was generated with, for the messages. */
        List<String> profiles;

        /**
         * Per column, per good row: the cell's value after unquoting; null for a missing
         * field.
         */
        List<List<String>> cells;

        long rows;

        final List<Long> badLines = new ArrayList<>();

        boolean fails;

        /** The line a failing file's error must name; null: any error. */
        Long errorLine;

        FileSpec(String path, String kind) {
            this.path = path;
            this.kind = kind;
        }

        String describe() {
            return "'" + this.path + "' [" + this.kind + (this.style.isEmpty() ? "" : "; " + this.style) + "]";
        }

    }

    // ===========================================================================================================
    // The oracle

    /**
     * Statistics of a column computed the slow, obvious way: pandas' read_csv defaults as
     * documented in the README (NA values, numbers, integers beyond 64 bits, type rules),
     * exact sums, means and variances with BigDecimal, quartiles as numpy 1.24's linear
     * method computes them.
     */
    static final class Oracle {

        static final Set<String> NA = ExpectedStats.NA;

        static final Pattern INTEGER = Pattern.compile("[+-]?[0-9]+");

        static final Pattern DECIMAL = Pattern.compile("[+-]?([0-9]+\\.?[0-9]*|\\.[0-9]+)([eE][+-]?[0-9]+)?");

        static final Pattern INFINITY = Pattern.compile("[+-]?(?i:inf|infinity)");

        static final BigInteger INT64_MIN = BigInteger.valueOf(Long.MIN_VALUE);

        static final BigInteger INT64_MAX = BigInteger.valueOf(Long.MAX_VALUE);

        static final BigInteger UINT64_MAX = BigInteger.ONE.shiftLeft(64).subtract(BigInteger.ONE);

        private static final MathContext PRECISION = new MathContext(40);

        private Oracle() {
        }

        /**
         * The number a value is: a BigInteger for an integer, a Double for a decimal or
         * an infinity token; null for text, which includes a decimal or integer whose
         * magnitude overflows a double (1e400).
         */
        static Object number(String v) {
            if (v.isEmpty()) {
                return null;
            }
            char c = v.charAt(0);
            if (!(c >= '0' && c <= '9') && c != '+' && c != '-' && c != '.' && c != 'i' && c != 'I') {
                return null;
            }
            if (INTEGER.matcher(v).matches()) {
                BigInteger b = new BigInteger(v.charAt(0) == '+' ? v.substring(1) : v);
                return Double.isInfinite(b.doubleValue()) ? null : b;
            }
            if (DECIMAL.matcher(v).matches()) {
                double d = Double.parseDouble(v);
                return Double.isInfinite(d) ? null : (Object) d;
            }
            if (INFINITY.matcher(v).matches()) {
                return v.charAt(0) == '-' ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
            }
            return null;
        }

        /**
         * pandas' C parser's names: empty names are "Unnamed: i"; duplicates a, a.1, ...
         * (named ones first).
         */
        static List<String> pandasNames(List<String> raw) {
            List<String> header = new ArrayList<>();
            List<Integer> unnamed = new ArrayList<>();
            Map<String, Integer> present = new HashMap<>(); // the names now in header,
                                                            // with their multiplicity
            for (int i = 0; i < raw.size(); i++) {
                String name = raw.get(i);
                if (name.isEmpty()) {
                    name = "Unnamed: " + i;
                    unnamed.add(i);
                }
                header.add(name);
                present.merge(name, 1, Integer::sum);
            }
            List<Integer> order = new ArrayList<>();
            for (int i = 0; i < header.size(); i++) {
                if (!unnamed.contains(i)) {
                    order.add(i);
                }
            }
            order.addAll(unnamed);
            Map<String, Integer> counts = new HashMap<>();
            for (int i : order) {
                String col = header.get(i);
                String old = col;
                int cur = counts.getOrDefault(col, 0);
                while (cur > 0) {
                    counts.put(old, cur + 1);
                    col = old + "." + cur;
                    if (present.getOrDefault(col, 0) > 0) {
                        cur++;
                    }
                    else {
                        cur = counts.getOrDefault(col, 0);
                    }
                }
                present.merge(header.get(i), -1, Integer::sum);
                present.merge(col, 1, Integer::sum);
                header.set(i, col);
                counts.put(col, cur + 1);
            }
            return header;
        }

        /**
         * A value the generator must not write as text: its meaning differs between
         * pandas and the contract.
         */
        static boolean ambiguous(String v) {
            if (v.isEmpty() || NA.contains(v)) {
                return true;
            }
            String t = stripSpaces(v);
            if (t.isEmpty()) {
                return true; // a whitespace-only line is a blank line
            }
            if (!t.equals(v) && (NA.contains(t) || INTEGER.matcher(t).matches() || DECIMAL.matcher(t).matches()
                    || INFINITY.matcher(t).matches())) {
                return true; // pandas skips spaces around numbers
            }
            if (t.equalsIgnoreCase("true") || t.equalsIgnoreCase("false")) {
                return true; // booleans
            }
            return v.length() >= 10 && v.charAt(4) == '-' && v.charAt(7) == '-'; // looks
                                                                                 // like a
                                                                                 // date
        }

        private static String stripSpaces(String v) {
            int s = 0;
            int e = v.length();
            while (s < e && " \t\n\r\u000b\f".indexOf(v.charAt(s)) >= 0) {
                s++;
            }
            while (e > s && " \t\n\r\u000b\f".indexOf(v.charAt(e - 1)) >= 0) {
                e--;
            }
            return v.substring(s, e);
        }

        static Expected column(String name, List<String> cells, long rows) {
            Expected x = new Expected();
            x.name = name;
            List<String> present = new ArrayList<>();
            for (String cell : cells) {
                if (cell == null || NA.contains(cell)) {
                    x.nulls++;
                }
                else {
                    present.add(cell);
                }
            }
            x.count = present.size();
            if (!present.isEmpty()) {
                int minLen = Integer.MAX_VALUE;
                int maxLen = 0;
                for (String v : present) {
                    int n = v.codePointCount(0, v.length());
                    minLen = Math.min(minLen, n);
                    maxLen = Math.max(maxLen, n);
                }
                x.minLength = minLen;
                x.maxLength = maxLen;
            }
            if (present.isEmpty()) {
                // no rows: pandas leaves the column object; only nulls: float64
                x.type = rows == 0 ? "text" : "float";
                x.distinct = 0;
                return x;
            }
            List<Object> numbers = new ArrayList<>(present.size());
            boolean allNumbers = true;
            boolean allIntegers = true;
            for (String v : present) {
                Object n = number(v);
                if (n == null) {
                    allNumbers = false;
                    x.why = "text because of " + show(v);
                    break;
                }
                allIntegers &= n instanceof BigInteger;
                numbers.add(n);
            }
            if (allNumbers && allIntegers && x.nulls == 0) {
                boolean above = false;
                boolean beyond = false;
                boolean negative = false;
                for (Object n : numbers) {
                    BigInteger b = (BigInteger) n;
                    negative |= b.signum() < 0;
                    above |= b.compareTo(INT64_MAX) > 0;
                    beyond |= b.compareTo(UINT64_MAX) > 0 || b.compareTo(INT64_MIN) < 0;
                }
                if (beyond || (above && negative)) {
                    allNumbers = false; // pandas: object
                    x.why = "text: integers only, beyond int64 and uint64 or beyond int64 with negatives";
                }
            }
            if (!allNumbers) {
                text(x, present);
                return x;
            }
            x.type = allIntegers && x.nulls == 0 ? "integer" : "float";
            numeric(x, numbers);
            return x;
        }

        private static void text(Expected x, List<String> present) {
            x.type = "text";
            String min = present.get(0);
            String max = min;
            for (String v : present) {
                if (byCodePoint(v, min) < 0) {
                    min = v;
                }
                if (byCodePoint(v, max) > 0) {
                    max = v;
                }
            }
            x.textMin = min;
            x.textMax = max;
            x.distinct = new HashSet<>(present).size();
        }

        private static void numeric(Expected x, List<Object> numbers) {
            int n = numbers.size();
            double[] d = new double[n];
            boolean posInf = false;
            boolean negInf = false;
            double scale = 0;
            for (int i = 0; i < n; i++) {
                Object v = numbers.get(i);
                d[i] = v instanceof BigInteger b ? b.doubleValue() : (Double) v;
                posInf |= d[i] == Double.POSITIVE_INFINITY;
                negInf |= d[i] == Double.NEGATIVE_INFINITY;
                if (Double.isFinite(d[i])) {
                    scale = Math.max(scale, Math.abs(d[i]));
                }
            }
            x.scale = scale;
            if (x.type.equals("integer")) {
                BigInteger sum = BigInteger.ZERO;
                BigInteger min = null;
                BigInteger max = null;
                Set<BigInteger> distinct = new HashSet<>();
                for (Object v : numbers) {
                    BigInteger b = (BigInteger) v;
                    sum = sum.add(b);
                    min = min == null || b.compareTo(min) < 0 ? b : min;
                    max = max == null || b.compareTo(max) > 0 ? b : max;
                    distinct.add(b);
                }
                x.intSum = sum;
                x.intMin = min;
                x.intMax = max;
                x.mean = new BigDecimal(sum).divide(BigDecimal.valueOf(n), PRECISION).doubleValue();
                x.distinct = distinct.size();
            }
            else {
                double min = Double.POSITIVE_INFINITY;
                double max = Double.NEGATIVE_INFINITY;
                // distinct by value, as the README states: an integer by its exact value
                // (also in a float column, where
                // pandas compares float64 values, so integers beyond 2^53 that round
                // alike count once there), a float by
                // its double; 1 and 1.0 are one number, and so are -0.0 and 0.0
                Set<Object> distinct = new HashSet<>();
                for (int i = 0; i < n; i++) {
                    double v = d[i];
                    min = Math.min(min, v);
                    max = Math.max(max, v);
                    Object value = numbers.get(i);
                    if (value instanceof BigInteger b) {
                        distinct.add(new BigDecimal(b));
                    }
                    else if (Double.isFinite(v)) {
                        distinct.add(v == 0 ? BigDecimal.ZERO : new BigDecimal(v).stripTrailingZeros());
                    }
                    else {
                        distinct.add(v);
                    }
                }
                // an integer written as an integer and the same number as a float are one
                // value
                Set<Object> normalized = new HashSet<>();
                for (Object value : distinct) {
                    normalized.add(value instanceof BigDecimal b ? b.stripTrailingZeros() : value);
                }
                distinct = normalized;
                x.min = min;
                x.max = max;
                x.distinct = distinct.size();
                if (posInf && negInf) {
                    x.sum = null;
                    x.mean = null;
                }
                else if (posInf || negInf) {
                    x.sum = posInf ? Double.POSITIVE_INFINITY : Double.NEGATIVE_INFINITY;
                    x.mean = x.sum;
                }
                else {
                    BigDecimal sum = exactSum(d);
                    x.sum = sum.doubleValue();
                    x.mean = sum.divide(BigDecimal.valueOf(n), PRECISION).doubleValue();
                }
            }
            // variance (ddof = 1) of the values as doubles, exactly: (n * sum(x^2) -
            // sum(x)^2) / (n (n - 1))
            if (n >= 2 && !posInf && !negInf) {
                BigDecimal s = BigDecimal.ZERO;
                BigDecimal q = BigDecimal.ZERO;
                for (double v : d) {
                    BigDecimal b = new BigDecimal(v);
                    s = s.add(b);
                    q = q.add(b.multiply(b));
                }
                BigDecimal nn = BigDecimal.valueOf(n);
                BigDecimal numerator = nn.multiply(q).subtract(s.multiply(s));
                BigDecimal variance = numerator.divide(nn.multiply(BigDecimal.valueOf(n - 1L)), PRECISION);
                x.variance = variance.doubleValue();
                x.std = Math.sqrt(x.variance);
            }
            double[] sorted = d.clone();
            Arrays.sort(sorted);
            x.quartiles = new double[] { lerpQuantile(sorted, 0.25), lerpQuantile(sorted, 0.5),
                    lerpQuantile(sorted, 0.75) };
        }

        private static BigDecimal exactSum(double[] d) {
            BigDecimal s = BigDecimal.ZERO;
            for (double v : d) {
                s = s.add(new BigDecimal(v));
            }
            return s;
        }

        /**
         * numpy 1.24 quantile, method 'linear', as its _lerp computes it, in double
         * arithmetic.
         */
        static double lerpQuantile(double[] v, double q) {
            int n = v.length;
            double h = (n - 1) * q;
            int lo = (int) Math.floor(h);
            double t = h - lo;
            double a = v[lo];
            double b = v[Math.min(lo + 1, n - 1)];
            double diff = b - a;
            return t < 0.5 ? a + diff * t : b - diff * (1 - t);
        }

        static int byCodePoint(String a, String b) {
            int i = 0;
            int j = 0;
            while (i < a.length() && j < b.length()) {
                int x = a.codePointAt(i);
                int y = b.codePointAt(j);
                if (x != y) {
                    return Integer.compare(x, y);
                }
                i += Character.charCount(x);
                j += Character.charCount(y);
            }
            return Boolean.compare(i < a.length(), j < b.length());
        }

    }

    /** The oracle's statistics of one column. */
    static final class Expected {

        String name;

        String type;

        long count;

        long nulls;

        String textMin;

        String textMax;

        BigInteger intMin;

        BigInteger intMax;

        BigInteger intSum;

        double min;

        double max;

        /** null: empty. */
        Double sum;

        Double mean;

        Double variance;

        Double std;

        /** The largest finite magnitude, for the tolerances. */
        double scale;

        /** NaN: empty; null for text and empty columns. */
        double[] quartiles;

        Integer minLength;

        Integer maxLength;

        long distinct;

        /** Why a column is text (for the messages). */
        String why;

    }

    // ===========================================================================================================
    // Checks

    /**
     * Every mismatch of a run, each naming the seed, the file and the column; reported
     * grouped by what differs, with a few examples of each.
     */
    static final class Problems {

        private static final int EXAMPLES = 4;

        private final long seed;

        private final String settings;

        private final Map<String, List<String>> byKind = new LinkedHashMap<>();

        private int count;

        Problems(long seed, String settings) {
            this.seed = seed;
            this.settings = settings;
        }

        void check(boolean ok, FileSpec file, String column, Supplier<String> message) {
            if (!ok) {
                add(file, column, message.get());
            }
        }

        void add(FileSpec file, String column, String message) {
            StringBuilder b = new StringBuilder("seed ").append(this.seed);
            if (file != null) {
                b.append(", file ").append(file.describe());
            }
            if (column != null) {
                b.append(", column ").append(column);
            }
            this.count++;
            this.byKind.computeIfAbsent(kind(message), k -> new ArrayList<>())
                .add(b.append(": ").append(message).toString());
        }

        /**
         * What differs: the statistic named before the first colon (with the types, for a
         * type).
         */
        static String kind(String message) {
            if (message.startsWith("type: ") || message.startsWith("column (name): ")) {
                int newline = message.indexOf(';');
                return newline < 0 ? message : message.substring(0, newline);
            }
            int colon = message.indexOf(": ");
            int quote = message.indexOf('"');
            if (colon > 0 && colon < 60 && (quote < 0 || colon < quote)) {
                return message.substring(0, colon);
            }
            String[] words = message.split(" ");
            return String.join(" ", Arrays.asList(words).subList(0, Math.min(words.length, 4)));
        }

        void throwIfAny() {
            if (this.count == 0) {
                return;
            }
            StringBuilder b = new StringBuilder().append(this.count)
                .append(" mismatches, seed ")
                .append(this.seed)
                .append(" (")
                .append(this.settings)
                .append("; replay: -Dpipeline.seed=")
                .append(this.seed)
                .append(")");
            List<Map.Entry<String, List<String>>> kinds = new ArrayList<>(this.byKind.entrySet());
            for (Map.Entry<String, List<String>> kind : kinds) {
                b.append("\n").append(kind.getValue().size()).append(" x ").append(kind.getKey());
                kind.getValue().stream().limit(EXAMPLES).forEach(example -> b.append("\n    ").append(example));
            }
            throw new AssertionError(b.toString());
        }

    }

    /** Compares results.csv, the tables and the oracle. */
    static final class Checker {

        private final Problems p;

        private final List<FileSpec> files;

        private final List<String[]> csv;

        private final JdbcTemplate jdbc;

        private final long execution;

        Checker(Problems problems, List<FileSpec> files, List<String[]> csv, JdbcTemplate jdbc, long execution) {
            this.p = problems;
            this.files = files;
            this.csv = csv;
            this.jdbc = jdbc;
            this.execution = execution;
        }

        void checkAll() {
            this.p.check(!this.csv.isEmpty() && Arrays.equals(this.csv.get(0), RESULT_HEADER), null, null,
                    () -> "results.csv header: " + (this.csv.isEmpty() ? "none" : Arrays.toString(this.csv.get(0))));
            // results.csv rows by file, each file's rows together
            Map<String, List<String[]>> byFile = new LinkedHashMap<>();
            String previous = null;
            for (String[] row : this.csv.subList(Math.min(1, this.csv.size()), this.csv.size())) {
                if (row.length != RESULT_HEADER.length) {
                    this.p.add(null, null,
                            "results.csv row of " + row.length + " fields: " + show(String.join(",", row)));
                    continue;
                }
                if (!row[0].equals(previous) && byFile.containsKey(row[0])) {
                    this.p.add(null, null, "results.csv: the rows of " + show(row[0]) + " are not together");
                }
                previous = row[0];
                byFile.computeIfAbsent(row[0], f -> new ArrayList<>()).add(row);
            }
            Map<String, Map<String, Object>> fileTable = new HashMap<>();
            for (Map<String, Object> row : this.jdbc
                .queryForList("SELECT * FROM etl_file_stats WHERE job_execution_id = ?", this.execution)) {
                fileTable.put((String) row.get("file"), row);
            }
            Map<String, List<Map<String, Object>>> columnTable = new HashMap<>();
            for (Map<String, Object> row : this.jdbc.queryForList(
                    "SELECT * FROM etl_column_stats WHERE job_execution_id = ? ORDER BY file, column_index",
                    this.execution)) {
                columnTable.computeIfAbsent((String) row.get("file"), f -> new ArrayList<>()).add(row);
            }
            Map<String, List<Long>> badRows = new HashMap<>();
            for (Map<String, Object> row : this.jdbc.queryForList(
                    "SELECT file, line FROM etl_bad_row WHERE job_execution_id = ? ORDER BY file, line",
                    this.execution)) {
                badRows.computeIfAbsent((String) row.get("file"), f -> new ArrayList<>())
                    .add(((Number) row.get("line")).longValue());
            }
            Set<String> expected = new TreeSet<>();
            for (FileSpec file : this.files) {
                expected.add(file.path);
                List<String[]> rows = byFile.getOrDefault(file.path, List.of());
                Map<String, Object> fileRow = fileTable.get(file.path);
                List<Map<String, Object>> columnRows = columnTable.getOrDefault(file.path, List.of());
                if (rows.isEmpty()) {
                    this.p.add(file, null, "no row in results.csv");
                }
                if (fileRow == null) {
                    this.p.add(file, null, "no row in etl_file_stats");
                }
                if (file.fails) {
                    checkFailed(file, rows, fileRow, columnRows);
                }
                else {
                    checkFile(file, rows, fileRow, columnRows, badRows.getOrDefault(file.path, List.of()));
                }
            }
            for (String name : byFile.keySet()) {
                this.p.check(expected.contains(name), null, null,
                        () -> "results.csv has a file not generated: " + show(name));
            }
            for (String name : fileTable.keySet()) {
                this.p.check(expected.contains(name), null, null,
                        () -> "etl_file_stats has a file not generated: " + show(name));
            }
        }

        private void checkFailed(FileSpec file, List<String[]> rows, Map<String, Object> fileRow,
                List<Map<String, Object>> columnRows) {
            this.p.check(rows.size() <= 1, file, null, () -> "a failed file should have one row in results.csv, has "
                    + rows.size() + (rows.isEmpty() ? "" : ": first " + show(String.join(",", rows.get(0)))));
            this.p.check(columnRows.isEmpty(), file, null,
                    () -> "a failed file has " + columnRows.size() + " rows in etl_column_stats");
            if (rows.isEmpty()) {
                return;
            }
            String[] row = rows.get(0);
            String error = row[23];
            if (error.isEmpty()) {
                this.p.add(file, null, "expected to fail" + (file.errorLine == null ? "" : " at line " + file.errorLine)
                        + ", but has no error: " + show(String.join(",", row)));
                return;
            }
            for (int i = 1; i < 23; i++) {
                int index = i;
                this.p.check(row[i].isEmpty(), file, null, () -> "failed file: results.csv column "
                        + RESULT_HEADER[index] + " should be empty: " + show(row[index]));
            }
            if (file.errorLine != null) {
                Pattern line = Pattern.compile("^line " + file.errorLine + "(\\D.*)?$", Pattern.DOTALL);
                this.p.check(line.matcher(error).matches(), file, null, () -> "error should name line " + file.errorLine
                        + " (where the open quote is): " + show(error));
            }
            if (fileRow != null) {
                this.p.check(error.equals(fileRow.get("error")), file, null, () -> "etl_file_stats.error "
                        + show((String) fileRow.get("error")) + " != results.csv " + show(error));
                this.p.check(fileRow.get("rows_count") == null && fileRow.get("columns_count") == null, file, null,
                        () -> "failed file: etl_file_stats has rows_count " + fileRow.get("rows_count"));
            }
        }

        private void checkFile(FileSpec file, List<String[]> rows, Map<String, Object> fileRow,
                List<Map<String, Object>> columnRows, List<Long> badLines) {
            if (!rows.isEmpty() && !rows.get(0)[23].isEmpty()) {
                this.p.add(file, null, "failed, expected " + file.rows + " rows of " + file.names.size()
                        + " columns: error " + show(rows.get(0)[23]));
                return;
            }
            int columns = file.names.size();
            this.p.check(rows.size() == columns, file, null,
                    () -> "results.csv has " + rows.size() + " rows, expected one per column: " + columns);
            this.p.check(columnRows.size() == columns, file, null,
                    () -> "etl_column_stats has " + columnRows.size() + " rows, expected " + columns);
            if (fileRow != null) {
                this.p.check(fileRow.get("error") == null, file, null,
                        () -> "etl_file_stats.error " + fileRow.get("error"));
                this.p.check(Objects.equals(number(fileRow.get("rows_count")), file.rows), file, null,
                        () -> "etl_file_stats.rows_count " + fileRow.get("rows_count") + ", expected " + file.rows);
                this.p.check(Objects.equals(number(fileRow.get("columns_count")), (long) columns), file, null,
                        () -> "etl_file_stats.columns_count " + fileRow.get("columns_count") + ", expected " + columns);
                this.p.check(Objects.equals(number(fileRow.get("bad_rows")), (long) file.badLines.size()), file, null,
                        () -> "etl_file_stats.bad_rows " + fileRow.get("bad_rows") + ", expected "
                                + file.badLines.size() + " (lines " + file.badLines + ")");
                this.p.check(Objects.equals(number(fileRow.get("invalid_bytes")), 0L), file, null,
                        () -> "etl_file_stats.invalid_bytes " + fileRow.get("invalid_bytes"));
            }
            this.p.check(badLines.equals(file.badLines), file, null, () -> "etl_bad_row lines "
                    + clip(badLines.toString(), 300) + ", expected " + clip(file.badLines.toString(), 300));
            for (int c = 0; c < columns; c++) {
                String label = "'" + clip(file.names.get(c), 40) + "' (#" + c + ", " + file.profiles.get(c) + ")";
                Expected expected = Oracle.column(file.names.get(c), file.cells.get(c), file.rows);
                if (c < rows.size()) {
                    String[] row = rows.get(c);
                    checkFileFields(file, label, row, columns);
                    checkColumn(file, label, expected, row);
                    if (c < columnRows.size()) {
                        sameAsTable(file, label, c, row, columnRows.get(c));
                    }
                }
            }
        }

        private void checkFileFields(FileSpec file, String label, String[] row, int columns) {
            expect(file, label, "rows", row[1], Long.toString(file.rows));
            expect(file, label, "columns", row[2], Integer.toString(columns));
            expect(file, label, "bad_rows", row[21], Integer.toString(file.badLines.size()));
            expect(file, label, "invalid_bytes", row[22], "0");
            expect(file, label, "error", row[23], "");
        }

        private void checkColumn(FileSpec file, String label, Expected x, String[] row) {
            expect(file, label, "column (name)", row[3], x.name);
            this.p.check(row[4].equals(x.type), file, label, () -> "type: expected " + show(x.type) + ", got "
                    + show(row[4]) + (x.why == null ? "" : "; " + x.why));
            expect(file, label, "count", row[5], Long.toString(x.count));
            expect(file, label, "nulls", row[6], Long.toString(x.nulls));
            expect(file, label, "min_length", row[13], x.minLength == null ? "" : x.minLength.toString());
            expect(file, label, "max_length", row[14], x.maxLength == null ? "" : x.maxLength.toString());
            if (!row[4].equals(x.type)) {
                return; // the statistics of another type say nothing more
            }
            // distinct values: by text in a text column, by value (as pandas' dtype holds
            // it) in a numeric one
            if ("true".equals(row[16])) {
                expect(file, label, "distinct", row[15], Long.toString(x.distinct));
            }
            else if (x.distinct <= 1000) {
                this.p.add(file, label, "distinct_exact: " + show(row[16]) + " with " + x.distinct
                        + " distinct values (exact up to 1024); distinct " + row[15]);
            }
            switch (x.type) {
                case "text" -> {
                    expect(file, label, "min", row[8], x.count == 0 ? "" : x.textMin);
                    expect(file, label, "max", row[9], x.count == 0 ? "" : x.textMax);
                    for (int i : new int[] { 7, 10, 11, 12, 17, 18, 19, 20 }) {
                        expect(file, label, RESULT_HEADER[i] + " (text column)", row[i], "");
                    }
                }
                case "integer" -> {
                    integer(file, label, "min", row[8], x.intMin);
                    integer(file, label, "max", row[9], x.intMax);
                    expect(file, label, "sum (exact integer)", row[10], x.intSum.toString());
                    approx(file, label, "mean", row[7], x.mean, 1e-12 * x.scale, x);
                    numericSpread(file, label, x, row);
                }
                default -> { // float
                    if (x.count == 0) {
                        for (int i : new int[] { 7, 8, 9, 11, 12, 17, 18, 19 }) {
                            expect(file, label, RESULT_HEADER[i] + " (no values)", row[i], "");
                        }
                        return;
                    }
                    exactDouble(file, label, "min", row[8], x.min);
                    exactDouble(file, label, "max", row[9], x.max);
                    approx(file, label, "sum", row[10], x.sum, 1e-12 * Math.max(x.scale, abs(x.sum)), x);
                    approx(file, label, "mean", row[7], x.mean, 1e-12 * x.scale, x);
                    numericSpread(file, label, x, row);
                }
            }
        }

        /** Variance, std and quartiles of a numeric column. */
        private void numericSpread(FileSpec file, String label, Expected x, String[] row) {
            approx(file, label, "variance", row[11], x.variance, 1e-9 * abs(x.variance), x);
            approx(file, label, "std", row[12], x.std, 1e-9 * abs(x.std), x);
            if ("true".equals(row[20])) {
                String[] names = { "q1", "median", "q3" };
                for (int i = 0; i < 3; i++) {
                    double q = x.quartiles[i];
                    exactOrEmpty(file, label, names[i] + " (numpy linear)", row[17 + i], Double.isNaN(q) ? null : q, x);
                }
            }
            else if (x.distinct <= 1000) {
                this.p.add(file, label, "quartiles_exact: " + show(row[20]) + " with " + x.distinct
                        + " distinct values (exact up to 1024; empty only for non-numeric columns); expected quartiles "
                        + Arrays.toString(x.quartiles) + ", got " + row[17] + " " + row[18] + " " + row[19]);
            }
        }

        /** The table row of a column holds what its results.csv row holds. */
        private void sameAsTable(FileSpec file, String label, int index, String[] row, Map<String, Object> t) {
            String[][] texts = { { "column_name", "3" }, { "column_type", "4" }, { "min_value", "8" },
                    { "max_value", "9" }, { "sum_value", "10" } };
            for (String[] pair : texts) {
                String value = (String) t.get(pair[0]);
                // the tables hold U+0000 as U+FFFD (PostgreSQL's text has none);
                // results.csv keeps it
                String csvValue = row[Integer.parseInt(pair[1])].replace('\0', '\uFFFD');
                this.p.check(csvValue.equals(value == null ? "" : value), file, label,
                        () -> "etl_column_stats." + pair[0] + " " + show(value) + " != results.csv " + show(csvValue));
            }
            this.p.check(number(t.get("column_index")) == index, file, label,
                    () -> "etl_column_stats.column_index " + t.get("column_index"));
            String[][] counts = { { "non_null_count", "5" }, { "null_count", "6" }, { "min_length", "13" },
                    { "max_length", "14" }, { "distinct_count", "15" } };
            for (String[] pair : counts) {
                Object value = t.get(pair[0]);
                String csvValue = row[Integer.parseInt(pair[1])];
                this.p.check(csvValue.equals(value == null ? "" : value.toString()), file, label,
                        () -> "etl_column_stats." + pair[0] + " " + value + " != results.csv " + show(csvValue));
            }
            String[][] doubles = { { "mean", "7" }, { "variance", "11" }, { "std", "12" }, { "q1", "17" },
                    { "median", "18" }, { "q3", "19" } };
            for (String[] pair : doubles) {
                Object value = t.get(pair[0]);
                String csvValue = row[Integer.parseInt(pair[1])];
                Double parsed = parse(csvValue);
                boolean same = value == null ? csvValue.isEmpty()
                        : parsed != null && parsed == ((Number) value).doubleValue();
                this.p.check(same, file, label,
                        () -> "etl_column_stats." + pair[0] + " " + value + " != results.csv " + show(csvValue));
            }
            String[][] flags = { { "distinct_exact", "16" }, { "quartiles_exact", "20" } };
            for (String[] pair : flags) {
                Object value = t.get(pair[0]);
                String csvValue = row[Integer.parseInt(pair[1])];
                this.p.check(csvValue.equals(value == null ? "" : value.toString()), file, label,
                        () -> "etl_column_stats." + pair[0] + " " + value + " != results.csv " + show(csvValue));
            }
        }

        private void expect(FileSpec file, String label, String what, String actual, String expected) {
            this.p.check(actual.equals(expected), file, label,
                    () -> what + ": expected " + show(expected) + ", got " + show(actual));
        }

        private void integer(FileSpec file, String label, String what, String actual, BigInteger expected) {
            boolean ok;
            try {
                ok = new BigInteger(actual).equals(expected);
            }
            catch (NumberFormatException ex) {
                ok = false;
            }
            this.p.check(ok, file, label, () -> what + ": expected " + expected + ", got " + show(actual));
        }

        private void exactDouble(FileSpec file, String label, String what, String actual, double expected) {
            Double a = parse(actual);
            this.p.check(a != null && a == expected, file, label,
                    () -> what + ": expected " + expected + ", got " + show(actual));
        }

        private void exactOrEmpty(FileSpec file, String label, String what, String actual, Double expected,
                Expected x) {
            Double a = parse(actual);
            boolean ok = expected == null ? actual.isEmpty() : a != null && a.doubleValue() == expected;
            this.p.check(ok, file, label, () -> what + ": expected " + (expected == null ? "empty" : expected)
                    + ", got " + show(actual) + context(x));
        }

        /**
         * Equal within tol; an expected infinity must be that infinity, an expected empty
         * value empty.
         */
        private void approx(FileSpec file, String label, String what, String actual, Double expected, double tol,
                Expected x) {
            Double a = parse(actual);
            boolean ok;
            if (expected == null) {
                ok = actual.isEmpty();
            }
            else if (Double.isInfinite(expected) || tol == 0) {
                ok = a != null && a.doubleValue() == expected;
            }
            else {
                ok = a != null && Math.abs(a - expected) <= tol;
            }
            this.p.check(ok, file, label, () -> what + ": expected " + (expected == null ? "empty" : expected)
                    + (expected != null && Double.isFinite(expected) && tol > 0 ? " (within " + tol + ")" : "")
                    + ", got " + show(actual)
                    + (a != null && expected != null && Double.isFinite(a) && Double.isFinite(expected) && expected != 0
                            ? " (relative error " + Math.abs(a - expected) / Math.abs(expected) + ")" : "")
                    + context(x));
        }

        private static String context(Expected x) {
            return "; column: " + x.type + ", count " + x.count + ", min " + (x.intMin != null ? x.intMin : x.min)
                    + ", max " + (x.intMax != null ? x.intMax : x.max) + ", exact mean " + x.mean + ", variance "
                    + x.variance;
        }

        private static double abs(Double v) {
            return v == null || !Double.isFinite(v) ? 0 : Math.abs(v);
        }

        private static Long number(Object value) {
            return value == null ? null : ((Number) value).longValue();
        }

    }

    /**
     * A number as results.csv prints it (plain decimal, inf, -inf); null when empty or
     * not a number.
     */
    static Double parse(String text) {
        if (text == null || text.isEmpty()) {
            return null;
        }
        switch (text) {
            case "inf":
                return Double.POSITIVE_INFINITY;
            case "-inf":
                return Double.NEGATIVE_INFINITY;
            default:
                try {
                    return Double.parseDouble(text);
                }
                catch (NumberFormatException ex) {
                    return null;
                }
        }
    }

    /**
     * A value for a message: control characters escaped, long ones clipped with their
     * length.
     */
    static String show(String value) {
        if (value == null) {
            return "(null)";
        }
        StringBuilder b = new StringBuilder("\"");
        int shown = 0;
        for (int i = 0; i < value.length() && shown < 60; i++, shown++) {
            char c = value.charAt(i);
            if (c < 0x20 || c == 0x7f || c == '"' || c == '\\' || (c >= 0x80 && c < 0xa0) || c == 0x2028) {
                b.append(c == '"' ? "\\\"" : c == '\\' ? "\\\\" : String.format("\\u%04x", (int) c));
            }
            else {
                b.append(c);
            }
        }
        b.append('"');
        if (shown < value.length()) {
            b.append("... (").append(value.codePointCount(0, value.length())).append(" code points)");
        }
        return b.toString();
    }

    static String clip(String text, int max) {
        return text.length() <= max ? text : text.substring(0, max) + "... (" + text.length() + " chars)";
    }

    // ===========================================================================================================
    // The generator

    /** Writes the rows of one file, noting where rows and quotes start. */
    static final class CsvOut {

        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();

        final String eol;

        final double quoteShare;

        final SplittableRandom random;

        CsvOut(String eol, double quoteShare, SplittableRandom random) {
            this.eol = eol;
            this.quoteShare = quoteShare;
            this.random = random;
        }

        void write(String text) {
            this.bytes.writeBytes(text.getBytes(StandardCharsets.UTF_8));
        }

        long offset() {
            return this.bytes.size();
        }

        /**
         * A record; quoteEmpty: a lone empty field is quoted, or the line would be a
         * blank line (skipped).
         */
        void record(List<String> cells, boolean quoteEmpty) {
            for (int i = 0; i < cells.size(); i++) {
                if (i > 0) {
                    write(",");
                }
                field(cells.get(i), quoteEmpty && cells.size() == 1);
            }
            write(this.eol);
        }

        void field(String value, boolean quoteEmpty) {
            boolean must = value.indexOf(',') >= 0 || value.indexOf('"') >= 0 || value.indexOf('\n') >= 0
                    || value.indexOf('\r') >= 0 || (value.isEmpty() && quoteEmpty);
            if (must || (this.quoteShare > 0 && this.random.nextDouble() < this.quoteShare)) {
                write("\"" + value.replace("\"", "\"\"") + "\"");
            }
            else {
                write(value);
            }
        }

        byte[] toBytes() {
            return this.bytes.toByteArray();
        }

    }

    /**
     * Physical line (1-based) at a byte offset: LF, CR and CRLF each end a line, inside
     * quotes too.
     */
    static long lineAt(byte[] bytes, long offset) {
        long line = 1;
        for (int i = 0; i < offset; i++) {
            if (bytes[i] == '\n') {
                line++;
            }
            else if (bytes[i] == '\r') {
                if (i + 1 < bytes.length && bytes[i + 1] == '\n' && i + 1 < offset) {
                    continue; // counted at its LF
                }
                line++;
            }
        }
        return line;
    }

    /** A column generator: the values of one column, in row order. */
    interface Profile {

        List<String> column(Values values, int rows);

    }

    record NamedProfile(String name, String feature, Profile profile) {
    }

    /** The random values the files are made of. */
    static final class Values {

        private static final String[] UNICODE = { "\u00e9", "\u00f1", "\u00dc", "\u00f8", "\u00c5", "\u00df", "\u0130",
                "\u0131", "\u03a9", "\u0416", "\u5317", "\u4eac", "\u6771", "\u8a9e", "\ud55c", "\u0e01",
                "\ud83d\ude00", "\ud83c\udf89", "\ud83d\udc69\u200d\ud83d\udcbb", "e\u0301", "\ufb01", "\u00a0",
                "\ufffd", "\ue000", "\udbff\udfff", "\u00ff", "\u0100", "\u07ff", "\u0800", "\uffef" };

        private static final String[] PUNCTUATION = { " ", ",", "\"", ";", "'", "\\", "/", "#", "<", ">", "%", "&", "|",
                "{", "}", "-", "+", ".", "_", "=", "\"\"", ",\"", "*", "?", "!" };

        private static final String[] CONTROL = { "\t", "\u0001", "\u0007", "\u001b", "\u001f", "\u007f", "\u0085",
                "\r\n", "\n", "\r", "\u000b", "\f", "\u2028", "\ufeff" };

        private static final String[] INF = { "inf", "infinity" };

        private static final List<String> NA_VALUES = Oracle.NA.stream().sorted().toList();

        final SplittableRandom r;

        Values(SplittableRandom r) {
            this.r = r;
        }

        boolean chance(double p) {
            return this.r.nextDouble() < p;
        }

        int between(int from, int to) {
            return from + this.r.nextInt(to - from + 1);
        }

        <T> T pick(List<T> items) {
            return items.get(this.r.nextInt(items.size()));
        }

        String pick(String... items) {
            return items[this.r.nextInt(items.length)];
        }

        String na() {
            return pick(NA_VALUES);
        }

        String spellInt(BigInteger v) {
            int form = this.r.nextInt(20);
            if (form == 0 && v.signum() >= 0) {
                return "+" + v;
            }
            if (form == 1) {
                String digits = v.abs().toString();
                return (v.signum() < 0 ? "-" : this.chance(0.3) ? "+" : "") + "0".repeat(between(1, 3)) + digits;
            }
            if (form == 2 && v.signum() == 0) {
                return this.chance(0.5) ? "-0" : "+0";
            }
            return v.toString();
        }

        String smallInt() {
            return spellInt(BigInteger.valueOf(between(-1000, 1000)));
        }

        String int64() {
            long v = switch (this.r.nextInt(12)) {
                case 0 -> Long.MAX_VALUE;
                case 1 -> Long.MIN_VALUE;
                case 2 -> Long.MAX_VALUE - this.r.nextInt(3);
                case 3 -> Long.MIN_VALUE + this.r.nextInt(3);
                case 4 -> this.r.nextInt();
                default -> this.r.nextLong();
            };
            return spellInt(BigInteger.valueOf(v));
        }

        String uint64() {
            BigInteger v = switch (this.r.nextInt(6)) {
                case 0 -> Oracle.UINT64_MAX;
                case 1 -> Oracle.INT64_MAX.add(BigInteger.ONE);
                case 2 -> BigInteger.valueOf(this.r.nextLong() & Long.MAX_VALUE);
                default -> new BigInteger(Long.toUnsignedString(this.r.nextLong() | Long.MIN_VALUE));
            };
            return spellInt(v);
        }

        /** An integer beyond both int64 and uint64, of 20 to 40 digits. */
        String hugeInt() {
            StringBuilder b = new StringBuilder();
            b.append(between(1, 9));
            int digits = between(20, 40);
            for (int i = 1; i < digits; i++) {
                b.append(this.r.nextInt(10));
            }
            return (this.chance(0.4) ? "-" : "") + b;
        }

        /** An integer whose magnitude overflows a double: text. */
        String overflowInt() {
            return (this.chance(0.3) ? "-" : "") + "9".repeat(between(309, 420));
        }

        String spellDouble(double d) {
            String s;
            switch (this.r.nextInt(6)) {
                case 0 -> s = String.format(Locale.ROOT, "%.6e", d);
                case 1 -> s = String.format(Locale.ROOT, "%.17E", d);
                case 2 -> {
                    s = BigDecimal.valueOf(d).toPlainString();
                    if (s.length() > 60) {
                        s = Double.toString(d);
                    }
                    else if (s.indexOf('.') < 0) {
                        s = s + (this.chance(0.5) ? "." : ".0");
                    }
                }
                default -> s = Double.toString(d);
            }
            if (d > 0 && this.chance(0.1)) {
                s = "+" + s;
            }
            if (this.chance(0.1)) {
                s = s.toLowerCase(Locale.ROOT);
            }
            return s;
        }

        String plainFloat() {
            double d = this.r.nextGaussian() * Math.pow(10, between(-6, 8));
            return switch (this.r.nextInt(10)) {
                case 0 -> pick("5.", ".5", "+.5", "-.5e-3", "0.0", "-0.0", "1e0", "1E+05", "007.50", "-0");
                case 1 -> spellInt(BigInteger.valueOf(between(-99999, 99999)));
                default -> spellDouble(d);
            };
        }

        /**
         * 30 significant digits, a point somewhere, maybe an exponent; well inside the
         * double range.
         */
        String longDecimal() {
            StringBuilder b = new StringBuilder();
            b.append(between(1, 9));
            for (int i = 1; i < 30; i++) {
                b.append(this.r.nextInt(10));
            }
            int point = between(0, 30);
            String digits = point == 30 ? b + ".0"
                    : point == 0 ? "0." + b : b.substring(0, point) + "." + b.substring(point);
            int range = on("big-values") ? 270 : 60; // beyond 1e154 the squares overflow
            String exponent = this.chance(0.5) ? "" : (this.chance(0.5) ? "e" : "E") + between(-range, range);
            return (this.chance(0.3) ? "-" : "") + digits + exponent;
        }

        String extremeFloat() {
            return switch (this.r.nextInt(14)) {
                case 0 -> pick("1.7e308", "-1.7e308", "1.7E+308", "1.69999999999999999999e308", "-1.6e308");
                case 1 -> spellDouble((this.chance(0.5) ? 1 : -1) * (1 + this.r.nextDouble()) * 1e300);
                case 2 -> pick("1e200", "-1e200", "1E200", "-1.5e200");
                case 3 -> pick("4.9e-324", "-4.9e-324", "5e-324", "1e-310", "-1e-310", "2.2250738585072014E-308",
                        "2.225073858507201e-308", "1.0E-320");
                case 4 -> pick("-0.0", "0.0", "-0", "0e0", "-0E-5", "0.000");
                case 5 -> pick("1e-400", "-1e-400", "1e-330", "2e-324");
                case 6 -> pick("4.9e-324", "1e-310");
                case 7, 8 -> longDecimal();
                case 9 -> spellDouble(Double.MIN_NORMAL * between(1, 1000));
                case 10 -> spellDouble(Math.scalb(1.0, between(-1074, 1023)) * (this.chance(0.5) ? 1 : -1));
                default -> plainFloat();
            };
        }

        String inf(int sign) {
            String word = pick(INF);
            StringBuilder b = new StringBuilder();
            for (char c : word.toCharArray()) {
                b.append(this.chance(0.4) ? Character.toUpperCase(c) : c);
            }
            String prefix = sign < 0 ? "-" : this.chance(0.4) ? "+" : "";
            return prefix + b;
        }

        /**
         * A value that is text although it looks numeric; "1e400" and friends only with
         * feature overflow.
         */
        String numericLookingText() {
            List<String> items = new ArrayList<>(List.of("NAN", "Nan", "+nan", "nAn", "1.#INF", "1e", "1.5e", "0x10",
                    "1_000", "--1", "1e+", ".", "-", "+", "1,5", "\u221e", "\uff11", "e5", "1.2.3", "Infinity!",
                    "infinit", "N/a", "NONE", "none", "Null", "NULL ", " NA"));
            if (on("overflow")) {
                items.addAll(List.of("1e400", "-1e400", "1E309", "2e308", "1.8e308", "-9.9e999", "1e0400"));
                if (this.chance(0.2)) {
                    return overflowInt();
                }
            }
            String v = pick(items);
            return Oracle.ambiguous(v) ? "NAN" : v;
        }

        String shortText(int maxLength) {
            for (;;) {
                int n = between(1, maxLength);
                StringBuilder b = new StringBuilder();
                for (int i = 0; i < n; i++) {
                    int k = this.r.nextInt(100);
                    if (k < 55) {
                        b.append((char) (this.chance(0.5) ? 'a' + this.r.nextInt(26) : 'A' + this.r.nextInt(26)));
                    }
                    else if (k < 65) {
                        b.append((char) ('0' + this.r.nextInt(10)));
                    }
                    else if (k < 85) {
                        b.append(pick(UNICODE));
                    }
                    else {
                        b.append(pick(PUNCTUATION));
                    }
                }
                String s = b.toString();
                if (!Oracle.ambiguous(s)) {
                    return s;
                }
            }
        }

        /** Text with control bytes, line ends, tabs and (feature nul) NUL bytes. */
        String wildText(int maxLength) {
            for (;;) {
                int n = between(1, maxLength);
                StringBuilder b = new StringBuilder();
                for (int i = 0; i < n; i++) {
                    int k = this.r.nextInt(100);
                    if (k < 30) {
                        b.append((char) ('a' + this.r.nextInt(26)));
                    }
                    else if (k < 50) {
                        b.append(pick(UNICODE));
                    }
                    else if (k < 65) {
                        b.append(pick(PUNCTUATION));
                    }
                    else if (k < 72 && on("nul")) {
                        b.append('\u0000');
                    }
                    else if (on("control")) {
                        b.append(pick(CONTROL));
                    }
                    else {
                        b.append(pick("\t", "\n", "\r\n", " "));
                    }
                }
                String s = b.toString();
                if (!Oracle.ambiguous(s) && !(s.charAt(0) == '\ufeff')) {
                    return s;
                }
            }
        }

        /**
         * A long text of about n characters: mostly ASCII letters, some multi-byte ones.
         */
        String longText(int n, String prefix) {
            StringBuilder b = new StringBuilder(n + prefix.length() + 8).append(prefix);
            while (b.length() < n) {
                if (this.r.nextInt(50) == 0) {
                    b.append(pick(UNICODE));
                }
                else if (this.r.nextInt(200) == 0) {
                    b.append(pick(",", "\"", "\n", "\r\n", " "));
                }
                else {
                    b.append((char) ('b' + this.r.nextInt(24)));
                }
            }
            return b.toString();
        }

        /**
         * A column name: mostly plain, sometimes with delimiters, quotes, line ends,
         * non-ASCII.
         */
        String name(String stem) {
            return switch (this.r.nextInt(10)) {
                case 0 -> stem + " " + shortText(6);
                case 1 -> stem + ",\"" + pick(UNICODE) + "\"";
                case 2 -> stem + pick("\n", "\r\n", "\t", ";") + "x";
                default -> stem;
            };
        }

    }

    /** Builds the files of one seed. */
    static final class Generator {

        final SplittableRandom random;

        final Values v;

        final boolean big;

        final String splitSize;

        final String commitRows;

        private final Set<String> paths = new HashSet<>();

        private final List<NamedProfile> numericProfiles = new ArrayList<>();

        private final List<NamedProfile> textProfiles = new ArrayList<>();

        Generator(long seed, boolean big) {
            this.random = new SplittableRandom(seed);
            this.v = new Values(this.random);
            this.big = big;
            this.splitSize = on("split") ? this.v.pick("4KB", "16KB", "16KB", "32KB", "64KB", "64KB", "64MB") : "64MB";
            this.commitRows = this.v.pick("7", "64", "500", "50000");
            profiles();
        }

        private void numeric(String name, String feature, Profile profile) {
            if (feature == null || on(feature)) {
                this.numericProfiles.add(new NamedProfile(name, feature, profile));
            }
        }

        private void text(String name, String feature, Profile profile) {
            if (feature == null || on(feature)) {
                this.textProfiles.add(new NamedProfile(name, feature, profile));
            }
        }

        /** n values of s, with the share naShare of them NA tokens. */
        private static List<String> fill(Values v, int rows, double naShare, Supplier<String> s) {
            List<String> column = new ArrayList<>(rows);
            for (int i = 0; i < rows; i++) {
                column.add(naShare > 0 && v.chance(naShare) ? v.na() : s.get());
            }
            return column;
        }

        /** One value of the column replaced at a random row. */
        private static List<String> plant(Values v, List<String> column, String value) {
            if (!column.isEmpty()) {
                column.set(v.r.nextInt(column.size()), value);
            }
            return column;
        }

        private void profiles() {
            numeric("int", null, (v, n) -> fill(v, n, 0, () -> v.chance(0.8) ? v.smallInt() : v.int64()));
            numeric("int-na", null, (v, n) -> fill(v, n, 0.1, v::smallInt));
            numeric("int64", null, (v, n) -> fill(v, n, 0, v::int64));
            numeric("uint64", "huge-ints", (v, n) -> fill(v, n, 0, v::uint64));
            numeric("uint64-negative", "huge-ints",
                    (v, n) -> plant(v, fill(v, n, 0, v::uint64), "-" + v.between(1, 99)));
            numeric("huge-int", "huge-ints", (v, n) -> fill(v, n, 0, () -> v.chance(0.5) ? v.hugeInt() : v.int64()));
            numeric("huge-int-float", "huge-ints", (v, n) -> plant(v,
                    fill(v, n, 0.05, () -> v.chance(0.5) ? v.hugeInt() : v.uint64()), v.plainFloat()));
            numeric("float", null, (v, n) -> fill(v, n, 0.05, v::plainFloat));
            numeric("float-extreme", "big-values", (v, n) -> fill(v, n, 0.05, v::extremeFloat));
            numeric("long-decimal", null, (v, n) -> fill(v, n, 0.02, v::longDecimal));
            numeric("subnormal", "big-values", (v, n) -> fill(v, n, 0.05, () -> v.pick("4.9e-324", "-4.9e-324",
                    "1e-310", "-1e-310", "1e-400", "0", "-0.0", "1.5e-315", "2.2250738585072014E-308", "3e-320")));
            // the exact sum overflows, the mean does not
            numeric("sum-overflow", "big-values", (v, n) -> fill(v, n, 0.02, () -> v.chance(0.9)
                    ? v.pick("1.7e308", "1.6e308", "1.7E308", "+1.7e308", "1.5e308") : v.plainFloat()));
            numeric("sum-overflow-negative", "big-values",
                    (v, n) -> fill(v, n, 0, () -> v.chance(0.95) ? v.pick("-1.7e308", "-1.65e308") : v.smallInt()));
            // squares overflow: the variance is beyond the double range, or near it
            numeric("square-overflow", "big-values", (v, n) -> fill(v, n, 0.02,
                    () -> v.pick("1e200", "-1e200", "1e300", "-1.2e300", "5e154", "-5e154", "1.3e154")));
            numeric("plus-minus-1e154", "big-values",
                    (v, n) -> fill(v, n, 0, () -> v.pick("1.2e154", "-1.2e154", "1.1e154")));
            numeric("inf-positive", "inf",
                    (v, n) -> plant(v, fill(v, n, 0.05, () -> v.chance(0.1) ? v.inf(1) : v.plainFloat()), v.inf(1)));
            numeric("inf-negative", "inf",
                    (v, n) -> plant(v, fill(v, n, 0.05, () -> v.chance(0.1) ? v.inf(-1) : v.plainFloat()), v.inf(-1)));
            numeric("inf-both", "inf",
                    (v, n) -> plant(v,
                            plant(v, fill(v, n, 0.05,
                                    () -> v.chance(0.1) ? v.inf(v.chance(0.5) ? 1 : -1) : v.plainFloat()), v.inf(1)),
                            v.inf(-1)));
            numeric("cancel", "cancel", (v, n) -> {
                double base = Double.parseDouble(v.pick("1e6", "1e9", "1e12", "-1e12", "1e15"));
                return fill(v, n, 0, () -> v.spellDouble(base + v.between(-50, 50) / 4.0));
            });
            // few distinct values: the quartiles are exact
            numeric("pool", null, (v, n) -> {
                List<String> pool = new ArrayList<>();
                int size = v.between(1, 30);
                for (int i = 0; i < size; i++) {
                    int k = v.r.nextInt(10);
                    pool.add(k < 4 ? v.plainFloat() : k < 6 ? v.smallInt() : k < 8 && on("big-values")
                            ? v.extremeFloat() : k == 8 && on("inf") ? v.inf(v.chance(0.5) ? 1 : -1) : v.plainFloat());
                }
                return fill(v, n, 0.03, () -> v.pick(pool));
            });
            numeric("pool-int", null, (v, n) -> {
                List<String> pool = new ArrayList<>();
                int size = v.between(1, 12);
                for (int i = 0; i < size; i++) {
                    pool.add(v.chance(0.5) ? v.smallInt() : v.int64());
                }
                return fill(v, n, 0, () -> v.pick(pool));
            });
            numeric("number-then-text", null,
                    (v, n) -> plant(v, fill(v, n, 0.02, v::plainFloat), v.numericLookingText()));
            numeric("all-na", null, (v, n) -> fill(v, n, 1, () -> ""));
            text("text", null, (v, n) -> fill(v, n, 0.05, () -> v.shortText(12)));
            text("text-wild", null, (v, n) -> fill(v, n, 0.05, () -> v.wildText(16)));
            text("text-numbers", null, (v, n) -> fill(v, n, 0.05,
                    () -> v.chance(0.3) ? v.shortText(5) : v.chance(0.5) ? v.plainFloat() : v.numericLookingText()));
            // longer than the tables' 4000 characters, when long fields are on
            text("text-long", null, (v, n) -> fill(v, n, 0.02, () -> v.chance(0.01)
                    ? v.longText(on("long-field") ? v.between(1000, 60_000) : v.between(100, 3000), v.shortText(3))
                    : v.shortText(20)));
            text("near-na", null, (v, n) -> fill(v, n, 0.3, v::numericLookingText));
        }

        /** The files of this seed, with their content written. */
        List<FileSpec> generate() {
            List<FileSpec> files = new ArrayList<>();
            // rows of the bigger files: fewer with the smallest split size, which makes a
            // partition of every 4 KB
            double scale = (this.big ? 5 : 1) * (this.splitSize.equals("4KB") ? 0.4 : 1);
            // numbers, big enough to be split into ranges
            files.add(table("numbers", (int) (this.v.between(1000, 2000) * scale), this.v.between(5, 9), 0.95));
            files.add(table("numbers", this.v.between(1, 400), this.v.between(3, 8), 0.9));
            files.add(table("mixed", (int) (this.v.between(300, 1000) * scale), this.v.between(4, 8), 0.6));
            files.add(table("texts", (int) (this.v.between(150, 500) * scale), this.v.between(3, 6), 0.1));
            for (int i = this.v.between(0, 3); i > 0; i--) {
                files.add(table("extra", (int) Math.max(1, this.v.between(1, 600) * scale), this.v.between(1, 7),
                        this.v.r.nextDouble()));
            }
            files.add(oneColumn());
            if (on("long-field")) {
                files.add(longField(this.big ? 4 << 20 : 1 << 20));
            }
            if (on("long-header")) {
                files.add(longHeader());
            }
            if (on("dup-names")) {
                files.add(duplicateNames());
            }
            // the wide file costs the engine several seconds (20,000 columns in each of
            // its ranges): one seed in three
            if (on("wide") && (this.big || this.v.chance(0.35))) {
                files.add(wide());
            }
            if (on("empty")) {
                files.add(headerOnly());
                files.add(empty());
            }
            if (on("unclosed")) {
                files.add(unclosed(false));
                if (this.v.chance(0.5)) {
                    files.add(unclosed(true));
                }
            }
            if (on("bad-rows")) {
                files.add(badRows());
            }
            return files;
        }

        // ----- the kinds of file

        /** A table of columns of random profiles, numericShare of them numeric. */
        private FileSpec table(String kind, int rows, int columns, double numericShare) {
            List<NamedProfile> chosen = new ArrayList<>();
            for (int c = 0; c < columns; c++) {
                chosen.add(this.v.pick(this.v.chance(numericShare) ? this.numericProfiles : this.textProfiles));
            }
            return write(kind, chosen, rows,
                    Structure.random(this.v, on("bad-rows") ? 0.003 : 0, on("bad-rows") && columns > 1 ? 0.003 : 0));
        }

        private FileSpec oneColumn() {
            NamedProfile profile = this.v.pick(this.v.chance(0.5) ? this.numericProfiles : this.textProfiles);
            Structure s = Structure.random(this.v, 0, 0);
            s.blankShare = 0.05; // blank lines between the values: skipped
            return write("one-column", List.of(profile), this.v.between(1, 600), s);
        }

        /** A 1 MB (4 MB) value as its column's minimum or maximum. */
        private FileSpec longField(int size) {
            boolean min = this.v.chance(0.5);
            NamedProfile plain = new NamedProfile("text-letters", null,
                    (v, n) -> fill(v, n, 0.05, () -> (char) ('b' + v.r.nextInt(24)) + v.shortText(10)));
            String prefix = min ? "a" : this.v.pick("\udbff\udfff", "\u00ff", "\u5317", "~");
            String longValue = this.v.longText(size, prefix + (this.v.chance(0.5) && on("nul") ? "\u0000" : ""));
            NamedProfile withLong = new NamedProfile(min ? "long-field-min" : "long-field-max", "long-field",
                    (v, n) -> plant(v, plain.profile.column(v, n), longValue));
            List<NamedProfile> profiles = new ArrayList<>(List.of(this.v.pick(this.numericProfiles), withLong, plain));
            Collections.shuffle(profiles, new java.util.Random(this.random.nextLong()));
            return write("long-field", profiles, this.v.between(5, 80), Structure.random(this.v, 0, 0));
        }

        private FileSpec longHeader() {
            List<NamedProfile> profiles = List.of(this.v.pick(this.numericProfiles), this.v.pick(this.textProfiles));
            FileSpec spec = new FileSpec(path("long-header"), "long-header");
            List<String> raw = new ArrayList<>(List.of("h" + this.v.longText(70_000, ""), "short"));
            if (this.v.chance(0.5)) {
                Collections.reverse(raw);
            }
            return write(spec, raw, profiles, this.v.between(1, 50), Structure.random(this.v, 0, 0));
        }

        private FileSpec duplicateNames() {
            List<List<String>> headers = List.of(List.of("a", "a", "a.1", ""), List.of("a", "a.1", "a"),
                    List.of("", "Unnamed: 0", "x"), List.of("b", "", "b", "", "b.1", "Unnamed: 1"),
                    List.of("x", "x", "x", "x.1", "x.2", "x.1"), List.of("", "", ""), List.of("n", "n", "", "n.1.1"));
            List<String> raw = new ArrayList<>(this.v.pick(headers));
            List<NamedProfile> profiles = new ArrayList<>();
            for (int i = 0; i < raw.size(); i++) {
                profiles.add(this.v.pick(this.numericProfiles));
            }
            FileSpec spec = new FileSpec(path("duplicate-names"), "duplicate names " + raw);
            return write(spec, raw, profiles, this.v.between(1, 40), Structure.random(this.v, 0, 0));
        }

        /** 20,000 columns and a few rows. */
        private FileSpec wide() {
            int columns = 20_000;
            List<String> raw = new ArrayList<>(columns);
            List<NamedProfile> profiles = new ArrayList<>(columns);
            NamedProfile ints = new NamedProfile("int", null, (v, n) -> fill(v, n, 0.1, v::smallInt));
            NamedProfile floats = new NamedProfile("float", null, (v, n) -> fill(v, n, 0.1, v::plainFloat));
            NamedProfile texts = new NamedProfile("text", null, (v, n) -> fill(v, n, 0.1, () -> v.shortText(4)));
            for (int c = 0; c < columns; c++) {
                int k = this.random.nextInt(100);
                raw.add(k == 0 && on("dup-names") ? "" : k == 1 && on("dup-names") ? "w" + (c / 2) : "w" + c);
                profiles.add(k < 40 ? ints : k < 70 ? floats : texts);
            }
            FileSpec spec = new FileSpec(path("wide"), "wide");
            return write(spec, raw, profiles, this.v.between(1, 3), Structure.random(this.v, 0, 0));
        }

        private FileSpec headerOnly() {
            FileSpec spec = new FileSpec(path("header-only"), "header only");
            int columns = this.v.between(1, 5);
            List<String> raw = new ArrayList<>();
            for (int c = 0; c < columns; c++) {
                raw.add(this.v.name("h" + c));
            }
            return write(spec, raw, List.of(), 0, Structure.random(this.v, 0, 0));
        }

        /** A file with no columns: 0 bytes, a BOM alone, or blank lines. */
        private FileSpec empty() {
            FileSpec spec = new FileSpec(path("empty"), "no columns");
            spec.bytes = switch (this.random.nextInt(4)) {
                case 0 -> new byte[] { (byte) 0xEF, (byte) 0xBB, (byte) 0xBF };
                case 1 -> "\n\n".getBytes(StandardCharsets.US_ASCII);
                case 2 -> "\r\n".getBytes(StandardCharsets.US_ASCII);
                default -> new byte[0];
            };
            spec.style = spec.bytes.length + " bytes";
            spec.fails = true;
            return spec;
        }

        /** A file that ends inside an open quote: in the data, or in the header. */
        private FileSpec unclosed(boolean inHeader) {
            FileSpec spec = new FileSpec(path(inHeader ? "unclosed-header" : "unclosed"),
                    inHeader ? "open quote in the header" : "open quote at the end");
            List<NamedProfile> profiles = new ArrayList<>();
            int columns = this.v.between(1, 5);
            for (int c = 0; c < columns; c++) {
                profiles.add(this.v.pick(this.v.chance(0.5) ? this.numericProfiles : this.textProfiles));
            }
            Structure s = Structure.random(this.v, 0, 0);
            int rows = inHeader ? 0 : this.v.between(0, 400);
            s.unclosed = true;
            s.unclosedInHeader = inHeader;
            write(spec, names(profiles), profiles, rows, s);
            spec.fails = true;
            return spec;
        }

        /** Rows with too many fields (bad rows) and too few (nulls), often. */
        private FileSpec badRows() {
            List<NamedProfile> profiles = new ArrayList<>();
            int columns = this.v.between(2, 6);
            for (int c = 0; c < columns; c++) {
                profiles.add(this.v.pick(this.v.chance(0.7) ? this.numericProfiles : this.textProfiles));
            }
            Structure s = Structure.random(this.v, 0.05, 0.05);
            return write("bad-rows", profiles, this.v.between(20, 800) * (this.big ? 4 : 1), s);
        }

        // ----- writing

        private List<String> names(List<NamedProfile> profiles) {
            List<String> names = new ArrayList<>();
            for (int c = 0; c < profiles.size(); c++) {
                names.add(this.v.name(profiles.get(c).name() + "_" + c));
            }
            return names;
        }

        private FileSpec write(String kind, List<NamedProfile> profiles, int rows, Structure s) {
            FileSpec spec = new FileSpec(path(kind), kind);
            List<String> raw = names(profiles);
            if (profiles.size() == 1) {
                // a single empty name would be a blank line
                raw.set(0, profiles.get(0).name() + "_0");
            }
            return write(spec, raw, profiles, rows, s);
        }

        /**
         * Writes the header, the rows (with blank lines, bad rows and short rows as s
         * says) and the tail.
         */
        private FileSpec write(FileSpec spec, List<String> raw, List<NamedProfile> profiles, int rows, Structure s) {
            int columns = raw.size();
            spec.profiles = new ArrayList<>();
            spec.cells = new ArrayList<>();
            for (int c = 0; c < columns; c++) {
                if (rows == 0 || c >= profiles.size()) {
                    spec.profiles.add("-");
                    spec.cells.add(new ArrayList<>());
                    continue;
                }
                NamedProfile profile = profiles.get(c);
                spec.profiles.add(profile.name());
                spec.cells.add(new ArrayList<>(profile.profile().column(this.v, rows)));
            }
            spec.names = Oracle.pandasNames(raw);
            spec.style = s.describe();
            CsvOut out = new CsvOut(s.eol, s.quoteShare, this.random);
            if (s.bom) {
                out.write("\ufeff");
            }
            long quoteAt = -1;
            if (s.unclosedInHeader) {
                // the header's last name opens a quote that never closes
                for (int c = 0; c < columns - 1; c++) {
                    out.field(raw.get(c), false);
                    out.write(",");
                }
                quoteAt = out.offset();
                out.write("\"" + raw.get(columns - 1).replace("\"", "\"\"") + s.eol + "1,2" + s.eol);
            }
            else {
                out.record(raw, true);
            }
            long good = 0;
            boolean lastWasRecord = true;
            for (int i = 0; i < rows && !s.unclosedInHeader; i++) {
                if (s.blankShare > 0 && this.v.chance(s.blankShare)) {
                    out.write(s.eol.repeat(this.v.between(1, 2)));
                }
                // a bad row never comes first: pandas would take a longer first row for
                // an index column
                while (good > 0 && s.longRowShare > 0 && this.v.chance(s.longRowShare)) {
                    spec.badLines.add(lineAt(out.bytes.toByteArray(), out.offset()));
                    List<String> cells = new ArrayList<>();
                    for (int c = 0; c < columns + this.v.between(1, 3); c++) {
                        cells.add(
                                this.v.chance(0.2) ? "" : this.v.chance(0.5) ? this.v.smallInt() : this.v.shortText(5));
                    }
                    out.record(cells, false);
                }
                List<String> row = new ArrayList<>(columns);
                for (int c = 0; c < columns; c++) {
                    row.add(spec.cells.get(c).get(i));
                }
                if (columns > 1 && s.shortRowShare > 0 && this.v.chance(s.shortRowShare)) {
                    int keep = this.v.between(1, columns - 1);
                    for (int c = keep; c < columns; c++) {
                        spec.cells.get(c).set(i, null); // missing: null
                    }
                    row = row.subList(0, keep);
                    // a lone empty field would be a blank line: quoted, it is one null
                    out.record(row, true);
                }
                else {
                    out.record(row, true);
                }
                good++;
            }
            if (s.unclosed && !s.unclosedInHeader) {
                // a last row whose field opens a quote that never closes: only doubled
                // quotes inside
                int before = this.v.between(0, columns - 1);
                for (int c = 0; c < before; c++) {
                    out.field(this.v.smallInt(), false);
                    out.write(",");
                }
                quoteAt = out.offset();
                String inside = this.v.shortText(30) + (this.v.chance(0.5) ? s.eol + this.v.shortText(10) : "")
                        + (this.v.chance(0.3) ? "," + s.eol + "x,y" : "");
                out.write("\"" + inside.replace("\"", "\"\"") + (this.v.chance(0.5) ? s.eol : ""));
                lastWasRecord = false;
            }
            if (s.blankShare > 0 && this.v.chance(0.3) && !s.unclosed) {
                out.write(s.eol);
            }
            byte[] bytes = out.toBytes();
            if (!s.finalNewline && lastWasRecord && !s.unclosed) {
                byte[] eol = s.eol.getBytes(StandardCharsets.US_ASCII);
                int n = bytes.length;
                if (n >= eol.length && Arrays.equals(bytes, n - eol.length, n, eol, 0, eol.length)) {
                    bytes = Arrays.copyOf(bytes, n - eol.length);
                }
            }
            spec.bytes = bytes;
            spec.rows = good;
            if (s.unclosed) {
                spec.fails = true;
                spec.errorLine = lineAt(bytes, quoteAt);
            }
            return spec;
        }

        /**
         * A fresh path for a file of this kind: odd characters, sometimes 12 folders
         * deep.
         */
        private String path(String kind) {
            for (;;) {
                StringBuilder b = new StringBuilder();
                boolean odd = on("odd-paths");
                int depth = odd && this.v.chance(0.25) ? 12 : this.v.chance(0.3) ? this.v.between(1, 2) : 0;
                for (int i = 0; i < depth; i++) {
                    b.append(odd ? this.v.pick("d", "sub dir", "a,b", "q\"uote", "it's", "semi;colon", "\u00fcn\u00ef",
                            "\u6570\u636e", "x y;z", "UPPER", "l" + i) : "d" + i)
                        .append('/');
                }
                b.append(kind);
                if (odd) {
                    b.append(this.v.pick("", " ", ",", "\"", ";", "'", " - ", "\u00e9", "\u540d\u524d", " (1)",
                            "\ud83d\ude00", "#", "%20", "&"));
                }
                b.append('-').append(this.paths.size());
                b.append(odd && this.v.chance(0.1) ? ".CSV" : ".csv");
                String path = b.toString();
                if (this.paths.add(path)) {
                    return path;
                }
            }
        }

    }

    /**
     * How a file is laid out: line ends, BOM, quoting, blank lines, final newline, bad
     * rows.
     */
    static final class Structure {

        String eol;

        boolean bom;

        double quoteShare;

        double blankShare;

        boolean finalNewline;

        double longRowShare;

        double shortRowShare;

        boolean unclosed;

        boolean unclosedInHeader;

        static Structure random(Values v, double longRows, double shortRows) {
            Structure s = new Structure();
            int e = v.r.nextInt(10);
            s.eol = e < 6 ? "\n" : e < 9 ? "\r\n" : "\r";
            s.bom = v.chance(0.2);
            s.quoteShare = v.pick(List.of(0.0, 0.0, 0.05, 0.5, 1.0));
            s.blankShare = v.chance(0.3) ? 0.01 : 0;
            s.finalNewline = v.chance(0.75);
            s.longRowShare = longRows;
            s.shortRowShare = shortRows;
            return s;
        }

        String describe() {
            return (this.eol.equals("\n") ? "LF" : this.eol.equals("\r\n") ? "CRLF" : "CR") + (this.bom ? ", BOM" : "")
                    + (this.quoteShare > 0 ? ", quoted " + this.quoteShare : "")
                    + (this.blankShare > 0 ? ", blank lines" : "") + (this.finalNewline ? "" : ", no final newline")
                    + (this.longRowShare > 0 ? ", long rows" : "") + (this.shortRowShare > 0 ? ", short rows" : "");
        }

    }

}
