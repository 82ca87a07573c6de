package dev.batchetl.stats;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import dev.batchetl.stats.engine.CsvOptions;
import dev.batchetl.stats.engine.CsvSplitter;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.batch.infrastructure.item.ExecutionContext;

class CsvFilePartitionerTests {

    @TempDir
    Path dir;

    @Test
    void aSplitFileHasAMultipleOfThePartitionsRunningAtOnceOfAtMostTheSplitSize() {
        long mb = 1 << 20;
        // 1,074 MB in 64 MB: 17 ranges, which 2 at a time would end with one alone; 18 of
        // 59.7 MB
        long size = 1074 * mb;
        long balanced = CsvSplitter.balancedSplitSize(size, 64 * mb, 2);
        assertThat((size + balanced - 1) / balanced).isEqualTo(18);
        assertThat(balanced).isLessThanOrEqualTo(64 * mb);
        assertThat(CsvSplitter.balancedSplitSize(size, 64 * mb, 1)).isEqualTo((size + 16) / 17);
        assertThat(CsvSplitter.balancedSplitSize(size, 64 * mb, 4)).isEqualTo((size + 19) / 20);
        assertThat(CsvSplitter.balancedSplitSize(100, 1000, 2)).isEqualTo(50);
        assertThat(CsvSplitter.balancedSplitSize(1, 1, 8)).isEqualTo(1);
    }

    @Test
    void partitionsOfASplitFileComeInMultiplesOfTheGridSizeWithTheirLinesLeftToTheReaders() throws Exception {
        StringBuilder csv = new StringBuilder("id,note\n");
        for (int i = 0; i < 2000; i++) {
            csv.append(i).append(",\"n ").append(i).append("\"\n");
        }
        Path f = Files.writeString(dir.resolve("a.csv"), csv.toString());
        long size = Files.size(f);
        for (int grid : new int[] { 1, 2, 3 }) {
            Map<String, ExecutionContext> partitions = new CsvFilePartitioner(dir, CsvOptions.defaults(), size * 2 / 9)
                .partition(grid);
            int expected = (5 + grid - 1) / grid * grid; // 4.5 split sizes: 5 ranges,
                                                         // rounded up to a multiple
            assertThat(partitions).as("grid " + grid).hasSize(expected);
            long unknown = partitions.values()
                .stream()
                .filter(c -> c.getLong(CsvFilePartitioner.FIRST_LINE) == -1)
                .count();
            assertThat(unknown).isEqualTo(expected - 1);
        }
    }

}
