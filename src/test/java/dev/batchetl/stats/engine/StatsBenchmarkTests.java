package dev.batchetl.stats.engine;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import dev.batchetl.BatchEtlApplication;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * The statistics benchmark against DuckDB, opt-in (see README, "Benchmarks"):
 * {@code ./mvnw -o test -Dtest=StatsBenchmarkTests -Dstats.benchmark=true}.
 *
 * <p>
 * Generates (once, under {@code target/stats-benchmark/}) 16 files of 250,000 rows (about
 * 444 MB) and one file of about 1 GB, then for each set measures, in the same run: the
 * statistics engine as the step runs it (one partition per file or 64 MB range, 2 at a
 * time, a checkpoint every 50,000 rows); the whole application
 * ({@code batch-etl run dir=...}, embedded database, JVM start included,
 * {@code -Xmx256m}), plainly and with a class data sharing archive of a training run; and
 * DuckDB (JDBC, in-process, 2 threads) computing count, avg, min and max of every column
 * of every file. Two more sets of 256 MB, engine and DuckDB only, have other shapes
 * ({@link BenchmarkData#generateMixed}): long decimals, epoch milliseconds, date-times,
 * booleans, a sparse and a hex column; once as is and once with every field quoted and
 * CRLF line ends. The engine and DuckDB take three turns each, alternately, and their
 * medians are compared. {@code -Dstats.benchmark.scale=0.1} makes every set ten times
 * smaller.
 */
@Tag("benchmark")
@EnabledIfSystemProperty(named = "stats.benchmark", matches = "true")
class StatsBenchmarkTests {

    private static final int THREADS = 2;

    /** Turns of the engine and DuckDB per set. */
    private static final int TURNS = 3;

    record Measure(String what, double seconds, long bytes, long rows, long peakBytes) {

        String line() {
            return String.format("  %-44s %7.2f s %8.0f MB/s %10.0f rows/s  peak %s", what, seconds,
                    bytes / 1e6 / seconds, rows / seconds, peakBytes < 0 ? "n/a" : (peakBytes >> 20) + " MB");
        }
    }

    @Test
    void againstDuckDb() throws Exception {
        double scale = Double.parseDouble(System.getProperty("stats.benchmark.scale", "1"));
        Path base = Path.of("target", "stats-benchmark").toAbsolutePath();
        Path many = base.resolve("many-" + scale);
        Path one = base.resolve("one-" + scale);
        Files.createDirectories(many);
        Files.createDirectories(one);
        long rowsPerFile = (long) (250_000 * scale);
        for (int i = 1; i <= 16; i++) {
            Path f = many.resolve(String.format("part-%02d.csv", i));
            if (!Files.exists(f)) {
                BenchmarkData.generate(f, i, rowsPerFile, Long.MAX_VALUE);
            }
        }
        Path big = one.resolve("big.csv");
        if (!Files.exists(big)) {
            BenchmarkData.generate(big, 99, Long.MAX_VALUE, (long) ((1L << 30) * scale));
        }
        // two more shapes, engine and DuckDB only: long decimals, epoch milliseconds,
        // date-times, booleans, sparse
        // and hex columns; once as is, once with every field quoted and CRLF line ends
        Path mixed = base.resolve("mixed-" + scale);
        Path quoted = base.resolve("quoted-" + scale);
        for (Path dir : List.of(mixed, quoted)) {
            Files.createDirectories(dir);
            Path f = dir.resolve("data.csv");
            if (!Files.exists(f)) {
                BenchmarkData.generateMixed(f, 7, dir == quoted, (long) ((256L << 20) * scale));
            }
        }
        Path classData = classDataArchive(base);
        StringBuilder report = new StringBuilder();
        for (Path set : List.of(many, one, mixed, quoted)) {
            boolean main = set == many || set == one;
            String select = main
                    ? selectOf(List.of("id", "f1", "f2", "f3", "f4", "f5", "f6", "f7", "f8"),
                            List.of("day", "code", "note"))
                    : selectOf(List.of("id", "ts", "amount", "price", "qty", "sparse"),
                            List.of("created", "name", "city", "flag", "hex"));
            List<Path> files = csvFiles(set);
            long bytes = 0;
            for (Path f : files) {
                bytes += Files.size(f);
            }
            // warm-up of the engine and DuckDB on the first file; then they take turns,
            // and the medians count
            engine(files.subList(0, 1));
            duckDb(files.subList(0, 1), select);
            List<Measure> engines = new ArrayList<>();
            List<Measure> ducks = new ArrayList<>();
            StringBuilder turns = new StringBuilder();
            for (int turn = 0; turn < TURNS; turn++) {
                engines.add(engine(files));
                ducks.add(duckDb(files, select));
                turns.append(String.format(" %.2f", ducks.get(turn).seconds() / engines.get(turn).seconds()));
            }
            Measure engine = median(engines);
            Measure duck = median(ducks);
            String head = String.format("%s: %d file(s), %.0f MB, %d rows", set.getFileName(), files.size(),
                    bytes / 1e6, engine.rows());
            report.append(head).append('\n').append(engine.line()).append('\n').append(duck.line()).append('\n');
            if (main) {
                Measure process = wholeProcess(set, bytes, engine.rows(), null);
                Measure shared = wholeProcess(set, bytes, engine.rows(), classData);
                report.append(process.line()).append('\n').append(shared.line()).append('\n');
                report.append(String.format("  ratio whole process / DuckDB: %.2f, with CDS %.2f%n",
                        duck.seconds() / process.seconds(), duck.seconds() / shared.seconds()));
            }
            report.append(String.format("  ratio engine / DuckDB: %.2f (medians of %d turns; each turn:%s)%n",
                    duck.seconds() / engine.seconds(), TURNS, turns));
        }
        System.out.println("\n=== statistics benchmark (" + Runtime.getRuntime().availableProcessors() + " cores, "
                + THREADS + " threads) ===\n" + report);
    }

    /**
     * The measure of median time (the first of the two middle ones for an even count).
     */
    private static Measure median(List<Measure> measures) {
        List<Measure> sorted = new ArrayList<>(measures);
        sorted.sort(java.util.Comparator.comparingDouble(Measure::seconds));
        Measure m = sorted.get((sorted.size() - 1) / 2);
        long peak = measures.stream().mapToLong(Measure::peakBytes).max().orElse(-1);
        return new Measure(m.what() + ", median", m.seconds(), m.bytes(), m.rows(), peak);
    }

    private static List<Path> csvFiles(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.toString().endsWith(".csv")).sorted().toList();
        }
    }

    /**
     * The work of the stats step: partitions of at most 64 MB (a multiple of THREADS of
     * them for a split file), THREADS at a time, checkpoint every 50,000 rows.
     */
    private static Measure engine(List<Path> files) throws Exception {
        CsvOptions options = CsvOptions.defaults();
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            pool.resetPeakUsage();
        }
        System.gc();
        long t0 = System.nanoTime();
        ExecutorService executor = Executors.newFixedThreadPool(THREADS);
        List<List<Future<FileAccumulator>>> parts = new ArrayList<>();
        List<CsvHeader> headers = new ArrayList<>();
        long bytes = 0;
        for (Path file : files) {
            bytes += Files.size(file);
            CsvHeader header = CsvHeader.read(file, options);
            headers.add(header);
            long size = Files.size(file);
            // as the step's partitioner cuts: ranges of at most 64 MB, a multiple of
            // THREADS of them, lines not counted
            List<ByteRange> ranges = size > (64L << 20)
                    ? CsvSplitter.split(file, options, CsvSplitter.balancedSplitSize(size, 64L << 20, THREADS), false)
                    : List.of(new ByteRange(header.dataStart(), Long.MAX_VALUE, header.dataStartLine()));
            List<Future<FileAccumulator>> fileParts = new ArrayList<>();
            for (ByteRange range : ranges) {
                fileParts.add(executor.submit(() -> {
                    FileAccumulator acc = new FileAccumulator(header.names());
                    try (CsvRangeReader reader = CsvRangeReader.open(file, options, header.names().size(),
                            new ByteRange(range.start(), range.end(), range.firstLine()))) {
                        while (reader.read(acc, 50_000, null) > 0) {
                            acc.toBytes(); // the checkpoint of each chunk
                        }
                    }
                    return acc;
                }));
            }
            parts.add(fileParts);
        }
        long rows = 0;
        for (int i = 0; i < files.size(); i++) {
            FileAccumulator total = new FileAccumulator(headers.get(i).names());
            for (Future<FileAccumulator> part : parts.get(i)) {
                total.merge(part.get());
            }
            rows += total.result().rows();
        }
        executor.shutdown();
        double seconds = (System.nanoTime() - t0) / 1e9;
        long peak = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP) {
                peak += pool.getPeakUsage().getUsed();
            }
        }
        return new Measure("engine, in-process (the stats step's work)", seconds, bytes, rows, peak);
    }

    /**
     * The application's class path, of jars only (a class data sharing archive cannot
     * cover class folders).
     */
    private static String appClassPath;

    private static String applicationClassPath(Path base) throws IOException {
        Path classes = Path.of(BatchEtlApplication.class.getProtectionDomain().getCodeSource().getLocation().getPath());
        Path jar = base.resolve("batch-etl-classes.jar");
        try (var out = new java.util.jar.JarOutputStream(Files.newOutputStream(jar));
                Stream<Path> files = Files.walk(classes)) {
            for (Path file : files.filter(f -> !f.equals(classes)).sorted().toList()) {
                String name = classes.relativize(file).toString().replace('\\', '/');
                // folder entries too: Spring's component scan lists packages through them
                out.putNextEntry(new java.util.jar.JarEntry(Files.isDirectory(file) ? name + "/" : name));
                if (Files.isRegularFile(file)) {
                    Files.copy(file, out);
                }
                out.closeEntry();
            }
        }
        StringBuilder path = new StringBuilder(jar.toString());
        for (String entry : System.getProperty("java.class.path").split(java.io.File.pathSeparator)) {
            if (entry.endsWith(".jar")) {
                path.append(java.io.File.pathSeparator).append(entry);
            }
        }
        return path.toString();
    }

    /**
     * A class data sharing archive of the application's classes (README, "Faster start"):
     * written by a training run over an empty folder, as a deployment would do once per
     * build and JDK.
     */
    private static Path classDataArchive(Path base) throws Exception {
        appClassPath = applicationClassPath(base);
        Path archive = base.resolve("batch-etl.jsa");
        Files.deleteIfExists(archive);
        Path work = Files.createTempDirectory("stats-benchmark-cds");
        Path empty = Files.createDirectories(work.resolve("empty"));
        Process training = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:ArchiveClassesAtExit=" + archive, "-cp", appClassPath, BatchEtlApplication.class.getName(), "run",
                "dir=" + empty, "output=" + work.resolve("results.csv"), "run=training")
            .directory(work.toFile())
            .redirectErrorStream(true)
            .redirectOutput(work.resolve("training.log").toFile())
            .start();
        if (training.waitFor() != 0 || !Files.exists(archive)) {
            throw new AssertionError("training run failed:\n" + Files.readString(work.resolve("training.log")));
        }
        return archive;
    }

    /**
     * batch-etl run dir=SET in a JVM of its own with -Xmx256m, embedded database: JVM
     * start to exit; with the class data sharing archive when one is given.
     */
    private static Measure wholeProcess(Path set, long bytes, long rows, Path classData) throws Exception {
        Path work = Files.createTempDirectory("stats-benchmark-run");
        List<String> command = new ArrayList<>(
                List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx256m"));
        if (classData != null) {
            command.add("-XX:SharedArchiveFile=" + classData);
        }
        command.addAll(List.of("-cp", appClassPath, BatchEtlApplication.class.getName(), "run", "dir=" + set,
                "output=" + work.resolve("results.csv"), "partitions=" + THREADS, "run=bench"));
        Path log = work.resolve("run.log");
        long t0 = System.nanoTime();
        Process p = new ProcessBuilder(command).directory(work.toFile())
            .redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .start();
        long peak = 0;
        while (!p.waitFor(50, TimeUnit.MILLISECONDS)) {
            peak = Math.max(peak, residentPeak(p.pid()));
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        if (p.exitValue() != 0) {
            throw new AssertionError("run failed:\n" + Files.readString(log, StandardCharsets.UTF_8));
        }
        return new Measure(classData == null ? "whole process, JVM start incl. (-Xmx256m; RSS)"
                : "whole process, class data sharing archive", seconds, bytes, rows, peak);
    }

    /** VmHWM of a process in bytes (Linux), or -1. */
    private static long residentPeak(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
                if (line.startsWith("VmHWM:")) {
                    return Long.parseLong(line.replaceAll("\\D", "")) * 1024;
                }
            }
        }
        catch (IOException | RuntimeException gone) {
            // the process ended between two polls
        }
        return -1;
    }

    /**
     * The DuckDB query: count(*); count, avg, min and max of the numeric columns; count,
     * min and max of the others.
     */
    private static String selectOf(List<String> numeric, List<String> others) {
        StringBuilder select = new StringBuilder("SELECT count(*)");
        for (String col : numeric) {
            select.append(String.format(", count(%1$s), avg(%1$s), min(%1$s), max(%1$s)", col));
        }
        for (String col : others) {
            select.append(String.format(", count(%1$s), min(%1$s), max(%1$s)", col));
        }
        return select.toString();
    }

    /** DuckDB: the select over every file. */
    private static Measure duckDb(List<Path> files, String select) throws Exception {
        long bytes = 0;
        long rows = 0;
        long t0 = System.nanoTime();
        String version;
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:"); Statement st = c.createStatement()) {
            st.execute("SET threads = " + THREADS);
            try (ResultSet rs = st.executeQuery("SELECT version()")) {
                rs.next();
                version = rs.getString(1);
            }
            for (Path file : files) {
                bytes += Files.size(file);
                String sql = select + " FROM read_csv('" + file.toString().replace("'", "''") + "', header = true)";
                try (ResultSet rs = st.executeQuery(sql)) {
                    rs.next();
                    rows += rs.getLong(1);
                }
            }
        }
        return new Measure("DuckDB " + version + ", in-process (count/avg/min/max)", (System.nanoTime() - t0) / 1e9,
                bytes, rows, -1);
    }

}
