package dev.batchetl.job;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.jar.Attributes;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

class CommandNameTests {

    @TempDir
    Path work;

    @Test
    void hintsNameTheCommandAsItWasTyped() throws IOException {
        Path jar = jar(this.work.resolve("batch-etl.jar"), "dev.batchetl.BatchEtlApplication");
        Path spaced = jar(Files.createDirectories(this.work.resolve("my tools")).resolve("batch-etl.jar"),
                "dev.batchetl.BatchEtlApplication");
        Path runner = jar(this.work.resolve("surefirebooter.jar"), "org.apache.maven.surefire.booter.ForkedBooter");
        assertThat(CommandName.detect(null, jar + " run jobs/sample.properties")).isEqualTo("java -jar " + jar);
        assertThat(CommandName.detect(null, spaced + " restart 4")).isEqualTo("java -jar '" + spaced + "'");
        assertThat(CommandName.detect("bin/batch-etl", jar + " list")).isEqualTo("bin/batch-etl");
        // another program's jar (a test runner), a main class, nothing
        assertThat(CommandName.detect(null, runner + " 1 2")).isEqualTo("batch-etl");
        assertThat(CommandName.detect(null, "dev.batchetl.BatchEtlApplication run")).isEqualTo("batch-etl");
        assertThat(CommandName.detect("  ", null)).isEqualTo("batch-etl");
    }

    /**
     * A jar whose manifest starts {@code mainClass} the way Spring Boot's does
     * (Start-Class).
     */
    private static Path jar(Path file, String mainClass) throws IOException {
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        manifest.getMainAttributes().putValue("Start-Class", mainClass);
        try (OutputStream out = Files.newOutputStream(file); JarOutputStream jar = new JarOutputStream(out, manifest)) {
            jar.flush();
        }
        return file;
    }

}
