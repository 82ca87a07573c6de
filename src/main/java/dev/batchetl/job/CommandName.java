package dev.batchetl.job;

/**
 * The command a person typed to start this application, for the commands that hints print
 * ("continue with: java -jar target/batch-etl.jar restart 4"), so that they can be pasted
 * as they are: the {@code BATCH_ETL_COMMAND} environment variable when a launcher sets
 * it; {@code java -jar JAR} when started from a jar; {@code batch-etl} otherwise.
 */
public final class CommandName {

    private static final String NAME = detect(System.getenv("BATCH_ETL_COMMAND"),
            System.getProperty("sun.java.command"));

    private CommandName() {
    }

    /** The command, for example {@code java -jar target/batch-etl.jar}. */
    public static String get() {
        return NAME;
    }

    /**
     * Whether the jar is this application's (its manifest starts
     * {@code BatchEtlApplication}), not a jar that started it some other way, such as a
     * test runner's.
     */
    static boolean isThisApplication(String jar) {
        try (java.util.jar.JarFile file = new java.util.jar.JarFile(jar)) {
            java.util.jar.Manifest manifest = file.getManifest();
            if (manifest == null) {
                return false;
            }
            java.util.jar.Attributes main = manifest.getMainAttributes();
            return APPLICATION.equals(main.getValue("Start-Class")) || APPLICATION.equals(main.getValue("Main-Class"));
        }
        catch (java.io.IOException | SecurityException ex) {
            return false;
        }
    }

    private static final String APPLICATION = "dev.batchetl.BatchEtlApplication";

    static String detect(String fromLauncher, String javaCommand) {
        if (fromLauncher != null && !fromLauncher.isBlank()) {
            return fromLauncher.strip();
        }
        if (javaCommand != null) {
            // the jar as given on the command line (relative to where it was typed), then
            // the arguments
            var jar = java.util.regex.Pattern.compile("^(.*?\\.jar)(?:\\s|$)").matcher(javaCommand.strip());
            if (jar.find() && isThisApplication(jar.group(1))) {
                String path = jar.group(1);
                return "java -jar " + (path.contains(" ") ? "'" + path + "'" : path);
            }
        }
        return "batch-etl";
    }

}
