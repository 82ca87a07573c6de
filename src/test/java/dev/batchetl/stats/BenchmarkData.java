package dev.batchetl.stats;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;

/**
 * Generated CSV files for the memory test and the benchmark, 12 columns: an integer id, 8 floats with about 1% empty
 * cells, a date, a short code, and a quoted note that sometimes holds commas and escaped quotes (about 111 bytes a
 * row).
 */
public final class BenchmarkData {

    static final String HEADER = "id,f1,f2,f3,f4,f5,f6,f7,f8,day,code,note\n";

    private BenchmarkData() {
    }

    /** Writes rows until the file holds at least {@code rows} rows or {@code bytes} bytes, whichever comes first. */
    public static Path generate(Path file, long seed, long rows, long bytes) throws IOException {
        Random rnd = new Random(seed);
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(file), 1 << 16)) {
            byte[] header = HEADER.getBytes(StandardCharsets.US_ASCII);
            out.write(header);
            long written = header.length;
            StringBuilder sb = new StringBuilder(256);
            for (long id = 1; id <= rows && written < bytes; id++) {
                sb.setLength(0);
                sb.append(id);
                for (int k = 0; k < 8; k++) {
                    sb.append(',');
                    if (rnd.nextInt(100) != 0) {
                        sb.append(rnd.nextInt(20_000) - 10_000).append('.').append(rnd.nextInt(100));
                    }
                }
                int month = 1 + rnd.nextInt(12);
                int day = 1 + rnd.nextInt(28);
                sb.append(",20").append(10 + rnd.nextInt(15)).append(month < 10 ? "-0" : "-").append(month)
                        .append(day < 10 ? "-0" : "-").append(day);
                sb.append(',').append((char) ('A' + rnd.nextInt(26))).append((char) ('A' + rnd.nextInt(26)))
                        .append(rnd.nextInt(10));
                switch (rnd.nextInt(4)) {
                    case 0:
                        sb.append(",\"note ").append(rnd.nextInt(1000)).append(", with a comma\"\n");
                        break;
                    case 1:
                        sb.append(",\"say \"\"hi\"\" ").append(rnd.nextInt(1000)).append("\"\n");
                        break;
                    default:
                        sb.append(",\"note ").append(rnd.nextInt(100_000)).append("\"\n");
                }
                byte[] b = sb.toString().getBytes(StandardCharsets.US_ASCII);
                out.write(b);
                written += b.length;
            }
        }
        return file;
    }
}
