package dev.batchetl;

import static org.assertj.core.api.Assertions.assertThat;

import dev.batchetl.job.EtlKey;
import dev.batchetl.schedule.ScheduleSettings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The documentation against the code, so that neither drifts: every key and default of
 * the README's and {@code jobs/README.md}'s tables, the commands of the README and of
 * {@code help}, the schedule keys, the settings and their defaults in
 * {@code application.properties}, and every relative link of the Markdown files.
 */
class DocumentationTests {

    private static final Path README = Path.of("README.md");

    private static final Path JOBS_README = Path.of("jobs/README.md");

    /** Keys whose default is not a fixed value, with the words the tables use for it. */
    private static final Map<String, String> COMPUTED_DEFAULTS = Map.of("partitions", "number of cores");

    @Test
    void theReadmeKeyTableHasEveryKeyWithItsDefault() throws IOException {
        // given the key table under "### Keys"
        Map<String, String> table = keyTable(section(read(README), "### Keys"));

        // then it lists exactly the keys of the code, in the code's order, with their
        // defaults
        assertThat(table.keySet()).containsExactlyElementsOf(keys());
        assertDefaults(table, "README.md");
    }

    @Test
    void theJobDefinitionKeyTableHasEveryKeyWithItsDefault() throws IOException {
        Map<String, String> table = keyTable(read(JOBS_README));

        assertThat(table.keySet()).containsExactlyElementsOf(keys());
        assertDefaults(table, "jobs/README.md");
    }

    @Test
    void helpListsTheCommandsAndKeysOfTheReadme() throws IOException {
        // given the README's command table and what help prints
        List<String> documented = firstColumn(section(read(README), "## Commands")).stream()
            .map(cell -> cell.replace("`", "").split(" ")[0])
            .toList();
        EtlCli.Result help = EtlCli.run("help");
        assertThat(help.exitCode()).isZero();
        String commandsBlock = help.out().substring(help.out().indexOf("commands:"), help.out().indexOf("\nkeys:"));
        List<String> printed = Pattern.compile("(?m)^  ([a-z]+)(?= |$)")
            .matcher(commandsBlock)
            .results()
            .map(match -> match.group(1))
            .toList();

        // then both name the same commands, and help names every key
        assertThat(documented).containsExactlyInAnyOrderElementsOf(printed);
        String keysBlock = help.out().substring(help.out().indexOf("\nkeys:"));
        for (String key : keys()) {
            assertThat(keysBlock).as("help's keys").containsPattern("(?m)^  " + Pattern.quote(key) + " ");
        }
    }

    @Test
    void theReadmeScheduleTableHasTheScheduleKeysWithTheirDefaults() throws IOException {
        // given the schedule key table (the second table of "## Scheduling") and the
        // settings of a schedule that gives nothing but its cron expression
        String scheduling = section(read(README), "## Scheduling");
        Map<String, String> table = keyTable(scheduling);
        ScheduleSettings defaults = ScheduleSettings.of(Map.of("cron", "@daily"));

        // then it lists exactly the keys the code reads, with the defaults the code takes
        assertThat(table.keySet()).containsExactlyInAnyOrderElementsOf(ScheduleSettings.KEYS);
        assertThat(table).containsEntry("cron", "none")
            .containsEntry("zone", "`" + defaults.zone().getId() + "`")
            .containsEntry("overlap", "`" + defaults.overlap().name().toLowerCase(Locale.ROOT) + "`")
            .containsEntry("catch-up", "`" + defaults.catchUp().name().toLowerCase(Locale.ROOT) + "`")
            .containsEntry("retry-failed", "`" + defaults.retryFailed() + "`")
            .containsEntry("log-format", "`" + (defaults.jsonLogs() ? "json" : "text") + "`");
    }

    @Test
    void theEnvironmentVariablesOfTheReadmeAreReadWithTheDefaultsItGives() throws IOException {
        // given every table row of the README naming environment variables and their
        // defaults
        String properties = Files.readString(Path.of("src/main/resources/application.properties"));
        Pattern row = Pattern.compile("(?m)^\\| (`BATCH_ETL_[^|]+) \\| ([^|]+) \\|");
        Matcher matcher = row.matcher(read(README));
        int rows = 0;
        while (matcher.find()) {
            List<String> names = codes(matcher.group(1));
            List<String> defaults = codes(matcher.group(2));
            assertThat(names).hasSameSizeAs(defaults);
            for (int i = 0; i < names.size(); i++) {
                // then application.properties reads each with the same default
                assertThat(properties).as("application.properties reading " + names.get(i))
                    .contains("${" + names.get(i) + ":" + defaults.get(i) + "}");
            }
            rows++;
        }
        assertThat(rows).as("rows of environment variables in the README").isGreaterThanOrEqualTo(5);
    }

    @Test
    void everyRelativeLinkOfTheDocumentationLeadsToAFileAndHeading() throws IOException {
        List<Path> documents = new ArrayList<>(List.of(README, JOBS_README, Path.of("deploy/README.md")));
        try (Stream<Path> docs = Files.list(Path.of("docs"))) {
            docs.filter(path -> path.toString().endsWith(".md")).sorted().forEach(documents::add);
        }
        Pattern link = Pattern.compile("\\]\\(([^)\\s]+)\\)");
        List<String> broken = new ArrayList<>();
        for (Path document : documents) {
            Matcher matcher = link.matcher(Files.readString(document));
            while (matcher.find()) {
                String target = matcher.group(1);
                if (target.matches("[a-z]+:.*")) {
                    continue;
                }
                int hash = target.indexOf('#');
                String file = hash < 0 ? target : target.substring(0, hash);
                Path resolved = file.isEmpty() ? document : document.resolveSibling(file).normalize();
                if (!Files.exists(resolved)) {
                    broken.add(document + ": " + target + " (no such file)");
                }
                else if (hash >= 0 && !anchors(resolved).contains(target.substring(hash + 1))) {
                    broken.add(document + ": " + target + " (no such heading)");
                }
            }
        }
        assertThat(broken).isEmpty();
    }

    @Test
    void theReadmeStaysAUsersPath() throws IOException {
        // what it is, quick start, jobs, commands, failures, scheduling, scale-out,
        // configuration, in that order and in about 400 lines; the rest lives in docs/
        List<String> headings = read(README).lines().filter(line -> line.startsWith("## ")).toList();
        assertThat(headings).containsSubsequence("## Quick start", "## Jobs", "## Commands", "## When a run fails",
                "## Scheduling", "## Scale-out", "## Configuration");
        assertThat(read(README).lines().count()).isLessThanOrEqualTo(400);
    }

    private static List<String> keys() {
        return Arrays.stream(EtlKey.values()).map(EtlKey::key).toList();
    }

    private static void assertDefaults(Map<String, String> table, String document) {
        for (EtlKey key : EtlKey.values()) {
            String cell = table.get(key.key());
            if (COMPUTED_DEFAULTS.containsKey(key.key())) {
                assertThat(cell).as(document + ": default of " + key.key()).isEqualTo(COMPUTED_DEFAULTS.get(key.key()));
            }
            else if (key.defaultValue() != null) {
                assertThat(cell).as(document + ": default of " + key.key()).isEqualTo("`" + key.defaultValue() + "`");
            }
            else {
                // no fixed default: the table says in words what happens instead
                assertThat(cell).as(document + ": default of " + key.key()).doesNotStartWith("`").isNotBlank();
            }
        }
    }

    /**
     * The first two cells of each row of the Markdown tables in the text whose first cell
     * is a key.
     */
    private static Map<String, String> keyTable(String text) {
        Map<String, String> rows = new LinkedHashMap<>();
        Matcher matcher = Pattern.compile("(?m)^\\| `([a-z-]+)` \\| ([^|]*?) \\|").matcher(text);
        while (matcher.find()) {
            rows.put(matcher.group(1), matcher.group(2).strip());
        }
        return rows;
    }

    private static List<String> firstColumn(String text) {
        return Pattern.compile("(?m)^\\| (`[^|]+`) \\|").matcher(text).results().map(match -> match.group(1)).toList();
    }

    private static List<String> codes(String cell) {
        return Pattern.compile("`([^`]*)`").matcher(cell).results().map(match -> match.group(1)).toList();
    }

    /** From a heading to the next heading of the same or a higher level. */
    private static String section(String text, String heading) {
        int start = text.indexOf("\n" + heading + "\n");
        assertThat(start).as("heading " + heading).isNotNegative();
        String level = heading.substring(0, heading.indexOf(' ') + 1);
        Matcher next = Pattern.compile("(?m)^#{1," + (level.length() - 1) + "} ").matcher(text);
        int end = next.find(start + heading.length() + 1) ? next.start() : text.length();
        return text.substring(start, end);
    }

    /** GitHub's anchors of the headings of a Markdown file. */
    private static Set<String> anchors(Path document) throws IOException {
        boolean[] fenced = { false };
        return Files.readString(document).lines().filter(line -> {
            if (line.startsWith("```")) {
                fenced[0] = !fenced[0];
            }
            return !fenced[0] && line.matches("#{1,6} .*");
        })
            .map(line -> line.replaceFirst("#+ ", "")
                .strip()
                .toLowerCase(Locale.ROOT)
                .replaceAll("[^\\p{L}\\p{N} _-]", "")
                .replace(' ', '-'))
            .collect(Collectors.toCollection(TreeSet::new));
    }

    private static String read(Path path) throws IOException {
        return Files.readString(path);
    }

}
