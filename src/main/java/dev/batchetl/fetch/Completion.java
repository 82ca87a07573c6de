package dev.batchetl.fetch;

import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Properties;

/**
 * The durable record of a finished download, made durable before its part file is renamed
 * into place: UTF-8 properties with {@code version} (1), {@code claim} (who downloaded
 * it: the job instance and line), {@code uri}, {@code length}, {@code sha256} and the
 * response's {@code httpStatus}, {@code etag} and {@code lastModified}. It is an extended
 * attribute of the part file ({@code user.batch-etl.done}), set before the part file's
 * last force, which makes it durable with the bytes in one force and takes it along
 * through the rename; where the file system holds no such attribute, a file
 * {@code "." + name + ".done"} next to the target, forced to disk before the rename. It
 * stays until the job repository holds the download's result; a process killed in between
 * leaves it, and the next attempt of the same claim takes the file over without a request
 * when the file still has that length and checksum.
 */
record Completion(long length, String sha256, Integer httpStatus, String etag, String lastModified) {

    private static final String VERSION = "1";

    /**
     * The attribute of the part file, and then of the target ({@code user.} + this on
     * Linux).
     */
    static final String ATTRIBUTE = "batch-etl.done";

    /**
     * The completion record of {@code target} where the file system holds no attribute: a
     * file beside it.
     */
    static Path of(Path target) {
        return target.resolveSibling("." + target.getFileName() + ".done");
    }

    /** Whether {@code target} has a completion record, as an attribute or as a file. */
    static boolean recorded(Path target) {
        return Files.exists(of(target))
                || (Files.isRegularFile(target) && UserAttributes.read(target, ATTRIBUTE) != null);
    }

    /**
     * Records the completion as an attribute of the complete part file, before its last
     * force; false when the file system holds no such attribute (then {@link #write} the
     * file instead).
     */
    static boolean attach(Path part, String claim, URI uri, Completion completion) {
        return UserAttributes.write(part, ATTRIBUTE, text(claim, uri, completion));
    }

    /**
     * Writes the record and forces it to disk: a download is not renamed into place
     * before its record is durable.
     */
    static void write(Path record, String claim, URI uri, Completion completion) throws IOException {
        ByteBuffer data = ByteBuffer.wrap(text(claim, uri, completion));
        try (FileChannel out = FileChannel.open(record, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
                StandardOpenOption.WRITE)) {
            while (data.hasRemaining()) {
                out.write(data);
            }
            out.force(true);
        }
    }

    /** The job repository holds the result: the record goes (attribute and file). */
    static void settle(Path target) {
        PartFile.deleteQuietly(of(target));
        UserAttributes.remove(target, ATTRIBUTE);
    }

    private static byte[] text(String claim, URI uri, Completion completion) {
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
        return PropertiesText.of(props, "finished download of " + uri);
    }

    /**
     * The download of {@code uri} for {@code claim} that a killed process finished into
     * {@code target}, when its record (the target's attribute, else the file beside it)
     * says so and the file still has the recorded length and SHA-256; null otherwise (a
     * record that does not match is removed).
     */
    static Completion adopt(Path target, String claim, URI uri) {
        Path record = of(target);
        if (claim == null || !Files.isRegularFile(target)) {
            if (claim != null) {
                PartFile.deleteQuietly(record);
            }
            return null;
        }
        byte[] attribute = UserAttributes.read(target, ATTRIBUTE);
        if (attribute == null && !Files.isRegularFile(record)) {
            return null;
        }
        Properties props = new Properties();
        try (Reader reader = attribute != null ? new StringReader(new String(attribute, StandardCharsets.UTF_8))
                : Files.newBufferedReader(record, StandardCharsets.UTF_8)) {
            props.load(reader);
            if (VERSION.equals(props.getProperty("version")) && claim.equals(props.getProperty("claim"))
                    && uri.toString().equals(props.getProperty("uri")) && Files.isRegularFile(target)) {
                long length = Long.parseLong(props.getProperty("length", ""));
                String sha256 = props.getProperty("sha256", "");
                if (Files.size(target) == length && sha256.equals(Sha256.of(target))) {
                    String status = props.getProperty("httpStatus");
                    return new Completion(length, sha256, status == null ? null : Integer.valueOf(status),
                            props.getProperty("etag"), props.getProperty("lastModified"));
                }
            }
        }
        catch (IOException | IllegalArgumentException ex) {
            // unreadable or malformed: the source is fetched as if there were none
        }
        settle(target);
        return null;
    }

}
