package dev.batchetl.job;

/**
 * The command a person typed to start this application, for the commands that hints print ("continue with: java
 * -jar target/batch-etl.jar restart 4"), so that they can be pasted as they are: the {@code BATCH_ETL_COMMAND}
 * environment variable when a launcher sets it; {@code java -jar JAR} when started from a jar; {@code batch-etl}
 * otherwise.
 */
public final class CommandName {

	private static final String NAME = detect(System.getenv("BATCH_ETL_COMMAND"), System.getProperty("sun.java.command"));

	private CommandName() {
	}

	/** The command, for example {@code java -jar target/batch-etl.jar}. */
	public static String get() {
		return NAME;
	}

	static String detect(String fromLauncher, String javaCommand) {
		if (fromLauncher != null && !fromLauncher.isBlank()) {
			return fromLauncher.strip();
		}
		if (javaCommand != null) {
			// the jar as given on the command line (relative to where it was typed), then the arguments
			var jar = java.util.regex.Pattern.compile("^(.*?\\.jar)(?:\\s|$)").matcher(javaCommand.strip());
			if (jar.find()) {
				String path = jar.group(1);
				return "java -jar " + (path.contains(" ") ? "'" + path + "'" : path);
			}
		}
		return "batch-etl";
	}

}
