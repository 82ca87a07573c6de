package dev.batchetl.job;

import java.nio.charset.Charset;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Every key a job definition or the command line may set. The canonical value of each key becomes a job parameter of
 * the same name; paths are stored absolute so that a restart from another folder reads the same files.
 */
public enum EtlKey {

	SOURCES("sources", Kind.EXISTING_FILE, null, "file listing one source (http, https, file URL) per line"),
	DIR("dir", Kind.PATH, "data", "download folder; statistics cover every *.csv and *.csv.gz under it"),
	OUTPUT("output", Kind.PATH, "results.csv", "where results.csv is written (a file path, or an existing folder)"),
	THREADS("threads", Kind.POSITIVE_INT, "8", "concurrent downloads", 1024),
	PARTITIONS("partitions", Kind.POSITIVE_INT, String.valueOf(Runtime.getRuntime().availableProcessors()),
			"statistics partitions run in parallel", 1024),
	RUN("run", Kind.RUN_KEY, null, "run key; with the definition it identifies the job instance"),
	FETCH_ATTEMPTS("fetch-attempts", Kind.POSITIVE_INT, "3", "attempts per source on transient failures", 100),
	CONNECT_TIMEOUT("connect-timeout", Kind.DURATION, "10s", "connect timeout per source"),
	TIMEOUT("timeout", Kind.DURATION, "5m", "time limit of one download attempt"),
	DELIMITER("delimiter", Kind.CHAR, ",", "CSV field delimiter (tab: \\t)"),
	QUOTE("quote", Kind.CHAR, "\"", "CSV quote character"),
	ESCAPE("escape", Kind.CHAR_OR_NONE, "none", "CSV escape character, or none"),
	HEADER("header", Kind.BOOLEAN, "true", "whether the first row holds the column names"),
	ENCODING("encoding", Kind.CHARSET, "UTF-8", "encoding of the CSV files"),
	BAD_ROWS("bad-rows", Kind.BAD_ROW_POLICY, "skip", "skip: record bad rows and go on; fail-file: fail the file"),
	SPLIT_SIZE("split-size", Kind.SIZE, "64MB", "a CSV file larger than this is split into several partitions"),
	COMMIT_ROWS("commit-rows", Kind.POSITIVE_INT, "50000", "rows per statistics checkpoint (chunk commit)",
			100_000_000),
	NA_VALUES("na-values", Kind.NA_LIST, "pandas",
			"comma-separated field values read as null; pandas = pandas' defaults, an empty item = the empty field,"
					+ " none = no null values"),
	INVALID_BYTES("invalid-bytes", Kind.INVALID_BYTE_POLICY, "fail-file",
			"bytes invalid in the encoding: fail-file, or replace (with U+FFFD) and count");

	private static final Pattern RUN_KEY = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:+-]{0,99}");

	private static final Pattern SIZE = Pattern.compile("(\\d+)\\s*(B|KB|MB|GB|K|M|G)?", Pattern.CASE_INSENSITIVE);

	private static final Pattern DURATION = Pattern.compile("(\\d+)\\s*(ms|s|m|h)?");

	private final String key;

	private final Kind kind;

	private final String defaultValue;

	private final String description;

	private final int max;

	EtlKey(String key, Kind kind, String defaultValue, String description) {
		this(key, kind, defaultValue, description, Integer.MAX_VALUE);
	}

	EtlKey(String key, Kind kind, String defaultValue, String description, int max) {
		this.key = key;
		this.kind = kind;
		this.defaultValue = defaultValue;
		this.description = description;
		this.max = max;
	}

	public String key() {
		return this.key;
	}

	public String defaultValue() {
		return this.defaultValue;
	}

	public String description() {
		return this.description;
	}

	public static Optional<EtlKey> of(String key) {
		return Arrays.stream(values()).filter(k -> k.key.equals(key)).findFirst();
	}

	/**
	 * Checks a raw value and returns its canonical form.
	 * @param raw the value as written
	 * @param base the folder a relative path is resolved against
	 * @throws IllegalArgumentException with a one-line reason
	 */
	public String canonical(String raw, Path base) {
		String value = raw.strip();
		switch (this.kind) {
			case PATH:
				requireNonEmpty(value);
				return base.resolve(value).toAbsolutePath().normalize().toString();
			case EXISTING_FILE: {
				requireNonEmpty(value);
				Path path = base.resolve(value).toAbsolutePath().normalize();
				if (!Files.isRegularFile(path)) {
					throw new IllegalArgumentException("no such file: " + path);
				}
				if (!Files.isReadable(path)) {
					throw new IllegalArgumentException("cannot read " + path);
				}
				return path.toString();
			}
			case POSITIVE_INT:
				try {
					int n = Integer.parseInt(value);
					if (n < 1 || n > this.max) {
						throw new NumberFormatException();
					}
					return Integer.toString(n);
				}
				catch (NumberFormatException ex) {
					throw new IllegalArgumentException(
							"expected a whole number from 1 to " + this.max + ", got '" + raw + "'");
				}
			case RUN_KEY:
				if (!RUN_KEY.matcher(value).matches()) {
					throw new IllegalArgumentException("expected 1 to 100 of A-Z a-z 0-9 . _ : + - (starting with a letter"
							+ " or digit), got '" + raw + "'");
				}
				return value;
			case DURATION:
				return Long.toString(parseDuration(value, raw).toMillis()) + "ms";
			case CHAR:
				return Character.toString(parseChar(raw));
			case CHAR_OR_NONE:
				return value.equalsIgnoreCase("none") ? "none" : Character.toString(parseChar(raw));
			case BOOLEAN:
				if (value.equalsIgnoreCase("true") || value.equalsIgnoreCase("yes")) {
					return "true";
				}
				if (value.equalsIgnoreCase("false") || value.equalsIgnoreCase("no")) {
					return "false";
				}
				throw new IllegalArgumentException("expected true or false, got '" + raw + "'");
			case CHARSET:
				try {
					return Charset.forName(value).name();
				}
				catch (RuntimeException ex) {
					throw new IllegalArgumentException("unknown encoding '" + raw + "'");
				}
			case BAD_ROW_POLICY:
				if (value.equals("skip") || value.equals("fail-file")) {
					return value;
				}
				throw new IllegalArgumentException("expected skip or fail-file, got '" + raw + "'");
			case SIZE:
				return Long.toString(parseSize(value, raw));
			case NA_LIST:
				return raw;
			case INVALID_BYTE_POLICY:
				if (value.equals("fail-file") || value.equals("replace")) {
					return value;
				}
				throw new IllegalArgumentException("expected fail-file or replace, got '" + raw + "'");
			default:
				throw new IllegalStateException(this.kind.name());
		}
	}

	private static void requireNonEmpty(String value) {
		if (value.isEmpty()) {
			throw new IllegalArgumentException("expected a path, got nothing");
		}
	}

	/** Parses a canonical or written duration: 500ms, 10s, 5m, 1h (a bare number is seconds). */
	public static Duration parseDuration(String value, String raw) {
		var matcher = DURATION.matcher(value.toLowerCase(Locale.ROOT));
		if (!matcher.matches()) {
			throw new IllegalArgumentException("expected a duration such as 500ms, 10s, 5m or 1h, got '" + raw + "'");
		}
		long n = Long.parseLong(matcher.group(1));
		String unit = matcher.group(2) == null ? "s" : matcher.group(2);
		Duration duration = switch (unit) {
			case "ms" -> Duration.ofMillis(n);
			case "m" -> Duration.ofMinutes(n);
			case "h" -> Duration.ofHours(n);
			default -> Duration.ofSeconds(n);
		};
		if (duration.isZero()) {
			throw new IllegalArgumentException("expected a duration above zero, got '" + raw + "'");
		}
		return duration;
	}

	private static long parseSize(String value, String raw) {
		var matcher = SIZE.matcher(value);
		if (!matcher.matches()) {
			throw new IllegalArgumentException("expected a size such as 64MB, 512KB or 1GB, got '" + raw + "'");
		}
		long n = Long.parseLong(matcher.group(1));
		String unit = matcher.group(2) == null ? "B" : matcher.group(2).toUpperCase(Locale.ROOT);
		long factor = switch (unit) {
			case "K", "KB" -> 1L << 10;
			case "M", "MB" -> 1L << 20;
			case "G", "GB" -> 1L << 30;
			default -> 1L;
		};
		if (n < 1) {
			throw new IllegalArgumentException("expected a size above zero, got '" + raw + "'");
		}
		return Math.multiplyExact(n, factor);
	}

	private static char parseChar(String raw) {
		String value = raw.equals("\\t") || raw.equalsIgnoreCase("tab") ? "\t" : raw;
		if (value.length() != 1 || value.charAt(0) == '\n' || value.charAt(0) == '\r') {
			throw new IllegalArgumentException("expected a single character, got '" + raw + "'");
		}
		return value.charAt(0);
	}

	private enum Kind {

		PATH, EXISTING_FILE, POSITIVE_INT, RUN_KEY, DURATION, CHAR, CHAR_OR_NONE, BOOLEAN, CHARSET, BAD_ROW_POLICY, SIZE,
		NA_LIST, INVALID_BYTE_POLICY

	}

}
