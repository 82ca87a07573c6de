package dev.batchetl.fetch;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import com.sun.net.httpserver.HttpServer;
import dev.batchetl.EtlCli;
import dev.batchetl.TestDatabase;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The fetch step against {@code curl --parallel --parallel-max 16} and
 * {@code aria2c -j16} on the same local server, taking turns at least three times on each
 * set (the medians are compared): a real nginx without latency ({@link #againstNginx},
 * skipped where nginx is not installed), and a server that waits 50 ms before the first
 * byte of every response ({@link #fetchStepAgainstCurl}, with the cost of the chunk
 * barrier with mixed sizes). Prints its figures; asserts only that everything arrived.
 * Run with {@code ./mvnw -o test -Dtest=FetchBenchmarkTests -Dfetch.benchmark=true} (one
 * part: {@code -Dtest=FetchBenchmarkTests#againstNginx}; more turns:
 * {@code -Dfetch.benchmark.rounds=5}).
 */
@Tag("benchmark")
@EnabledIfSystemProperty(named = "fetch.benchmark", matches = "true")
class FetchBenchmarkTests {

    private static final int THREADS = 16;

    private static final int ROUNDS = Math.max(3, Integer.getInteger("fetch.benchmark.rounds", 3));

    @TempDir
    Path work;

    /**
     * The files nginx serves (not under {@link #work}, whose folders every turn deletes).
     */
    @TempDir
    Path served;

    /**
     * Against nginx (sendfile, no latency) on 127.0.0.1: each turn of each contender
     * starts from a settled disk; the step's figure is its duration in the job
     * repository, curl's and aria2c's their whole process, and curl's followed by
     * {@code sync} what the same files cost once they are on disk, as the step's are when
     * it ends.
     */
    @Test
    void againstNginx() throws Exception {
        assumeTrue(NginxServer.installed(), "nginx is not installed (apt-get install nginx-light)");
        boolean aria2 = onPath("aria2c");
        byte[] small = new byte[256 * 1024];
        byte[] large = new byte[20 * 1024 * 1024];
        new java.util.Random(1).nextBytes(small);
        new java.util.Random(2).nextBytes(large);
        Files.createDirectories(this.served.resolve("s"));
        Files.createDirectories(this.served.resolve("l"));
        for (int i = 0; i < 200; i++) {
            Files.write(this.served.resolve("s/" + i + ".bin"), small);
        }
        for (int i = 0; i < 20; i++) {
            Files.write(this.served.resolve("l/" + i + ".bin"), large);
        }
        try (NginxServer nginx = new NginxServer()) {
            String base = nginx.start(this.served);
            StringBuilder report = new StringBuilder(String.format(Locale.ROOT,
                    "%nfetch benchmark against nginx (threads=16, no latency, %d turns, medians)%n", ROUNDS));
            for (var set : List.of(Map.entry("200 x 256 KiB", urls(base, "s", 200)),
                    Map.entry("20 x 20 MiB", urls(base, "l", 20)))) {
                List<String> urls = set.getValue();
                fetchStep(urls, "warm-up", null);
                double[] step = new double[ROUNDS];
                double[] curl = new double[ROUNDS];
                double[] curlSync = new double[ROUNDS];
                double[] aria = new double[ROUNDS];
                for (int round = 0; round < ROUNDS; round++) {
                    // the contenders take turns, the first of each round another
                    for (int turn = 0; turn < 3; turn++) {
                        switch ((round + turn) % 3) {
                            case 0 -> step[round] = fetchStep(urls, "set", null);
                            case 1 -> {
                                double[] timed = curlThenSync(urls);
                                curl[round] = timed[0];
                                curlSync[round] = timed[1];
                            }
                            default -> aria[round] = aria2 ? aria2c(urls) : Double.NaN;
                        }
                    }
                }
                report.append(String.format(Locale.ROOT, "  %s%n", set.getKey()))
                    .append(line("fetch step", step, median(step)))
                    .append(line("curl", curl, median(step)))
                    .append(line("curl + sync", curlSync, median(step)));
                report.append(aria2 ? line("aria2c -j16", aria, median(step)) : "    aria2c: not installed\n");
            }
            System.out.println(report.append(String.format(Locale.ROOT, "  load average at the end: %.1f%n",
                    java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage())));
        }
    }

    private static List<String> urls(String base, String folder, int count) {
        List<String> urls = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            urls.add(base + "/" + folder + "/" + i + ".bin");
        }
        return urls;
    }

    /**
     * One contender's turns and median, and the step's median over it (the ratio to
     * compare).
     */
    private static String line(String name, double[] seconds, double stepMedian) {
        return String.format(Locale.ROOT, "    %-12s %s s, median %.2f s, fetch step / this %.2f%n", name,
                seconds(seconds), median(seconds), stepMedian / median(seconds));
    }

    @Test
    void fetchStepAgainstCurl() throws Exception {
        ExecutorService pool = Executors.newCachedThreadPool();
        Map<String, byte[]> bodies = new ConcurrentHashMap<>();
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0), 256);
        server.setExecutor(pool);
        server.createContext("/", exchange -> {
            try (exchange) {
                byte[] body = bodies.get(exchange.getRequestURI().getPath());
                sleep(50);
                if (body == null) {
                    exchange.sendResponseHeaders(404, -1);
                    return;
                }
                exchange.sendResponseHeaders(200, body.length);
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(body);
                }
            }
        });
        server.start();
        try {
            String base = "http://127.0.0.1:" + server.getAddress().getPort();
            byte[] small = new byte[256 * 1024];
            byte[] large = new byte[20 * 1024 * 1024];
            new java.util.Random(1).nextBytes(small);
            new java.util.Random(2).nextBytes(large);
            List<String> smallSet = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                bodies.put("/s/" + i + ".bin", small);
                smallSet.add(base + "/s/" + i + ".bin");
            }
            List<String> largeSet = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                bodies.put("/l/" + i + ".bin", large);
                largeSet.add(base + "/l/" + i + ".bin");
            }
            // mixed: 4 files of 40 MiB spread among 120 of 256 KiB, in list order
            byte[] huge = new byte[40 * 1024 * 1024];
            List<String> mixed = new ArrayList<>();
            for (int i = 0; i < 124; i++) {
                boolean big = i % 31 == 30;
                bodies.put("/m/" + i + ".bin", big ? huge : small);
                mixed.add(base + "/m/" + i + ".bin");
            }
            StringBuilder report = new StringBuilder("\nfetch benchmark (threads=16, 50 ms before the first byte)\n");
            for (var set : List.of(Map.entry("200 x 256 KiB", smallSet), Map.entry("20 x 20 MiB", largeSet))) {
                fetchStep(set.getValue(), "warm-up", null);
                // curl and the step take turns, ROUNDS times each: the medians are
                // compared
                double[] curl = new double[ROUNDS];
                double[] step = new double[ROUNDS];
                for (int round = 0; round < ROUNDS; round++) {
                    curl[round] = curl(set.getValue());
                    step[round] = fetchStep(set.getValue(), "set", null);
                }
                report.append(String.format(Locale.ROOT,
                        "  %-14s curl %s s, fetch step %s s; medians %.2f s and %.2f s, ratio %.2f%n", set.getKey(),
                        seconds(curl), seconds(step), median(curl), median(step), median(step) / median(curl)));
            }
            double barrier = fetchStep(mixed, "chunk16", "16");
            double chunked = fetchStep(mixed, "chunk64", null);
            double curlMixed = curl(mixed);
            report.append(String.format(Locale.ROOT,
                    "  mixed 4 x 40 MiB + 120 x 256 KiB: curl %.2f s, fetch-chunk=16 (chunk = threads) %.2f s,"
                            + " default fetch-chunk=64 %.2f s%n",
                    curlMixed, barrier, chunked));
            System.out.println(report);
        }
        finally {
            server.stop(0);
            pool.shutdownNow();
        }
    }

    private static String seconds(double[] values) {
        StringBuilder text = new StringBuilder();
        for (double v : values) {
            text.append(text.isEmpty() ? "" : " / ").append(String.format(Locale.ROOT, "%.2f", v));
        }
        return text.toString();
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        java.util.Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }

    /** Runs the job on the list and returns the fetch step's duration in seconds. */
    private double fetchStep(List<String> urls, String name, String chunk) throws Exception {
        settle();
        Path dir = this.work.resolve(name + "-" + UUID.randomUUID());
        Path sources = Files.write(dir.resolveSibling(dir.getFileName() + ".txt"), urls);
        List<String> args = new ArrayList<>(List.of("run", "sources=" + sources, "dir=" + dir,
                "output=" + dir.resolveSibling(dir.getFileName() + ".csv"), "threads=" + THREADS,
                "run=b-" + UUID.randomUUID()));
        if (chunk != null) {
            args.add("fetch-chunk=" + chunk);
        }
        EtlCli.Result result = EtlCli.run(args.toArray(String[]::new));
        assertThat(result.exitCode()).as(result.toString()).isZero();
        Map<String, Object> step = TestDatabase.jdbc()
            .queryForMap(
                    """
                            SELECT start_time, end_time FROM batch_step_execution WHERE job_execution_id = ? AND step_name = 'fetch'""",
                    result.executionId());
        try (var files = Files.list(dir)) {
            assertThat(files.count()).isEqualTo(urls.size());
        }
        return (((Timestamp) step.get("end_time")).getTime() - ((Timestamp) step.get("start_time")).getTime()) / 1000.0;
    }

    /**
     * Every contender starts from the same disk state: the files of earlier runs are
     * deleted and what remains to be written is written ({@code sync}), so that no run
     * pays for the writeback of another.
     */
    private void settle() throws Exception {
        try (var runs = Files.list(this.work)) {
            for (Path run : runs.toList()) {
                if (Files.isDirectory(run)) {
                    try (var files = Files.walk(run)) {
                        for (Path file : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
                            Files.delete(file);
                        }
                    }
                }
            }
        }
        assertThat(new ProcessBuilder("sync").inheritIO().start().waitFor()).isZero();
    }

    private double curl(List<String> urls) throws Exception {
        return curlThenSync(urls)[0];
    }

    /**
     * curl's whole process, and the same followed by {@code sync} (its files on disk, as
     * the step's are).
     */
    private double[] curlThenSync(List<String> urls) throws Exception {
        settle();
        Path dir = Files.createDirectories(this.work.resolve("curl-" + UUID.randomUUID()));
        StringBuilder config = new StringBuilder();
        for (int i = 0; i < urls.size(); i++) {
            config.append("url = \"")
                .append(urls.get(i))
                .append("\"\noutput = \"")
                .append(dir.resolve(i + ".bin"))
                .append("\"\n");
        }
        Path file = Files.writeString(dir.resolveSibling(dir.getFileName() + ".cfg"), config);
        long start = System.nanoTime();
        Process curl = new ProcessBuilder("curl", "--silent", "--fail", "--parallel", "--parallel-max",
                Integer.toString(THREADS), "--config", file.toString())
            .inheritIO()
            .start();
        assertThat(curl.waitFor(10, TimeUnit.MINUTES)).isTrue();
        double seconds = (System.nanoTime() - start) / 1e9;
        assertThat(new ProcessBuilder("sync").inheritIO().start().waitFor()).isZero();
        double synced = (System.nanoTime() - start) / 1e9;
        assertThat(curl.exitValue()).isZero();
        assertArrived(dir, urls.size());
        return new double[] { seconds, synced };
    }

    /** aria2c -j16 (one connection per file, as the step and curl), whole process. */
    private double aria2c(List<String> urls) throws Exception {
        settle();
        Path dir = Files.createDirectories(this.work.resolve("aria2-" + UUID.randomUUID()));
        StringBuilder input = new StringBuilder();
        for (int i = 0; i < urls.size(); i++) {
            input.append(urls.get(i)).append("\n  out=").append(i).append(".bin\n");
        }
        Path file = Files.writeString(dir.resolveSibling(dir.getFileName() + ".list"), input);
        long start = System.nanoTime();
        Process aria2 = new ProcessBuilder("aria2c", "--quiet", "-j", Integer.toString(THREADS),
                "--max-connection-per-server=1", "--split=1", "--dir", dir.toString(), "--input-file", file.toString())
            .inheritIO()
            .start();
        assertThat(aria2.waitFor(10, TimeUnit.MINUTES)).isTrue();
        double seconds = (System.nanoTime() - start) / 1e9;
        assertThat(aria2.exitValue()).isZero();
        assertArrived(dir, urls.size());
        return seconds;
    }

    private static void assertArrived(Path dir, int count) throws IOException {
        try (var files = Files.list(dir)) {
            assertThat(files.filter(f -> f.getFileName().toString().endsWith(".bin")).count()).isEqualTo(count);
        }
    }

    private static boolean onPath(String command) {
        return dev.batchetl.EtlProcess.onPath(command);
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
    }

}
