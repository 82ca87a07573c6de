package dev.batchetl.stats;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedOutputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

/**
 * Rough throughput of the engine on a generated ~100 MB file. Opt-in:
 * {@code ./mvnw -o test -Dtest=ThroughputBenchmarkTest -Dstats.benchmark=true [-Dstats.benchmark.mb=100]}.
 */
@Tag("benchmark")
@EnabledIfSystemProperty(named = "stats.benchmark", matches = "true")
class ThroughputBenchmarkTest {

    @TempDir
    Path dir;

    static Path generate(Path file, long targetBytes) throws Exception {
        Random rnd = new Random(1);
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(file), 1 << 16)) {
            out.write("id,f1,f2,f3,f4,f5,f6,f7,f8,day,code,note\n".getBytes(StandardCharsets.US_ASCII));
            long written = 0;
            StringBuilder sb = new StringBuilder(256);
            for (long id = 1; written < targetBytes; id++) {
                sb.setLength(0);
                sb.append(id);
                for (int k = 0; k < 8; k++) {
                    sb.append(',');
                    if (rnd.nextInt(100) != 0) {
                        sb.append(rnd.nextInt(200_000) - 100_000).append('.').append(rnd.nextInt(10_000));
                    }
                }
                sb.append(",20").append(10 + rnd.nextInt(15)).append('-').append(String.format("%02d", 1 + rnd.nextInt(12)))
                        .append('-').append(String.format("%02d", 1 + rnd.nextInt(28)));
                sb.append(',').append((char) ('A' + rnd.nextInt(26))).append((char) ('A' + rnd.nextInt(26)))
                        .append(rnd.nextInt(10));
                sb.append(",\"note ").append(rnd.nextInt(1000)).append(", with a comma and \"\"quotes\"\"\"\n");
                byte[] b = sb.toString().getBytes(StandardCharsets.US_ASCII);
                out.write(b);
                written += b.length;
            }
        }
        return file;
    }

    @Test
    void throughput() throws Exception {
        long mb = Long.getLong("stats.benchmark.mb", 100);
        Path f = generate(dir.resolve("bench.csv"), mb << 20);
        long size = Files.size(f);
        CsvOptions o = CsvOptions.defaults();
        CsvHeader h = CsvHeader.read(f, o);
        for (int round = 0; round < 4; round++) {
            java.lang.management.ThreadMXBean mx = java.lang.management.ManagementFactory.getThreadMXBean();
            long c0 = mx.getCurrentThreadCpuTime();
            long t0 = System.nanoTime();
            FileAccumulator acc = new FileAccumulator(h.names());
            try (CsvRangeReader r = CsvRangeReader.open(f, o, h.names().size(), h.dataStart(), Long.MAX_VALUE,
                    h.dataStartLine())) {
                while (r.read(acc, 10_000, null) > 0) {
                    // read on
                }
            }
            long t1 = System.nanoTime();
            long c1 = mx.getCurrentThreadCpuTime();
            List<ByteRange> ranges = CsvSplitter.split(f, o, size / 2 + 1);
            long t2 = System.nanoTime();
            ExecutorService pool = Executors.newFixedThreadPool(2);
            List<Future<FileAccumulator>> parts = new ArrayList<>();
            for (ByteRange range : ranges) {
                parts.add(pool.submit(() -> {
                    FileAccumulator a = new FileAccumulator(h.names());
                    try (CsvRangeReader r = CsvRangeReader.open(f, o, h.names().size(), range.start(), range.end(),
                            range.firstLine())) {
                        while (r.read(a, 10_000, null) > 0) {
                            // read on
                        }
                    }
                    return a;
                }));
            }
            FileAccumulator total = new FileAccumulator(h.names());
            for (Future<FileAccumulator> p : parts) {
                total.merge(p.get());
            }
            pool.shutdown();
            long t3 = System.nanoTime();
            assertThat(total.rows()).isEqualTo(acc.rows());
            System.out.printf("round %d: %d MB, %d rows; one range %.0f MB/s (%.0f MB per CPU second); split %.0f MB/s; 2 ranges on 2 threads"
                            + " %.0f MB/s (split + read %.0f MB/s)%n", round, size >> 20, acc.rows(),
                    size / 1e6 / ((t1 - t0) / 1e9), size / 1e6 / ((c1 - c0) / 1e9), size / 1e6 / ((t2 - t1) / 1e9), size / 1e6 / ((t3 - t2) / 1e9),
                    size / 1e6 / ((t3 - t1) / 1e9));
            if (round == 0) {
                System.out.println(total.result());
            }
        }
    }
}
