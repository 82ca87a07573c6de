package dev.batchetl.bench;

import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import com.sun.net.httpserver.HttpServer;
import dev.batchetl.fetch.NginxServer;
import dev.batchetl.stats.engine.BenchmarkData;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * What a user waits for: every command as the README launches it ({@code bin/batch-etl},
 * and {@code java -jar target/batch-etl.jar} beside it), JVM start included, against the
 * process a user would run instead, in one run: the commands that answer at once
 * ({@code help}, {@code list}, {@code show}, an empty {@code run}); the statistics of the
 * 16-file set and of the 1 GB file against DuckDB (JDBC) in a JVM of its own; the fetch
 * of 200 x 256 KiB and 20 x 20 MiB against {@code curl --parallel} and {@code aria2c}
 * (where installed), from a local nginx (where installed) and from a server with 50 ms
 * latency. Contenders take turns, each turn from a settled disk ({@code sync}, a fetch's
 * files of the previous turn deleted first); medians and their ratios are printed, with
 * the step's own time from the job repository beside the whole process. Opt-in, after a
 * build:
 *
 * <pre>
 * ./mvnw -q package -DskipTests && ./mvnw -o test -Dtest=WholeProcessBenchmarkTests -Dwhole.benchmark=true
 * </pre>
 *
 * {@code -Dwhole.benchmark.java=JAVA_HOME} runs every JVM of it on another JDK,
 * {@code -Dwhole.benchmark.turns=N} takes N turns (default 3),
 * {@code -Dwhole.benchmark.scale=0.1} makes the statistics sets ten times smaller,
 * {@code -Dwhole.benchmark.only=commands,stats,fetch} picks parts.
 */
@Tag("benchmark")
@EnabledIfSystemProperty(named = "whole.benchmark", matches = "true")
class WholeProcessBenchmarkTests {

    private static final Path PROJECT = Path.of("").toAbsolutePath();

    private static final Path LAUNCHER = PROJECT.resolve("bin/batch-etl");

    private static final Path JAR = PROJECT.resolve("target/batch-etl.jar");

    private static final int TURNS = Integer.getInteger("whole.benchmark.turns", 3);

    private static final String JAVA_HOME = System.getProperty("whole.benchmark.java", System.getProperty("java.home"));

    private static final List<String> ONLY = Arrays
        .asList(System.getProperty("whole.benchmark.only", "commands,stats,fetch").split(","));

    @TempDir
    Path work;

    private final StringBuilder report = new StringBuilder();

    @Test
    void wholeProcesses() throws Exception {
        assumeTrue(Files.isRegularFile(PROJECT.resolve("target/app/batch-etl.jar")) && Files.isRegularFile(JAR),
                "build first: ./mvnw -q package -DskipTests");
        // the launcher's archive for this JDK, made before anything is timed (the build
        // made the build JDK's)
        ProcessBuilder archive = new ProcessBuilder("sh", LAUNCHER.toString(), "--make-archive").inheritIO()
            .directory(this.work.toFile());
        archive.environment().put("JAVA_HOME", JAVA_HOME);
        assertThat(archive.start().waitFor()).isZero();
        this.report.append(String.format(Locale.ROOT, "Java %s, %d cores, medians of %d turns%n", javaVersion(),
                Runtime.getRuntime().availableProcessors(), TURNS));
        if (ONLY.contains("commands")) {
            commands();
        }
        if (ONLY.contains("stats")) {
            statistics();
        }
        if (ONLY.contains("fetch")) {
            fetch();
        }
        System.out.println("\n=== whole-process benchmark ===\n" + this.report);
    }

    // --- the commands that answer at once
    // ------------------------------------------------------------------------

    private void commands() throws Exception {
        Path folder = Files.createDirectories(this.work.resolve("commands"));
        Path empty = Files.createDirectories(folder.resolve("empty"));
        // one run to list and show (the embedded default database, in the working folder,
        // as a newcomer has it)
        run(folder, batchEtl(true, "run", "dir=" + empty, "output=" + folder.resolve("first.csv")), 0);
        Map<String, List<String>> commands = new LinkedHashMap<>();
        commands.put("help", List.of("help"));
        commands.put("list 3", List.of("list", "3"));
        commands.put("show 1", List.of("show", "1"));
        commands.put("run dir=EMPTY", List.of("run", "dir=" + empty, "output=" + folder.resolve("r.csv")));
        this.report.append(String.format(Locale.ROOT, "%n%-16s %14s %14s %8s%n", "command", "bin/batch-etl",
                "java -jar", "ratio"));
        for (Map.Entry<String, List<String>> command : commands.entrySet()) {
            List<Double> launcher = new ArrayList<>();
            List<Double> jar = new ArrayList<>();
            for (int turn = 0; turn < TURNS; turn++) {
                launcher.add(run(folder, batchEtl(true, command.getValue().toArray(String[]::new)), 0));
                jar.add(run(folder, batchEtl(false, command.getValue().toArray(String[]::new)), 0));
            }
            this.report.append(String.format(Locale.ROOT, "%-16s %12.2f s %12.2f s %8.2f%s%n", command.getKey(),
                    median(launcher), median(jar), median(jar) / median(launcher), turns(launcher)));
        }
    }

    // --- statistics against DuckDB
    // -------------------------------------------------------------------------------

    private void statistics() throws Exception {
        double scale = Double.parseDouble(System.getProperty("whole.benchmark.scale", "1"));
        Path base = PROJECT.resolve("target/stats-benchmark");
        Path many = Files.createDirectories(base.resolve("many-" + scale));
        Path one = Files.createDirectories(base.resolve("one-" + scale));
        for (int i = 1; i <= 16; i++) {
            Path f = many.resolve(String.format("part-%02d.csv", i));
            if (!Files.exists(f)) {
                BenchmarkData.generate(f, i, (long) (250_000 * scale), Long.MAX_VALUE);
            }
        }
        if (!Files.exists(one.resolve("big.csv"))) {
            BenchmarkData.generate(one.resolve("big.csv"), 99, Long.MAX_VALUE, (long) ((1L << 30) * scale));
        }
        this.report.append(String.format(Locale.ROOT, "%n%-22s %14s %14s %14s %8s%n", "statistics", "batch-etl",
                "(its step)", "DuckDB JVM", "ratio"));
        for (Path set : List.of(many, one)) {
            Path folder = Files.createDirectories(this.work.resolve("stats-" + set.getFileName()));
            List<Double> etl = new ArrayList<>();
            List<Double> step = new ArrayList<>();
            List<Double> duck = new ArrayList<>();
            for (int turn = 0; turn < TURNS; turn++) {
                sync();
                etl.add(run(folder, batchEtl(true, "run", "dir=" + set, "output=" + folder.resolve("r.csv")), 0));
                step.add(stepSeconds(folder, "stats"));
                sync();
                duck.add(run(folder, duckDb(set), 0));
            }
            this.report.append(String.format(Locale.ROOT, "%-22s %12.2f s %12.2f s %12.2f s %8.2f%s%n",
                    set.getFileName() + " (" + megabytes(set) + " MB)", median(etl), median(step), median(duck),
                    median(duck) / median(etl), ratios(duck, etl)));
        }
        this.report.append("  ratio: DuckDB's process / batch-etl's process (above 1: batch-etl is faster)\n");
    }

    private List<String> duckDb(Path set) throws IOException {
        String duckJar = Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
            .filter(entry -> Path.of(entry).getFileName().toString().startsWith("duckdb_jdbc"))
            .findFirst()
            .orElseThrow();
        return List.of(java(), "-cp", duckJar + File.pathSeparator + PROJECT.resolve("target/test-classes"),
                DuckDbStats.class.getName(), set.toString(), "2", "id,f1,f2,f3,f4,f5,f6,f7,f8", "day,code,note");
    }

    // --- fetch against curl and aria2c
    // ----------------------------------------------------------------------------

    private void fetch() throws Exception {
        Path www = Files.createDirectories(this.work.resolve("www"));
        Map<String, List<String>> sets = new LinkedHashMap<>();
        sets.put("200 x 256 KiB", files(www, "s", 200, 256 << 10));
        sets.put("20 x 20 MiB", files(www, "l", 20, 20 << 20));
        boolean curl = onPath("curl");
        boolean aria2 = onPath("aria2c");
        this.report.append(String.format(Locale.ROOT, "%n%-30s %12s %12s %12s %12s %10s%n", "fetch, threads=16",
                "batch-etl", "(its step)", "curl", "aria2c", "ratio"));
        if (NginxServer.installed()) {
            try (NginxServer nginx = new NginxServer()) {
                String base = nginx.start(www);
                fetchSets("nginx", base, sets, curl, aria2);
            }
        }
        else {
            this.report.append("  nginx: not installed (apt-get install nginx-light)\n");
        }
        HttpServer slow = HttpServer.create(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0), 256);
        slow.setExecutor(Executors.newCachedThreadPool());
        slow.createContext("/", exchange -> {
            try (exchange) {
                Path file = www.resolve(exchange.getRequestURI().getPath().substring(1)).normalize();
                try {
                    Thread.sleep(50);
                }
                catch (InterruptedException ex) {
                    Thread.currentThread().interrupt();
                }
                if (!file.startsWith(www) || !Files.isRegularFile(file)) {
                    exchange.sendResponseHeaders(404, -1);
                    return;
                }
                exchange.sendResponseHeaders(200, Files.size(file));
                try (OutputStream out = exchange.getResponseBody()) {
                    Files.copy(file, out);
                }
            }
        });
        slow.start();
        try {
            fetchSets("50 ms latency", "http://127.0.0.1:" + slow.getAddress().getPort(), sets, curl, aria2);
        }
        finally {
            slow.stop(0);
        }
        this.report.append("  ratio: curl's process / batch-etl's process (above 1: batch-etl is faster)\n");
    }

    private void fetchSets(String server, String base, Map<String, List<String>> sets, boolean curl, boolean aria2)
            throws Exception {
        for (Map.Entry<String, List<String>> set : sets.entrySet()) {
            List<String> urls = set.getValue().stream().map(path -> base + "/" + path).toList();
            Path folder = Files.createDirectories(this.work.resolve("fetch-" + UUID.randomUUID()));
            Path sources = Files.write(folder.resolve("sources.txt"), urls);
            List<Double> etl = new ArrayList<>();
            List<Double> step = new ArrayList<>();
            List<Double> curls = new ArrayList<>();
            List<Double> arias = new ArrayList<>();
            for (int turn = 0; turn < TURNS; turn++) {
                Path data = settled(folder.resolve("etl"));
                etl.add(run(folder, batchEtl(true, "run", "sources=" + sources, "dir=" + data,
                        "output=" + folder.resolve("r.csv"), "threads=16"), 0));
                step.add(stepSeconds(folder, "fetch"));
                assertThat(data.toFile().list()).hasSize(urls.size());
                if (curl) {
                    Path out = settled(folder.resolve("curl"));
                    StringBuilder config = new StringBuilder();
                    for (int i = 0; i < urls.size(); i++) {
                        config.append("url = \"")
                            .append(urls.get(i))
                            .append("\"\noutput = \"")
                            .append(out.resolve(i + ".bin"))
                            .append("\"\n");
                    }
                    Path file = Files.writeString(folder.resolve("curl.cfg"), config);
                    curls.add(run(folder, List.of("curl", "--silent", "--fail", "--create-dirs", "--parallel",
                            "--parallel-max", "16", "--config", file.toString()), 0));
                }
                if (aria2) {
                    Path out = settled(folder.resolve("aria2"));
                    StringBuilder input = new StringBuilder();
                    for (int i = 0; i < urls.size(); i++) {
                        input.append(urls.get(i)).append("\n  out=").append(i).append(".bin\n");
                    }
                    Path file = Files.writeString(folder.resolve("aria2.list"), input);
                    arias.add(run(folder, List.of("aria2c", "--quiet", "-j", "16", "--max-connection-per-server=1",
                            "--split=1", "--dir", out.toString(), "--input-file", file.toString()), 0));
                }
            }
            this.report.append(String.format(Locale.ROOT, "%-30s %10.2f s %10.2f s %10s %10s %10s%s%n",
                    server + ", " + set.getKey(), median(etl), median(step), curl ? seconds(median(curls)) : "-",
                    aria2 ? seconds(median(arias)) : "-",
                    curl ? String.format(Locale.ROOT, "%.2f", median(curls) / median(etl)) : "-",
                    curl ? ratios(curls, etl) : ""));
        }
    }

    /** {@code folder} empty, the previous turn's files deleted and the disk settled. */
    private static Path settled(Path folder) throws Exception {
        if (Files.exists(folder)) {
            try (Stream<Path> files = Files.walk(folder)) {
                for (Path f : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
                    Files.delete(f);
                }
            }
        }
        sync();
        return folder;
    }

    private static List<String> files(Path www, String prefix, int count, int size) throws IOException {
        Files.createDirectories(www.resolve(prefix));
        byte[] body = new byte[size];
        new Random(size).nextBytes(body);
        List<String> paths = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            Files.write(www.resolve(prefix).resolve(i + ".bin"), body);
            paths.add(prefix + "/" + i + ".bin");
        }
        return paths;
    }

    private static boolean onPath(String program) {
        return dev.batchetl.EtlProcess.onPath(program);
    }

    private static String seconds(double value) {
        return String.format(Locale.ROOT, "%.2f s", value);
    }

    // --- support
    // -------------------------------------------------------------------------------------------------

    /**
     * {@code bin/batch-etl ARGS} (launcher) or
     * {@code java -jar target/batch-etl.jar ARGS}.
     */
    List<String> batchEtl(boolean launcher, String... args) {
        List<String> command = new ArrayList<>(
                launcher ? List.of("sh", LAUNCHER.toString()) : List.of(java(), "-jar", JAR.toString()));
        command.addAll(List.of(args));
        return command;
    }

    /**
     * Runs a process in {@code folder} to its end; its wall time in seconds, JVM start
     * included.
     */
    double run(Path folder, List<String> command, int expectedExit) throws Exception {
        ProcessBuilder builder = new ProcessBuilder(command).directory(folder.toFile())
            .redirectErrorStream(true)
            .redirectOutput(folder.resolve("last-output.txt").toFile());
        builder.environment().put("JAVA_HOME", JAVA_HOME);
        builder.environment().remove("JAVA_OPTS");
        long t0 = System.nanoTime();
        Process p = builder.start();
        assertThat(p.waitFor(30, TimeUnit.MINUTES)).isTrue();
        double seconds = (System.nanoTime() - t0) / 1e9;
        assertThat(p.exitValue()).as("%s:%n%s", command, Files.readString(folder.resolve("last-output.txt")))
            .isEqualTo(expectedExit);
        return seconds;
    }

    /**
     * The latest execution's step {@code name} in the embedded database of
     * {@code folder}, in seconds.
     */
    static double stepSeconds(Path folder, String name) throws Exception {
        String url = "jdbc:h2:file:" + folder.resolve(".batch-etl/repository")
                + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH;AUTO_SERVER=TRUE";
        try (Connection c = DriverManager.getConnection(url, "sa", "");
                Statement st = c.createStatement();
                ResultSet rs = st
                    .executeQuery("SELECT start_time, end_time FROM batch_step_execution WHERE step_name = '" + name
                            + "' ORDER BY step_execution_id DESC LIMIT 1")) {
            assertThat(rs.next()).isTrue();
            Timestamp start = rs.getTimestamp(1);
            Timestamp end = rs.getTimestamp(2);
            return (end.getTime() - start.getTime()) / 1000.0;
        }
    }

    void line(String text) {
        this.report.append(text).append('\n');
    }

    static String java() {
        return Path.of(JAVA_HOME, "bin", "java").toString();
    }

    static void sync() throws Exception {
        new ProcessBuilder("sync").start().waitFor();
    }

    static double median(List<Double> values) {
        List<Double> sorted = new ArrayList<>(values);
        sorted.sort(null);
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }

    /** Each turn's time, for the spread. */
    static String turns(List<Double> values) {
        StringBuilder s = new StringBuilder("  (");
        for (double v : values) {
            s.append(String.format(Locale.ROOT, s.length() > 3 ? " %.2f" : "%.2f", v));
        }
        return s.append(')').toString();
    }

    /** Each turn's ratio a / b. */
    static String ratios(List<Double> a, List<Double> b) {
        StringBuilder s = new StringBuilder("  (each turn:");
        for (int i = 0; i < a.size(); i++) {
            s.append(String.format(Locale.ROOT, " %.2f", a.get(i) / b.get(i)));
        }
        return s.append(')').toString();
    }

    private static long megabytes(Path folder) throws IOException {
        try (Stream<Path> files = Files.list(folder)) {
            return files.mapToLong(f -> f.toFile().length()).sum() / 1_000_000;
        }
    }

    private String javaVersion() throws IOException {
        for (String line : Files.readAllLines(Path.of(JAVA_HOME, "release"))) {
            if (line.startsWith("JAVA_VERSION=")) {
                return line.substring("JAVA_VERSION=".length()).replace("\"", "");
            }
        }
        return JAVA_HOME;
    }

}
