package dev.batchetl.report;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The run's data inside a page written by {@link ReportPage}: the JSON of its
 * {@code run-data} script element, as the page's script reads it.
 */
public final class ReportData {

    private static final Pattern DATA = Pattern
        .compile("<script id=\"run-data\" type=\"application/json\">(.*?)</script>", Pattern.DOTALL);

    private ReportData() {
    }

    public static JsonNode of(Path page) throws IOException {
        Matcher matcher = DATA.matcher(Files.readString(page));
        if (!matcher.find()) {
            throw new AssertionError("no run-data in " + page);
        }
        return JsonMapper.builder().build().readTree(matcher.group(1));
    }

}
