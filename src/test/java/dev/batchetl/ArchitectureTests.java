package dev.batchetl;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

/**
 * The package layering of the application: the command line on top, then the scheduler,
 * the run's page ({@code report}) and what it and {@code show} read of past runs
 * ({@code history}), the job, the features, and storage and progress at the bottom, with
 * no cycle between packages.
 */
class ArchitectureTests {

    private static JavaClasses classes;

    @BeforeAll
    static void importClasses() {
        // not the job context's bean definitions that the build generates
        // (Name__BeanDefinitions)
        classes = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .withImportOption(location -> !location.contains("__"))
            .importPackages("dev.batchetl");
    }

    @Test
    void packagesAreFreeOfCycles() {
        slices().matching("dev.batchetl.(*)..").should().beFreeOfCycles().check(classes);
    }

    @Test
    void onlyTheApplicationDependsOnTheCommandLine() {
        noClasses().that()
            .resideInAnyPackage("dev.batchetl.schedule..", "dev.batchetl.job..", "dev.batchetl.fetch..",
                    "dev.batchetl.stats..", "dev.batchetl.export..", "dev.batchetl.remote..", "dev.batchetl.storage..",
                    "dev.batchetl.progress..", "dev.batchetl.history..", "dev.batchetl.dashboard..",
                    "dev.batchetl.report..")
            .should()
            .dependOnClassesThat()
            .resideInAPackage("dev.batchetl.cli..")
            .check(classes);
    }

    @Test
    void theJobDependsOnNoFeatureNorTheScheduler() {
        noClasses().that()
            .resideInAPackage("dev.batchetl.job..")
            .should()
            .dependOnClassesThat()
            .resideInAnyPackage("dev.batchetl.schedule..", "dev.batchetl.fetch..", "dev.batchetl.stats..",
                    "dev.batchetl.export..", "dev.batchetl.remote..", "dev.batchetl.history..", "dev.batchetl.report..")
            .check(classes);
    }

    @Test
    void noClassOfTheApplicationOutgrowsOneJob() throws java.io.IOException {
        // about 500 lines after formatting; the CSV tokenizer's hot loop is the one
        // exception (one class on purpose, so that the JIT sees it whole)
        java.util.List<String> large = new java.util.ArrayList<>();
        try (java.util.stream.Stream<java.nio.file.Path> files = java.nio.file.Files
            .walk(java.nio.file.Path.of("src/main/java"))) {
            for (java.nio.file.Path file : files.filter(path -> path.toString().endsWith(".java")).toList()) {
                long lines = java.nio.file.Files.lines(file).count();
                if (lines > 520 && !file.endsWith("CsvTokenizer.java")) {
                    large.add(file + ": " + lines + " lines");
                }
            }
        }
        org.assertj.core.api.Assertions.assertThat(large).isEmpty();
    }

}
