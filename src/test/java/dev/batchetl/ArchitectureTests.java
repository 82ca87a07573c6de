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
 * the job, the features, and storage and progress at the bottom, with no cycle between
 * packages.
 */
class ArchitectureTests {

    private static JavaClasses classes;

    @BeforeAll
    static void importClasses() {
        classes = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
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
                    "dev.batchetl.progress..")
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
                    "dev.batchetl.export..", "dev.batchetl.remote..")
            .check(classes);
    }

}
