package dev.batchetl.stats.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Constant memory: a file far larger than a small heap is processed by a JVM with
 * {@code -Xmx64m}, and the checkpoint (the whole accumulator state) stays small whatever
 * the number of rows. (The 1 GB file under {@code -Xmx256m} is part of the benchmark.)
 */
class MemoryTests {

    @TempDir
    Path dir;

    @Test
    void fortyMegabytesUnderSixtyFourMegabytesOfHeap() throws Exception {
        Path file = BenchmarkData.generate(dir.resolve("big.csv"), 42, Long.MAX_VALUE, 40L << 20);
        Path log = dir.resolve("probe.log");
        Process p = new ProcessBuilder(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx64m", "-cp", System.getProperty("java.class.path"), MemoryProbe.class.getName(), file.toString()))
            .redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .start();
        assertThat(p.waitFor(5, TimeUnit.MINUTES)).isTrue();
        String out = Files.readString(log, StandardCharsets.UTF_8);
        assertThat(p.exitValue()).as(out).isZero();
        long rows = Long.parseLong(out.replaceAll("(?s).*rows=(\\d+).*", "$1"));
        int checkpoint = Integer.parseInt(out.replaceAll("(?s).*checkpoint=(\\d+).*", "$1"));
        assertThat(rows).isGreaterThan(300_000);
        // 12 columns: sketches and bounded exact tables, never the values themselves
        assertThat(checkpoint).isLessThan(12 * 80 * 1024);
    }

}
