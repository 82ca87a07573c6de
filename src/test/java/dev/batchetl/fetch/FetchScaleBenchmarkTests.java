package dev.batchetl.fetch;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.sun.net.httpserver.HttpServer;
import dev.batchetl.BatchEtlApplication;
import dev.batchetl.TestDatabase;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.jdbc.core.JdbcTemplate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What grows with the length of the source list: whole runs of
 * {@code -Dscale.benchmark.sources=2000,200000} sources (default; add 1000000 for a
 * million) of 100 bytes each from a server on 127.0.0.1, each in a JVM of its own with
 * the same heap limit ({@code -Dscale.benchmark.heap=256m}). For each list it prints the
 * plan's time, the fetch step's sources per second and cost per source, the export, the
 * whole process, the largest heap left after a collection (from the JVM's GC log), the
 * size of the run's page, and {@code show} and {@code list} as processes. The bodies are
 * saved as {@code *.txt}, which the statistics leave out. Not part of the suite:
 *
 * <pre>
 * ./mvnw -o test -Dtest=FetchScaleBenchmarkTests -Dscale.benchmark=true [-Dscale.benchmark.sources=2000,200000,1000000]
 * </pre>
 */
@Tag("benchmark")
@EnabledIfSystemProperty(named = "scale.benchmark", matches = "true")
class FetchScaleBenchmarkTests {

    private static final Pattern EXECUTION = Pattern.compile("(?m)^execution (\\d+) ([A-Z]+) in ");

    /** The heap after a collection in a unified GC log line: {@code 25M->10M(256M)}. */
    private static final Pattern AFTER_GC = Pattern.compile("->(\\d+)M\\(");

    private static final byte[] BODY = "0123456789".repeat(10).getBytes(StandardCharsets.US_ASCII);

    @TempDir
    Path work;

    @Test
    void longSourceLists() throws Exception {
        List<Integer> sizes = Arrays.stream(System.getProperty("scale.benchmark.sources", "2000,200000").split(","))
            .map(String::strip)
            .map(Integer::valueOf)
            .toList();
        String heap = System.getProperty("scale.benchmark.heap", "256m");
        TestHttpServer.noDelay();
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 512);
        ExecutorService serving = Executors.newFixedThreadPool(8);
        server.setExecutor(serving);
        server.createContext("/", exchange -> {
            exchange.getRequestBody().readAllBytes();
            exchange.sendResponseHeaders(200, BODY.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(BODY);
            }
        });
        server.start();
        List<String> rows = new ArrayList<>();
        try {
            for (int n : sizes) {
                rows.add(run(n, heap, "http://127.0.0.1:" + server.getAddress().getPort()));
                System.out.println(rows.get(rows.size() - 1)); // as it comes: a long list
                                                               // takes a while
            }
        }
        finally {
            server.stop(0);
            serving.shutdownNow();
        }
        System.out.printf("%nsources of 100 B from 127.0.0.1, 16 threads, -Xmx%s, %d cores%n", heap,
                Runtime.getRuntime().availableProcessors());
        System.out.println("| sources | plan | fetch | sources/s | per source | export | whole run | heap after GC"
                + " (max) | page | show | list |");
        System.out.println("|---|---|---|---|---|---|---|---|---|---|---|");
        rows.forEach(System.out::println);
    }

    private String run(int n, String heap, String base) throws Exception {
        Path dir = Files.createDirectories(this.work.resolve("run-" + n));
        Path list = dir.resolve("sources.txt");
        try (BufferedWriter out = Files.newBufferedWriter(list, StandardCharsets.UTF_8)) {
            for (int i = 0; i < n; i++) {
                out.write(base + "/s/" + i + ".txt\n");
            }
        }
        Path gcLog = dir.resolve("gc.log");
        long start = System.nanoTime();
        List<String> options = new ArrayList<>(List.of("-Xmx" + heap, "-Xlog:gc:file=" + gcLog));
        String more = System.getProperty("scale.benchmark.jvm", "").strip();
        if (!more.isEmpty()) {
            options.addAll(Arrays.asList(more.split("\\s+")));
        }
        String out = process(dir, options, "run", "sources=" + list, "dir=" + dir.resolve("data"),
                "output=" + dir.resolve("results.csv"), "threads=16", "run=scale-" + UUID.randomUUID());
        double whole = (System.nanoTime() - start) / 1e9;
        Matcher matcher = EXECUTION.matcher(out);
        assertThat(matcher.find()).as(out).isTrue();
        assertThat(matcher.group(2)).as(out).isEqualTo("COMPLETED");
        long id = Long.parseLong(matcher.group(1));
        JdbcTemplate jdbc = TestDatabase.jdbc();
        Map<String, Double> steps = new java.util.HashMap<>();
        jdbc.query("""
                SELECT step_name, EXTRACT(EPOCH FROM (end_time - start_time)) FROM batch_step_execution
                WHERE job_execution_id = ?""", rs -> {
            steps.put(rs.getString(1), rs.getDouble(2));
        }, id);
        long done = jdbc.queryForObject(
                "SELECT COUNT(*) FROM etl_source WHERE job_execution_id = ? AND status = 'DONE'", Long.class, id);
        assertThat(done).isEqualTo(n);
        try (var files = Files.list(dir.resolve("data"))) {
            assertThat(files.filter(file -> file.getFileName().toString().endsWith(".txt")).count()).isEqualTo(n);
        }
        long heapMb = Files.readAllLines(gcLog)
            .stream()
            .map(AFTER_GC::matcher)
            .filter(Matcher::find)
            .mapToLong(m -> Long.parseLong(m.group(1)))
            .max()
            .orElse(0);
        Path page = dir.resolve("report.html");
        long pageBytes = Files.isRegularFile(page) ? Files.size(page) : -1;
        long showStart = System.nanoTime();
        process(dir, List.of(), "show", String.valueOf(id));
        double show = (System.nanoTime() - showStart) / 1e9;
        long listStart = System.nanoTime();
        process(dir, List.of(), "list", "3");
        double listed = (System.nanoTime() - listStart) / 1e9;
        double fetch = steps.getOrDefault("fetch", 0.0);
        return String.format(Locale.ROOT,
                "| %,d | %.2f s | %.1f s | %,.0f | %.2f ms | %.2f s | %.1f s | %d MB | %,d KB | %.2f s | %.2f s |", n,
                steps.getOrDefault("fetch-plan", 0.0), fetch, n / fetch, fetch * 1000 / n,
                steps.getOrDefault("export", 0.0), whole, heapMb, pageBytes / 1024, show, listed);
    }

    /** Runs {@code batch-etl ARGS} in a JVM of its own, and answers what it printed. */
    private static String process(Path dir, List<String> jvmOptions, String... args)
            throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmOptions);
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), BatchEtlApplication.class.getName()));
        command.addAll(Arrays.asList(args));
        command.addAll(Arrays.asList(TestDatabase.springArgs()));
        Path log = Files.createTempFile(dir, "process-", ".log");
        Process process = new ProcessBuilder(command).directory(dir.toFile())
            .redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .start();
        int code = process.waitFor();
        String out = Files.readString(log);
        assertThat(code).as(out).isZero();
        return out;
    }

}
