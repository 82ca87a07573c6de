package dev.batchetl.deploy;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.BiConsumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The examples of {@code deploy/} are one set that can be applied as it is: every object
 * a manifest refers to is defined in {@code deploy/}, no two objects of one kind share a
 * name, every environment variable is one the application reads, the definition the
 * CronJobs run is the one in {@code jobs/} and finds its source list, and the cron line
 * and systemd units name files that exist. An operator who copies them finds out nothing
 * of this at 2 am.
 */
class DeployManifestsTests {

    private static final Path DEPLOY = Path.of("deploy");

    private static final Path JOBS = Path.of("jobs");

    /** Variables of the JVM, not of the application, that a manifest may set. */
    private static final Set<String> JVM_VARIABLES = Set.of("JAVA_TOOL_OPTIONS", "JDK_JAVA_OPTIONS");

    private static final Pattern DEFINITION_PATH = Pattern.compile("(/[\\w./-]+\\.properties)\\b");

    private static final Pattern KEY_ON_COMMAND_LINE = Pattern.compile("(?<=\\s)(dir|output)=(\\S+)");

    /** Every object of every YAML file, with the file it came from. */
    private static final List<Manifest> OBJECTS = new ArrayList<>();

    record Manifest(String file, String kind, String name, Map<String, Object> body) {
    }

    @BeforeAll
    static void load() throws IOException {
        try (Stream<Path> files = Files.list(DEPLOY)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".yaml") || f.toString().endsWith(".yml"))
                .sorted()
                .toList()) {
                try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                    for (Object document : new Yaml().loadAll(reader)) {
                        if (document == null) {
                            continue;
                        }
                        Map<String, Object> body = map(document);
                        OBJECTS.add(new Manifest(file.getFileName().toString(), (String) body.get("kind"),
                                (String) map(body.get("metadata")).get("name"), body));
                    }
                }
            }
        }
        assertThat(OBJECTS).extracting(Manifest::kind)
            .contains("CronJob", "Deployment", "ConfigMap", "Secret", "PersistentVolumeClaim");
    }

    @Test
    void noTwoObjectsOfOneKindShareAName() {
        Map<String, String> seen = new HashMap<>();
        for (Manifest object : OBJECTS) {
            assertThat(object.name()).as(object.file() + ": metadata.name").isNotBlank();
            String previous = seen.put(object.kind() + "/" + object.name(), object.file());
            assertThat(previous)
                .as(object.kind() + " " + object.name() + " is defined in " + previous + " and in " + object.file())
                .isNull();
        }
    }

    @Test
    void everyObjectReferredToIsDefinedHere() {
        List<String> references = new ArrayList<>();
        for (Manifest object : OBJECTS) {
            walk(object.body(), (key, value) -> {
                String ref = switch (key) {
                    case "configMap", "configMapRef", "configMapKeyRef" -> "ConfigMap/" + map(value).get("name");
                    case "secretRef", "secretKeyRef" -> "Secret/" + map(value).get("name");
                    case "secret" -> "Secret/" + map(value).get("secretName");
                    case "persistentVolumeClaim" -> "PersistentVolumeClaim/" + map(value).get("claimName");
                    case "serviceAccountName" -> "ServiceAccount/" + value;
                    default -> null;
                };
                if (ref != null) {
                    references.add(ref);
                    assertThat(defined(ref)).as(object.file() + " refers to " + ref + ", which deploy/ does not define")
                        .isNotNull();
                }
                if (key.equals("secretKeyRef") || key.equals("configMapKeyRef")) {
                    Map<String, Object> target = defined(ref).body();
                    assertThat(entries(target)).as(object.file() + ": key of " + ref)
                        .containsKey(String.valueOf(map(value).get("key")));
                }
            });
        }
        // the CronJobs and the workers use them all: a walk that found none would prove
        // nothing
        assertThat(references).contains("ConfigMap/batch-etl-jobs", "Secret/batch-etl",
                "PersistentVolumeClaim/batch-etl-data");
    }

    @Test
    void everyEnvironmentVariableIsOneTheApplicationReads() throws IOException {
        Set<String> read = variablesTheApplicationReads();
        assertThat(read).contains("SPRING_DATASOURCE_URL", "SPRING_DATASOURCE_PASSWORD", "BATCH_ETL_RABBITMQ_HOST",
                "BATCH_ETL_WORKER_CONCURRENCY");
        Set<String> used = new TreeSet<>();
        for (Manifest object : OBJECTS) {
            for (Map<String, Object> container : containers(object)) {
                for (Object env : list(container.get("env"))) {
                    used.add((String) map(env).get("name"));
                }
                for (Object from : list(container.get("envFrom"))) {
                    Map<String, Object> source = map(from);
                    String ref = source.containsKey("secretRef") ? "Secret/" + map(source.get("secretRef")).get("name")
                            : "ConfigMap/" + map(source.get("configMapRef")).get("name");
                    Manifest target = defined(ref);
                    assertThat(target).as(object.file() + ": envFrom " + ref).isNotNull();
                    used.addAll(entries(target.body()).keySet());
                }
            }
        }
        assertThat(used).contains("SPRING_DATASOURCE_URL", "BATCH_ETL_RABBITMQ_HOST");
        for (String name : used) {
            assertThat(read.contains(name) || JVM_VARIABLES.contains(name))
                .as(name + " is set in deploy/, but the application reads no such variable (application.properties)")
                .isTrue();
        }
    }

    @Test
    void oneDatabaseForAll() {
        Set<String> databases = new TreeSet<>();
        for (Manifest object : OBJECTS) {
            walk(object.body(), (key, value) -> {
                if (value instanceof String text && text.contains("jdbc:")) {
                    databases.add(text.strip());
                }
            });
        }
        assertThat(databases).as("database URLs in deploy/").hasSize(1);
        assertThat(databases.iterator().next()).startsWith("jdbc:postgresql://");
    }

    @Test
    void theCronJobsRunTheDefinitionOfJobsFromTheirConfigMapAndWriteToTheSharedVolume() throws IOException {
        Map<String, String> activeByDefinition = new HashMap<>();
        int cronJobs = 0;
        for (Manifest object : OBJECTS) {
            if (!object.kind().equals("CronJob")) {
                continue;
            }
            cronJobs++;
            Map<String, Object> podSpec = podSpec(object);
            for (Map<String, Object> container : containers(object)) {
                String commandLine = String.join(" ", strings(container.get("command"))) + " "
                        + String.join(" ", strings(container.get("args")));
                Matcher definition = DEFINITION_PATH.matcher(commandLine);
                assertThat(definition.find()).as(object.file() + " runs no definition: " + commandLine).isTrue();
                String path = definition.group(1);
                String previous = Boolean.TRUE.equals(map(object.body().get("spec")).get("suspend")) ? null
                        : activeByDefinition.put(path, object.name());
                // two of them would fight over each night's run lock: the second fails
                // with exit 2
                assertThat(previous)
                    .as("CronJobs " + previous + " and " + object.name() + " both run " + path + " (suspend one)")
                    .isNull();

                Map<String, Object> volume = volumeMountedAt(podSpec, container, path);
                assertThat(volume).as(object.file() + ": no volume holds " + path).isNotNull();
                assertThat(volume).as(object.file() + ": " + path + " is not from a ConfigMap")
                    .containsKey("configMap");
                Map<String, String> files = entries(
                        defined("ConfigMap/" + map(volume.get("configMap")).get("name")).body());
                String fileName = Path.of(path).getFileName().toString();
                assertThat(files).as(object.file() + ": the ConfigMap mounted for " + path).containsKey(fileName);
                // the ConfigMap ships the definitions of jobs/ themselves, the source
                // list included
                for (Map.Entry<String, String> file : files.entrySet()) {
                    assertThat(JOBS.resolve(file.getKey())).as("jobs/" + file.getKey()).isRegularFile();
                    assertThat(file.getValue())
                        .as("ConfigMap entry " + file.getKey() + " against jobs/" + file.getKey())
                        .isEqualTo(Files.readString(JOBS.resolve(file.getKey())));
                }
                Properties keys = new Properties();
                keys.load(new java.io.StringReader(files.get(fileName)));
                assertThat(keys.getProperty("sources")).as(fileName + ": sources=").isNotNull();
                assertThat(files).as("the source list of " + fileName + " next to it in the ConfigMap")
                    .containsKey(keys.getProperty("sources"));

                // a ConfigMap is read-only: downloads and results must go to the claim,
                // given on the command line
                Matcher place = KEY_ON_COMMAND_LINE.matcher(commandLine);
                Set<String> given = new HashSet<>();
                while (place.find()) {
                    given.add(place.group(1));
                    Map<String, Object> on = volumeMountedAt(podSpec, container, place.group(2));
                    assertThat(on).as(object.file() + ": " + place.group() + " is on no volume").isNotNull();
                    assertThat(on).as(object.file() + ": " + place.group() + " is not on a PersistentVolumeClaim")
                        .containsKey("persistentVolumeClaim");
                }
                assertThat(given).as(object.file() + ": dir= and output= on the command line")
                    .contains("dir", "output");
            }
        }
        assertThat(cronJobs).isGreaterThanOrEqualTo(2);
        assertThat(activeByDefinition).isNotEmpty();
    }

    @Test
    void theWorkersSeeTheManagersDownloadsAtTheSamePath() {
        Manifest manager = OBJECTS.stream()
            .filter(o -> o.kind().equals("CronJob"))
            .filter(o -> String.valueOf(o.body()).contains("partitioning=remote"))
            .findFirst()
            .orElseThrow();
        Manifest workers = OBJECTS.stream()
            .filter(o -> o.kind().equals("Deployment"))
            .filter(o -> String.valueOf(o.body()).contains("worker"))
            .findFirst()
            .orElseThrow();
        Map<String, Object> managerContainer = containers(manager).get(0);
        String commandLine = String.join(" ", strings(managerContainer.get("args")));
        Matcher dir = Pattern.compile("(?<=\\s)dir=(\\S+)").matcher(commandLine);
        assertThat(dir.find()).isTrue();
        Map<String, Object> managerVolume = volumeMountedAt(podSpec(manager), managerContainer, dir.group(1));
        Map<String, Object> workerVolume = volumeMountedAt(podSpec(workers), containers(workers).get(0), dir.group(1));
        assertThat(workerVolume).as("the workers' volume at " + dir.group(1)).isNotNull();
        assertThat(workerVolume.get("persistentVolumeClaim")).isEqualTo(managerVolume.get("persistentVolumeClaim"));
        // the manager's fetch runs on the workers, which write its downloads there
        assertThat(commandLine).contains("fetch-partitioning=remote");
        assertThat(list(containers(workers).get(0).get("volumeMounts"))).as("the workers' mounts")
            .allSatisfy(mount -> assertThat(map(mount).get("readOnly")).isNotEqualTo(Boolean.TRUE));
    }

    @Test
    void theCronLineAndTheSystemdUnitsNameFilesThatExist() throws IOException {
        Pattern repoFile = Pattern.compile("(?<![\\w/.])jobs/[\\w.-]+");
        List<Path> checked = new ArrayList<>();
        try (Stream<Path> files = Files.list(DEPLOY)) {
            for (Path file : files.filter(f -> {
                String name = f.getFileName().toString();
                return name.equals("crontab") || name.endsWith(".service") || name.endsWith(".timer");
            }).sorted().toList()) {
                String text = Files.readString(file);
                Matcher matcher = repoFile.matcher(text);
                while (matcher.find()) {
                    checked.add(Path.of(matcher.group()));
                    assertThat(Path.of(matcher.group())).as(file.getFileName() + " names " + matcher.group())
                        .isRegularFile();
                }
                String name = file.getFileName().toString();
                if (name.endsWith(".timer")) {
                    Matcher unit = Pattern.compile("(?m)^Unit=(\\S+)").matcher(text);
                    String service = unit.find() ? unit.group(1) : name.replaceAll("\\.timer$", ".service");
                    assertThat(DEPLOY.resolve(service)).as(name + " starts " + service).isRegularFile();
                }
            }
        }
        assertThat(checked).contains(Path.of("jobs/nightly.properties"));
    }

    @Test
    void theReadmeOfDeployListsEveryFile() throws IOException {
        String readme = Files.readString(DEPLOY.resolve("README.md"));
        try (Stream<Path> files = Files.list(DEPLOY)) {
            for (Path file : files.toList()) {
                String name = file.getFileName().toString();
                if (!name.equals("README.md")) {
                    assertThat(readme).as("deploy/README.md on " + name).contains("`" + name + "`");
                }
            }
        }
    }

    // --- support
    // ---------------------------------------------------------------------------------------------

    /**
     * The environment variables the application reads: those of the
     * {@code ${NAME:default}} placeholders of application.properties, and the
     * relaxed-binding form of every property it sets ({@code spring.datasource.url} is
     * {@code SPRING_DATASOURCE_URL}).
     */
    private static Set<String> variablesTheApplicationReads() throws IOException {
        String text = Files.readString(Path.of("src/main/resources/application.properties"));
        Set<String> names = new HashSet<>();
        Matcher placeholder = Pattern.compile("\\$\\{([A-Z][A-Z0-9_]*)[:}]").matcher(text);
        while (placeholder.find()) {
            names.add(placeholder.group(1));
        }
        Properties properties = new Properties();
        properties.load(new java.io.StringReader(text));
        for (String key : properties.stringPropertyNames()) {
            names.add(key.replace("-", "").replace('.', '_').toUpperCase(Locale.ROOT));
        }
        return names;
    }

    private static Manifest defined(String reference) {
        return OBJECTS.stream().filter(o -> (o.kind() + "/" + o.name()).equals(reference)).findFirst().orElse(null);
    }

    /**
     * A ConfigMap's or Secret's entries: data and stringData (a Secret's data decoded).
     */
    private static Map<String, String> entries(Map<String, Object> body) {
        Map<String, String> entries = new LinkedHashMap<>();
        boolean secret = "Secret".equals(body.get("kind"));
        if (body.get("data") != null) {
            map(body.get("data")).forEach((key, value) -> entries.put(key, secret
                    ? new String(java.util.Base64.getDecoder().decode(String.valueOf(value)), StandardCharsets.UTF_8)
                    : String.valueOf(value)));
        }
        if (body.get("stringData") != null) {
            map(body.get("stringData")).forEach((key, value) -> entries.put(key, String.valueOf(value)));
        }
        return entries;
    }

    /** The pod spec of a CronJob or Deployment, null for other kinds. */
    private static Map<String, Object> podSpec(Manifest object) {
        Map<String, Object> spec = map(object.body().get("spec"));
        return switch (object.kind()) {
            case "CronJob" -> map(map(map(map(map(spec.get("jobTemplate")).get("spec")).get("template")).get("spec")));
            case "Deployment", "StatefulSet", "DaemonSet", "Job" -> map(map(spec.get("template")).get("spec"));
            default -> null;
        };
    }

    private static List<Map<String, Object>> containers(Manifest object) {
        Map<String, Object> podSpec = podSpec(object);
        if (podSpec == null) {
            return List.of();
        }
        List<Map<String, Object>> containers = new ArrayList<>();
        for (Object container : list(podSpec.get("containers"))) {
            containers.add(map(container));
        }
        for (Object container : list(podSpec.get("initContainers"))) {
            containers.add(map(container));
        }
        return containers;
    }

    /**
     * The volume of the container's mount that holds {@code path} (the longest mount path
     * that is a prefix).
     */
    private static Map<String, Object> volumeMountedAt(Map<String, Object> podSpec, Map<String, Object> container,
            String path) {
        String volumeName = null;
        int longest = -1;
        for (Object mount : list(container.get("volumeMounts"))) {
            String at = (String) map(mount).get("mountPath");
            if (Path.of(path).startsWith(Path.of(at)) && at.length() > longest) {
                longest = at.length();
                volumeName = (String) map(mount).get("name");
            }
        }
        for (Object volume : list(podSpec.get("volumes"))) {
            if (map(volume).get("name").equals(volumeName)) {
                return map(volume);
            }
        }
        return null;
    }

    /** Calls {@code visitor} with every key and value of every map in the tree. */
    private static void walk(Object node, BiConsumer<String, Object> visitor) {
        if (node instanceof Map<?, ?> map) {
            map.forEach((key, value) -> {
                visitor.accept(String.valueOf(key), value);
                walk(value, visitor);
            });
        }
        else if (node instanceof List<?> list) {
            list.forEach(item -> walk(item, visitor));
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object node) {
        return node == null ? Map.of() : (Map<String, Object>) node;
    }

    private static List<?> list(Object node) {
        return node == null ? List.of() : (List<?>) node;
    }

    private static List<String> strings(Object node) {
        return list(node).stream().map(String::valueOf).toList();
    }

}
