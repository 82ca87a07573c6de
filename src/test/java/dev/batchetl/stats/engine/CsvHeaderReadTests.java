package dev.batchetl.stats.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every statistics partition reads its file's header, so that read must cost what the
 * header needs and not a fixed large buffer, however large the file; and a header longer
 * than the first read must still be read whole. The bytes read are the kernel's count for
 * this process ({@code rchar} in {@code /proc/self/io}, Linux), not the reader's own:
 * each figure is the least of three reads, so that another thread's read cannot inflate
 * it.
 */
class CsvHeaderReadTests {

    private static final Path IO = Path.of("/proc/self/io");

    @TempDir
    Path dir;

    @BeforeEach
    void loaded() throws IOException {
        assumeTrue(Files.isReadable(IO), "needs /proc/self/io (Linux)");
        // the classes of the reader are loaded (read from disk) before anything is
        // measured
        CsvHeader.read(Files.writeString(dir.resolve("warm.csv"), "a,b\n1,2\n"), CsvOptions.defaults());
    }

    @Test
    void theHeaderOfALargeFileIsReadWithASmallRead() throws IOException {
        String header = "id,value,name\n";
        Path file = file("large.csv", header, 50L << 20);

        CsvHeader read = CsvHeader.read(file, CsvOptions.defaults());
        long bytesRead = leastBytesRead(file);

        assertThat(read.names()).containsExactly("id", "value", "name");
        assertThat(read.dataStart()).isEqualTo(header.length());
        assertThat(read.dataStartLine()).isEqualTo(2);
        assertThat(bytesRead).as("bytes read for the header of a 50 MB file").isPositive().isLessThan(64 << 10);
    }

    @Test
    void aHeaderLongerThanTheFirstReadIsReadWhole() throws IOException {
        Random random = new Random(11);
        List<String> names = new ArrayList<>();
        StringBuilder header = new StringBuilder();
        while (header.length() < 200 << 10) {
            StringBuilder name = new StringBuilder("column_" + names.size() + "_");
            for (int i = random.nextInt(20); i >= 0; i--) {
                name.append((char) ('a' + random.nextInt(26)));
            }
            if (names.size() % 100 == 7) {
                name.append(", with a comma"); // written quoted
            }
            header.append(names.isEmpty() ? "" : ",");
            header.append(name.indexOf(",") >= 0 ? "\"" + name + "\"" : name);
            names.add(name.toString());
        }
        header.append('\n');
        Path file = file("wide.csv", header.toString(), 10L << 20);

        CsvHeader read = CsvHeader.read(file, CsvOptions.defaults());
        long bytesRead = leastBytesRead(file);

        assertThat(read.names()).containsExactlyElementsOf(names);
        assertThat(read.dataStart()).isEqualTo(header.length());
        assertThat(read.dataStartLine()).isEqualTo(2);
        // the buffer doubles until the header fits: at most twice the header, never the
        // file
        assertThat(bytesRead).as("bytes read for a header of %d bytes", header.length())
            .isGreaterThanOrEqualTo(header.length())
            .isLessThan(2L * header.length() + (64 << 10));
    }

    /** A file of the header and rows of three columns up to about {@code size} bytes. */
    private Path file(String name, String header, long size) throws IOException {
        Path file = dir.resolve(name);
        Random random = new Random(3);
        try (BufferedWriter out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            out.write(header);
            for (long written = header.length(), row = 1; written < size; row++) {
                String line = row + "," + random.nextInt(1_000_000) + ",name-" + random.nextInt(1000) + "\n";
                out.write(line);
                written += line.length();
            }
        }
        return file;
    }

    private static long leastBytesRead(Path file) throws IOException {
        long least = Long.MAX_VALUE;
        for (int i = 0; i < 3; i++) {
            long before = rchar();
            CsvHeader.read(file, CsvOptions.defaults());
            long after = rchar();
            least = Math.min(least, after - before);
        }
        return least;
    }

    /**
     * Bytes this process has read through read(2) and its kin, from any file or socket.
     */
    private static long rchar() throws IOException {
        for (String line : Files.readAllLines(IO)) {
            if (line.startsWith("rchar:")) {
                return Long.parseLong(line.substring("rchar:".length()).strip());
            }
        }
        throw new IllegalStateException("no rchar in " + IO);
    }

}
