package dev.batchetl.cli;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;
import java.util.stream.Stream;

import dev.batchetl.fetch.Source;
import dev.batchetl.fetch.SourceList;
import dev.batchetl.job.EtlKey;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The definitions shipped in {@code jobs/} (the README and {@code deploy/} run them) are
 * valid as the command line reads them, from any working folder: every key known and
 * well-formed, the source list found and readable, the relative paths resolved against
 * the definition's folder, and one with {@code cron=} a valid schedule. Nothing is run:
 * their sources are on hosts this test cannot reach.
 */
class JobDefinitionsTests {

    private static final Path JOBS = Path.of("jobs").toAbsolutePath();

    @TempDir
    Path elsewhere;

    static List<Path> definitions() throws IOException {
        try (Stream<Path> files = Files.list(JOBS)) {
            List<Path> definitions = files.filter(f -> f.toString().endsWith(".properties")).sorted().toList();
            assertThat(definitions).extracting(f -> f.getFileName().toString())
                .contains("sample.properties", "nightly.properties");
            return definitions;
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("definitions")
    void runsAsADefinitionFromAnyFolder(Path definition) throws IOException {
        Cli.Invocation invocation = Cli.parse(new String[] { "run", definition.toString(), "run=2026-01-01" },
                this.elsewhere);
        Command.Run run = (Command.Run) invocation.command();
        String name = definition.getFileName().toString().replaceAll("\\.properties$", "");
        assertThat(run.request().definition()).isEqualTo(name);

        Properties file = load(definition);
        assertThat(file.getProperty("sources")).as("sources=").isNotNull();
        Path sources = Path.of(run.request().get(EtlKey.SOURCES));
        assertThat(sources).isEqualTo(JOBS.resolve(file.getProperty("sources")).normalize()).isRegularFile();
        assertThat(SourceList.read(sources)).isNotEmpty();
        // downloads and results land next to jobs/, not in the folder the test (or a
        // scheduler) started in
        Path dir = Path.of(run.request().get(EtlKey.DIR));
        assertThat(dir).isEqualTo(JOBS.resolve(file.getProperty("dir")).normalize());
        assertThat(dir.startsWith(this.elsewhere)).isFalse();
        assertThat(Path.of(run.request().get(EtlKey.OUTPUT)))
            .isEqualTo(JOBS.resolve(file.getProperty("output")).normalize());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("definitions")
    void itsSourcesComeFromTheHostsItAllows(Path definition) throws IOException {
        Properties file = load(definition);
        String allowed = file.getProperty("allowed-hosts");
        List<Source> sources = SourceList.read(JOBS.resolve(file.getProperty("sources")));
        for (Source source : sources) {
            if (allowed != null && !source.uri().getScheme().equals("file")) {
                assertThat(List.of(allowed.split(","))).as(source.uri().toString()).contains(source.uri().getHost());
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("definitions")
    void oneWithACronIsASchedule(Path definition) throws IOException {
        Properties file = load(definition);
        if (file.getProperty("cron") == null) {
            // deploy/batch-etl-schedule.service gives the nightly definition no cron= of
            // its own
            assertThat(definition.getFileName().toString()).isNotEqualTo("nightly.properties");
            return;
        }
        Command.Schedule schedule = (Command.Schedule) Cli
            .parse(new String[] { "schedule", definition.toString() }, this.elsewhere)
            .command();
        assertThat(schedule.settings().cron()).isEqualTo(file.getProperty("cron"));
        assertThat(schedule.settings().expression()).isNotNull();
    }

    private static Properties load(Path definition) throws IOException {
        Properties properties = new Properties();
        try (Reader reader = Files.newBufferedReader(definition, StandardCharsets.UTF_8)) {
            properties.load(reader);
        }
        return properties;
    }

}
