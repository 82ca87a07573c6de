package dev.batchetl.fetch;

import java.io.IOException;
import java.io.Reader;
import java.io.StringWriter;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Properties;

/**
 * The durable record of a finished download, written and forced to disk before its part file is renamed into place:
 * {@code "." + name + ".done"}, a UTF-8 properties file with {@code version} (1), {@code claim} (who downloaded it:
 * the job instance and line), {@code uri}, {@code length}, {@code sha256} and the response's {@code httpStatus},
 * {@code etag} and {@code lastModified}. It stays until the job repository holds the download's result; a process
 * killed in between leaves it, and the next attempt of the same claim takes the file over without a request when the
 * file still has that length and checksum.
 */
record Completion(long length, String sha256, Integer httpStatus, String etag, String lastModified) {

	private static final String VERSION = "1";

	/** The completion record of {@code target}. */
	static Path of(Path target) {
		return target.resolveSibling("." + target.getFileName() + ".done");
	}

	/** Writes the record and forces it to disk: a download is not renamed into place before its record is durable. */
	static void write(Path record, String claim, URI uri, Completion completion) throws IOException {
		Properties props = new Properties();
		props.setProperty("version", VERSION);
		props.setProperty("claim", claim);
		props.setProperty("uri", uri.toString());
		props.setProperty("length", Long.toString(completion.length()));
		props.setProperty("sha256", completion.sha256());
		if (completion.httpStatus() != null) {
			props.setProperty("httpStatus", completion.httpStatus().toString());
		}
		if (completion.etag() != null) {
			props.setProperty("etag", completion.etag());
		}
		if (completion.lastModified() != null) {
			props.setProperty("lastModified", completion.lastModified());
		}
		StringWriter text = new StringWriter();
		props.store(text, "finished download of " + uri);
		ByteBuffer data = ByteBuffer.wrap(text.toString().getBytes(StandardCharsets.UTF_8));
		try (FileChannel out = FileChannel.open(record, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
				StandardOpenOption.WRITE)) {
			while (data.hasRemaining()) {
				out.write(data);
			}
			out.force(true);
		}
	}

	/**
	 * The download of {@code uri} for {@code claim} that a killed process finished into {@code target}, when its record
	 * says so and the file still has the recorded length and SHA-256; null otherwise (a record that does not match is
	 * removed).
	 */
	static Completion adopt(Path target, String claim, URI uri) {
		Path record = of(target);
		if (claim == null || !Files.isRegularFile(record)) {
			return null;
		}
		Properties props = new Properties();
		try (Reader reader = Files.newBufferedReader(record, StandardCharsets.UTF_8)) {
			props.load(reader);
			if (VERSION.equals(props.getProperty("version")) && claim.equals(props.getProperty("claim"))
					&& uri.toString().equals(props.getProperty("uri")) && Files.isRegularFile(target)) {
				long length = Long.parseLong(props.getProperty("length", ""));
				String sha256 = props.getProperty("sha256", "");
				if (Files.size(target) == length && sha256.equals(Downloader.sha256Of(target))) {
					String status = props.getProperty("httpStatus");
					return new Completion(length, sha256, status == null ? null : Integer.valueOf(status),
							props.getProperty("etag"), props.getProperty("lastModified"));
				}
			}
		}
		catch (IOException | IllegalArgumentException ex) {
			// unreadable or malformed: the source is fetched as if there were none
		}
		Downloader.deleteQuietly(record);
		return null;
	}

}
