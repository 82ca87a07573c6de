package dev.batchetl.job;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * A generated CSV file whose cell values the test keeps, so expected statistics can be
 * computed on the side.
 */
final class CsvFixture {

    private static final String[] NAMES = { "Ada", "Émile", "Zoë", "ångström", "Łukasz", "Bob", "Carol, Jr.",
            "say \"hi\"", "北京", "Ørsted" };

    final List<String> header;

    final List<List<String>> rows;

    private CsvFixture(List<String> header, List<List<String>> rows) {
        this.header = header;
        this.rows = rows;
    }

    /**
     * id (integer), price (float with nulls), qty (integer), name (text with commas,
     * quotes, non-ASCII).
     */
    static CsvFixture orders(long seed, int count) {
        Random random = new Random(seed);
        List<List<String>> rows = new ArrayList<>();
        for (int i = 1; i <= count; i++) {
            String price = i % 17 == 0 ? ""
                    : i % 23 == 0 ? "NA" : String.format("%d.%02d", random.nextInt(500), random.nextInt(100));
            rows.add(List.of(Integer.toString(i), price, Integer.toString(random.nextInt(2000) - 1000),
                    NAMES[random.nextInt(NAMES.length)]));
        }
        return new CsvFixture(List.of("id", "price", "qty", "name"), rows);
    }

    List<String> column(int index) {
        return this.rows.stream().map(row -> row.get(index)).toList();
    }

    byte[] bytes() {
        StringBuilder text = new StringBuilder();
        text.append(line(this.header));
        for (List<String> row : this.rows) {
            text.append(line(row));
        }
        return text.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static String line(List<String> cells) {
        List<String> quoted = new ArrayList<>();
        for (String cell : cells) {
            boolean quote = cell.contains(",") || cell.contains("\"") || cell.contains("\n");
            quoted.add(quote ? "\"" + cell.replace("\"", "\"\"") + "\"" : cell);
        }
        return String.join(",", quoted) + "\n";
    }

}
