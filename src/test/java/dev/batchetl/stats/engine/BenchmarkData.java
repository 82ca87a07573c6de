package dev.batchetl.stats.engine;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;

/**
 * Generated CSV files for the memory test and the benchmark, 12 columns: an integer id, 8
 * floats with about 1% empty cells, a date, a short code, and a quoted note that
 * sometimes holds commas and escaped quotes (about 111 bytes a row).
 */
public final class BenchmarkData {

    static final String HEADER = "id,f1,f2,f3,f4,f5,f6,f7,f8,day,code,note\n";

    private BenchmarkData() {
    }

    /**
     * Writes rows until the file holds at least {@code rows} rows or {@code bytes} bytes,
     * whichever comes first.
     */
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
                sb.append(",20")
                    .append(10 + rnd.nextInt(15))
                    .append(month < 10 ? "-0" : "-")
                    .append(month)
                    .append(day < 10 ? "-0" : "-")
                    .append(day);
                sb.append(',')
                    .append((char) ('A' + rnd.nextInt(26)))
                    .append((char) ('A' + rnd.nextInt(26)))
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

    static final String MIXED_HEADER = "id,ts,created,amount,price,qty,name,city,flag,sparse,hex";

    /**
     * Writes rows of a more varied shape until the file holds {@code bytes} bytes, 11
     * columns: an id, epoch milliseconds (13 digits), a date-time, an amount with 6
     * decimals, a price, a quantity, a quoted "Last, First" name, a city out of six
     * (names and cities with accented letters, in UTF-8, in about half the rows),
     * true/false, an integer that is empty in 30% of the rows, and 32 hex digits. With
     * {@code quoteAll} every field is quoted and lines end with CRLF, as many exporters
     * write them.
     */
    public static Path generateMixed(Path file, long seed, boolean quoteAll, long bytes) throws IOException {
        Random rnd = new Random(seed);
        String[] cities = { "Springfield", "Z\u00fcrich", "S\u00e3o Paulo", "North Haverbrook", "Krak\u00f3w",
                "Brockway" };
        String[] first = { "John", "Mary", "Ana", "Li", "Omar", "Eva", "Kofi" };
        String[] last = { "Smith", "M\u00fcller", "Garc\u00eda", "Chen", "Ali", "Nov\u00e1k" };
        String eol = quoteAll ? "\r\n" : "\n";
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(file), 1 << 16)) {
            String[] names = MIXED_HEADER.split(",");
            String[] v = new String[names.length];
            StringBuilder sb = new StringBuilder(256);
            for (int i = 0; i < names.length; i++) {
                sb.append(i > 0 ? "," : "").append(quoteAll ? "\"" + names[i] + "\"" : names[i]);
            }
            long written = 0;
            for (long id = 1; written < bytes; id++) {
                sb.append(eol);
                byte[] b = sb.toString().getBytes(StandardCharsets.UTF_8);
                out.write(b);
                written += b.length;
                sb.setLength(0);
                v[0] = Long.toString(id);
                v[1] = Long.toString(1_600_000_000_000L + rnd.nextInt(1_000_000_000));
                v[2] = String.format(java.util.Locale.ROOT, "2024-%02d-%02d %02d:%02d:%02d", 1 + rnd.nextInt(12),
                        1 + rnd.nextInt(28), rnd.nextInt(24), rnd.nextInt(60), rnd.nextInt(60));
                v[3] = String.format(java.util.Locale.ROOT, "%.6f", rnd.nextGaussian() * 10_000);
                v[4] = rnd.nextInt(500) + "." + (10 + rnd.nextInt(90));
                v[5] = Integer.toString(1 + rnd.nextInt(100));
                v[6] = last[rnd.nextInt(last.length)] + ", " + first[rnd.nextInt(first.length)];
                v[7] = cities[rnd.nextInt(cities.length)];
                v[8] = rnd.nextBoolean() ? "true" : "false";
                v[9] = rnd.nextInt(10) < 3 ? "" : Integer.toString(rnd.nextInt(1000));
                v[10] = String.format(java.util.Locale.ROOT, "%016x%016x", rnd.nextLong(), rnd.nextLong());
                for (int i = 0; i < v.length; i++) {
                    boolean quoted = quoteAll || i == 6;
                    sb.append(i > 0 ? "," : "").append(quoted ? "\"" : "").append(v[i]).append(quoted ? "\"" : "");
                }
            }
        }
        return file;
    }

}
