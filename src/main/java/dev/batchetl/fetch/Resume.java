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
import java.util.OptionalLong;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What resuming a part file needs: UTF-8 properties with {@code version} (1), {@code uri}
 * (the source), {@code etag} and/or {@code lastModified} (the 200 response's validators)
 * and {@code length} (its Content-Length). They are recorded before any body byte, so
 * that they never describe bytes of another response:
 * <ul>
 * <li>as an extended attribute of the part file itself ({@code user.batch-etl.resume}),
 * set on a part file just created for this response: the record belongs to the inode that
 * holds this response's bytes and no other, so it needs no force of its own (the part
 * file's forces make it durable with the bytes it describes);</li>
 * <li>where the file system holds no such attribute, in a sidecar next to the part file,
 * {@code "." + name +
 *       ".part.meta"}, written and forced to disk while the part file is still empty
 * (forced too).</li>
 * </ul>
 *
 * @param offset bytes already in the part file, where the Range request starts
 * @param length length of the whole body
 * @param etag the ETag of the response the part file holds the start of, or null
 * @param lastModified its Last-Modified, or null
 */
record Resume(long offset, long length, String etag, String lastModified) {

    private static final String VERSION = "1";

    /** The part file's extended attribute ({@code user.} + this on Linux). */
    static final String ATTRIBUTE = "batch-etl.resume";

    private static final Pattern CONTENT_RANGE = Pattern.compile("\\s*bytes\\s+(\\d{1,18})-(\\d{1,18})/(\\d{1,18})\\s*",
            Pattern.CASE_INSENSITIVE);

    /**
     * The If-Range value: a strong ETag, else Last-Modified, else null (no safe resume).
     */
    static String validator(String etag, String lastModified) {
        if (etag != null && !etag.isBlank() && !etag.strip().startsWith("W/")) {
            return etag.strip();
        }
        if (lastModified != null && !lastModified.isBlank()) {
            return lastModified.strip();
        }
        return null;
    }

    String validator() {
        return validator(etag, lastModified);
    }

    /**
     * The sidecar of a part file: its resume data where the file system holds no
     * attribute.
     */
    static Path sidecar(Path part) {
        return part.resolveSibling(part.getFileName() + ".meta");
    }

    /**
     * The resume of {@code part} from {@code uri}, or null when there is nothing that can
     * be resumed safely. The part file's attribute is read first, then its sidecar
     * {@code meta}.
     */
    static Resume load(Path part, Path meta, URI uri) {
        if (!Files.isRegularFile(part)) {
            return null;
        }
        Properties props = new Properties();
        long offset;
        try {
            byte[] attribute = UserAttributes.read(part, ATTRIBUTE);
            if (attribute != null) {
                props.load(new StringReader(new String(attribute, StandardCharsets.UTF_8)));
            }
            else if (Files.isRegularFile(meta)) {
                try (Reader reader = Files.newBufferedReader(meta, StandardCharsets.UTF_8)) {
                    props.load(reader);
                }
            }
            else {
                return null;
            }
            offset = Files.size(part);
        }
        catch (IOException | IllegalArgumentException e) {
            return null;
        }
        if (!VERSION.equals(props.getProperty("version")) || !uri.toString().equals(props.getProperty("uri"))) {
            return null;
        }
        long length;
        try {
            length = Long.parseLong(props.getProperty("length", ""));
        }
        catch (NumberFormatException e) {
            return null;
        }
        Resume resume = new Resume(offset, length, props.getProperty("etag"), props.getProperty("lastModified"));
        if (offset <= 0 || offset >= length || resume.validator() == null) {
            return null;
        }
        return resume;
    }

    /**
     * Records the resume data as an attribute of {@code part}, which must have been
     * created for this response (it holds no byte of another); false when the file system
     * holds no such attribute (then {@link #write} the sidecar instead).
     */
    static boolean attach(Path part, URI uri, String etag, String lastModified, long length) {
        return UserAttributes.write(part, ATTRIBUTE, text(uri, etag, lastModified, length, part));
    }

    /**
     * Writes the sidecar and forces it to disk; without it the download simply cannot be
     * resumed later.
     */
    static void write(Path meta, URI uri, String etag, String lastModified, long length) {
        Path part = meta.resolveSibling(meta.getFileName().toString().replaceFirst("\\.meta$", ""));
        ByteBuffer data = ByteBuffer.wrap(text(uri, etag, lastModified, length, part));
        try (FileChannel out = FileChannel.open(meta, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
                StandardOpenOption.WRITE)) {
            while (data.hasRemaining()) {
                out.write(data);
            }
            out.force(true);
        }
        catch (IOException e) {
            PartFile.deleteQuietly(meta);
        }
    }

    /**
     * Whether {@code part} has resume data (its attribute or its sidecar), usable or not.
     */
    static boolean kept(Path part, Path meta) {
        return Files.isRegularFile(meta) || (Files.isRegularFile(part) && UserAttributes.read(part, ATTRIBUTE) != null);
    }

    /**
     * Drops the resume data of {@code part}, attribute and sidecar: the part file can no
     * longer be resumed.
     */
    static void discard(Path part, Path meta) {
        PartFile.deleteQuietly(meta);
        detach(part);
    }

    /**
     * Removes the attribute from a part file that is complete (it is not to go with the
     * file into place).
     */
    static void detach(Path part) {
        UserAttributes.remove(part, ATTRIBUTE);
    }

    private static byte[] text(URI uri, String etag, String lastModified, long length, Path part) {
        Properties props = new Properties();
        props.setProperty("version", VERSION);
        props.setProperty("uri", uri.toString());
        if (etag != null) {
            props.setProperty("etag", etag);
        }
        if (lastModified != null) {
            props.setProperty("lastModified", lastModified);
        }
        props.setProperty("length", Long.toString(length));
        return PropertiesText.of(props, "resume data of " + part.getFileName());
    }

    /**
     * True when a 206 continues exactly this part: from {@code offset} to the end of a
     * body of {@code length}.
     */
    boolean fits(HttpTransport.Exchange headers) {
        Matcher m = CONTENT_RANGE.matcher(headers.firstValue("Content-Range").orElse(""));
        if (!m.matches()) {
            return false;
        }
        long start;
        long end;
        long total;
        try {
            start = Long.parseLong(m.group(1));
            end = Long.parseLong(m.group(2));
            total = Long.parseLong(m.group(3));
        }
        catch (NumberFormatException e) {
            return false;
        }
        if (start != offset || total != length || end != total - 1) {
            return false;
        }
        OptionalLong declared = HttpDownload.contentLength(headers);
        return declared.isEmpty() || declared.getAsLong() == total - offset;
    }
}
