package dev.batchetl.cli;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * {@code bin/batch-etl}, the launcher of the README: on the extracted layout of a build
 * (here made from the test's class path the way the build extracts the jar: the
 * application's jar and lib/), it makes a JVM archive on first use, starts with it from
 * then on (the application's classes come from the archive), makes it again for a newer
 * jar, starts plainly and silently where the archive is unusable, and passes arguments
 * and exit codes through. On this JVM and, where one is installed beside it, on a JDK
 * that gets the other kind of archive (a CDS archive on 17 to 24, an AOT cache on 25 and
 * later).
 */
class LauncherScriptFunctionalTests {

    private static final Path SCRIPT = Path.of("bin/batch-etl").toAbsolutePath();

    @TempDir
    static Path app;

    @TempDir
    Path work;

    @BeforeAll
    static void extractedLayout() throws IOException {
        Path lib = Files.createDirectories(app.resolve("lib"));
        List<String> classPath = new ArrayList<>();
        Path classes = null;
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            Path path = Path.of(entry);
            if (entry.endsWith(".jar") && Files.isRegularFile(path)) {
                Path copy = lib.resolve(path.getFileName());
                if (!Files.exists(copy)) {
                    Files.copy(path, copy);
                    classPath.add("lib/" + copy.getFileName());
                }
            }
            else if (path.endsWith(Path.of("target", "classes"))) {
                classes = path;
            }
        }
        assertThat(classes).as("the application's classes on the test class path").isNotNull();
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        manifest.getMainAttributes().put(Attributes.Name.MAIN_CLASS, "dev.batchetl.BatchEtlApplication");
        manifest.getMainAttributes().put(Attributes.Name.CLASS_PATH, String.join(" ", classPath));
        Path root = classes;
        try (JarOutputStream jar = new JarOutputStream(Files.newOutputStream(app.resolve("batch-etl.jar")), manifest);
                Stream<Path> files = Files.walk(root)) {
            // folders too, as a built jar has them: Spring's component scan finds a
            // package by its folder entry
            for (Path file : (Iterable<Path>) files.filter(f -> !f.equals(root))::iterator) {
                String name = root.relativize(file).toString().replace(File.separatorChar, '/');
                boolean folder = Files.isDirectory(file);
                jar.putNextEntry(new JarEntry(folder ? name + "/" : name));
                if (!folder) {
                    Files.copy(file, jar);
                }
                jar.closeEntry();
            }
        }
    }

    @Test
    void anArchiveIsMadeOnFirstUseAndUsedFromThenOn() throws Exception {
        Path javaHome = Path.of(System.getProperty("java.home"));
        launcherMakesUsesAndRemakesItsArchive(javaHome, suffix(javaHome));
    }

    @Test
    void onTheOtherJdkInstalledBesideThisOne() throws Exception {
        Path other = otherJdk(feature(Path.of(System.getProperty("java.home"))));
        assumeTrue(other != null, "no JDK of the other kind (17 to 24, or 25 and later) installed beside this one");
        launcherMakesUsesAndRemakesItsArchive(other, suffix(other));
    }

    @Test
    void theJitIsSetForWhatTheCommandDoes() throws Exception {
        Path javaHome = Path.of(System.getProperty("java.home"));
        // no training run here: the mark a failed one leaves, newer than the jar (an
        // archive made by another test would do as well)
        Path archives = Files.createDirectories(app.resolve("jvm"));
        Path mark = archives.resolve(archiveName(javaHome) + ".failed");
        Files.writeString(mark, "");
        Files.setLastModifiedTime(mark, FileTime.from(Instant.now().plusSeconds(60)));
        Map<String, String> flags = Map.of("JAVA_OPTS", "-XX:+PrintFlagsFinal");

        // a command that reads a few rows: the first compiler only, and the serial
        // collector
        Result help = launch(javaHome, flags, "help");
        assertThat(help.code()).as(help.toString()).isZero();
        assertThat(flag(help.out(), "TieredStopAtLevel")).isEqualTo("1");
        assertThat(flag(help.out(), "UseSerialGC")).isEqualTo("true");
        assertThat(flag(help.out(), "CompileThresholdScaling")).startsWith("1.0");

        // a run: both compilers, after three times the usual counts (and the arguments
        // still reach the application, which refuses this one)
        Result run = launch(javaHome, flags, "run", "nosuchkey=1");
        assertThat(run.code()).as(run.toString()).isEqualTo(2);
        assertThat(run.err()).contains("unknown key 'nosuchkey'");
        assertThat(flag(run.out(), "CompileThresholdScaling")).startsWith("3.0");
        assertThat(flag(run.out(), "TieredStopAtLevel")).isEqualTo("4");

        // and JAVA_OPTS comes after the launcher's choice, so it wins
        Result own = launch(javaHome, Map.of("JAVA_OPTS", "-XX:+PrintFlagsFinal -XX:CompileThresholdScaling=1"), "run",
                "nosuchkey=1");
        assertThat(flag(own.out(), "CompileThresholdScaling")).startsWith("1.0");
    }

    /** A JVM flag's value as {@code -XX:+PrintFlagsFinal} prints it. */
    private static String flag(String printed, String name) {
        return printed.lines()
            .map(String::trim)
            .map(line -> line.split("\\s+"))
            .filter(words -> words.length >= 4 && words[1].equals(name) && words[2].equals("="))
            .map(words -> words[3])
            .findFirst()
            .orElseThrow(() -> new AssertionError(name + " not among the flags printed"));
    }

    /**
     * The name the launcher gives a JDK's archive: its version and vendor from its
     * release file, and the kind's suffix.
     */
    private static String archiveName(Path javaHome) throws IOException {
        String version = "";
        String vendor = "";
        for (String line : Files.readAllLines(javaHome.resolve("release"))) {
            if (line.startsWith("JAVA_VERSION=\"")) {
                version = line.substring("JAVA_VERSION=\"".length(), line.length() - 1);
            }
            else if (line.startsWith("IMPLEMENTOR=\"")) {
                vendor = line.substring("IMPLEMENTOR=\"".length(), line.length() - 1).replaceAll("[^A-Za-z0-9.]", "_");
            }
        }
        return version + "-" + vendor + suffix(javaHome);
    }

    /**
     * What the launcher makes for a JDK: an AOT cache on 25 and later, a CDS archive
     * before.
     */
    private static String suffix(Path javaHome) {
        return feature(javaHome) >= 25 ? ".aot" : ".jsa";
    }

    private void launcherMakesUsesAndRemakesItsArchive(Path javaHome, String suffix) throws Exception {
        // given no archive for this JDK, and a jar built before now
        Path archives = app.resolve("jvm");
        deleteArchives(archives);
        Files.setLastModifiedTime(app.resolve("batch-etl.jar"), FileTime.from(Instant.now().minusSeconds(3600)));

        // when: the first command makes it, says so once, and runs as usual
        Result first = launch(javaHome, Map.of(), "list", "3");
        assertThat(first.code()).as(first.toString()).isZero();
        assertThat(first.err()).contains("preparing a faster start");
        assertThat(first.out()).contains("no executions yet");
        Path archive = onlyArchive(archives, suffix);

        // then the next one starts from it: the application's own classes come from the
        // archive, and nothing is said
        Path classLog = this.work.resolve("classes.log");
        Result second = launch(javaHome, Map.of("JAVA_OPTS", "-Xlog:class+load:file=" + classLog), "list", "3");
        assertThat(second.code()).as(second.toString()).isZero();
        assertThat(second.err()).isEmpty();
        assertThat(second.out()).isEqualTo(first.out());
        assertThat(Files.readAllLines(classLog))
            .anyMatch(line -> line.contains("dev.batchetl.cli.Launcher source: shared objects file"));

        // and arguments and exit codes pass through
        Result missing = launch(javaHome, Map.of(), "show", "987654321");
        assertThat(missing.code()).isEqualTo(2);
        assertThat(missing.err()).contains("no job execution with id 987654321").doesNotContain("preparing");

        // an archive that no longer fits the JVM (here: garbage) is a plain start,
        // without a word
        Files.write(archive, new byte[] { 1, 2, 3, 4, 5, 6, 7, 8 });
        Files.setLastModifiedTime(archive, FileTime.from(Instant.now().plusSeconds(60)));
        Result plain = launch(javaHome, Map.of(), "list", "3");
        assertThat(plain.code()).as(plain.toString()).isZero();
        assertThat(plain.err()).isEmpty();
        assertThat(plain.out()).isEqualTo(first.out());

        // a newer build's jar gets a new archive on its first use
        Files.setLastModifiedTime(app.resolve("batch-etl.jar"), FileTime.from(Instant.now().plusSeconds(120)));
        Result rebuilt = launch(javaHome, Map.of(), "list", "3");
        assertThat(rebuilt.code()).as(rebuilt.toString()).isZero();
        assertThat(rebuilt.err()).contains("preparing a faster start");
        assertThat(Files.size(onlyArchive(archives, suffix))).isGreaterThan(1_000_000);
    }

    private static Path onlyArchive(Path archives, String suffix) throws IOException {
        try (Stream<Path> files = Files.list(archives)) {
            List<Path> all = files.toList();
            List<Path> made = all.stream().filter(f -> f.toString().endsWith(suffix)).toList();
            StringBuilder failed = new StringBuilder();
            for (Path f : all) {
                if (f.toString().endsWith(".failed")) {
                    failed.append(Files.readString(f));
                }
            }
            assertThat(made).as("archives made; the training run said:%n%s", failed).hasSize(1);
            return made.get(0);
        }
    }

    private static void deleteArchives(Path archives) throws IOException {
        if (Files.isDirectory(archives)) {
            try (Stream<Path> files = Files.list(archives)) {
                for (Path file : files.toList()) {
                    Files.delete(file);
                }
            }
        }
    }

    /**
     * A JDK beside the one running the tests (the usual place on Debian) that gets the
     * other kind of archive: 25 or later when this one is older, older when this one is
     * 25 or later; or null.
     */
    private static Path otherJdk(int thisFeature) throws IOException {
        Path jvms = Path.of("/usr/lib/jvm");
        if (!Files.isDirectory(jvms)) {
            return null;
        }
        try (Stream<Path> homes = Files.list(jvms)) {
            return homes.filter(home -> Files.isExecutable(home.resolve("bin/java")))
                .filter(home -> feature(home) >= 17 && (feature(home) >= 25) != (thisFeature >= 25))
                .sorted()
                .findFirst()
                .orElse(null);
        }
    }

    private static int feature(Path home) {
        try {
            for (String line : Files.readAllLines(home.resolve("release"))) {
                if (line.startsWith("JAVA_VERSION=\"")) {
                    String version = line.substring("JAVA_VERSION=\"".length());
                    return Integer.parseInt(version.replaceAll("[^0-9].*", ""));
                }
            }
        }
        catch (IOException | NumberFormatException ex) {
            return 0;
        }
        return 0;
    }

    private Result launch(Path javaHome, Map<String, String> env, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("sh", SCRIPT.toString()));
        command.addAll(List.of(args));
        // an H2 URL of one's own, without the settings the application adds
        command.add("--spring.datasource.url=jdbc:h2:file:" + this.work.resolve("repository"));
        ProcessBuilder builder = new ProcessBuilder(command).directory(this.work.toFile());
        builder.environment().put("JAVA_HOME", javaHome.toString());
        builder.environment().put("BATCH_ETL_APP", app.toString());
        builder.environment().remove("JAVA_OPTS");
        builder.environment().putAll(env);
        Path out = this.work.resolve("out.txt");
        Path err = this.work.resolve("err.txt");
        Process process = builder.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        assertThat(process.waitFor(5, TimeUnit.MINUTES)).isTrue();
        return new Result(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                Files.readString(err, StandardCharsets.UTF_8));
    }

    private record Result(int code, String out, String err) {
    }

}
