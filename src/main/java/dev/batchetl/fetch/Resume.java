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
import java.util.OptionalLong;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What resuming a part file needs. It lives in a sidecar next to the part file, {@code "." + name +
 * ".part.meta"}, a UTF-8 properties file with {@code version} (1), {@code uri} (the source),
 * {@code etag} and/or {@code lastModified} (the 200 response's validators) and {@code length} (its
 * Content-Length). The sidecar is written and forced to disk while the part file is still empty, before any
 * body byte, so a sidecar never describes bytes of another response.
 *
 * @param offset       bytes already in the part file, where the Range request starts
 * @param length       length of the whole body
 * @param etag         the ETag of the response the part file holds the start of, or null
 * @param lastModified its Last-Modified, or null
 */
record Resume(long offset, long length, String etag, String lastModified) {

    private static final String VERSION = "1";
    private static final Pattern CONTENT_RANGE = Pattern.compile(
            "\\s*bytes\\s+(\\d{1,18})-(\\d{1,18})/(\\d{1,18})\\s*", Pattern.CASE_INSENSITIVE);

    /** The If-Range value: a strong ETag, else Last-Modified, else null (no safe resume). */
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

    /** The resume of {@code part} from {@code uri}, or null when there is nothing that can be resumed safely. */
    static Resume load(Path part, Path meta, URI uri) {
        if (!Files.isRegularFile(meta) || !Files.isRegularFile(part)) {
            return null;
        }
        Properties props = new Properties();
        long offset;
        try (Reader reader = Files.newBufferedReader(meta, StandardCharsets.UTF_8)) {
            props.load(reader);
            offset = Files.size(part);
        } catch (IOException | IllegalArgumentException e) {
            return null;
        }
        if (!VERSION.equals(props.getProperty("version")) || !uri.toString().equals(props.getProperty("uri"))) {
            return null;
        }
        long length;
        try {
            length = Long.parseLong(props.getProperty("length", ""));
        } catch (NumberFormatException e) {
            return null;
        }
        Resume resume = new Resume(offset, length, props.getProperty("etag"), props.getProperty("lastModified"));
        if (offset <= 0 || offset >= length || resume.validator() == null) {
            return null;
        }
        return resume;
    }

    /** Writes the sidecar and forces it to disk; without it the download simply cannot be resumed later. */
    static void write(Path meta, URI uri, String etag, String lastModified, long length) {
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
        StringWriter text = new StringWriter();
        try {
            props.store(text, "resume data of " + meta.getFileName().toString().replaceFirst("\\.meta$", ""));
        } catch (IOException e) {
            throw new IllegalStateException(e); // a StringWriter does not fail
        }
        ByteBuffer data = ByteBuffer.wrap(text.toString().getBytes(StandardCharsets.UTF_8));
        try (FileChannel out = FileChannel.open(meta, StandardOpenOption.CREATE,
                StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE)) {
            while (data.hasRemaining()) {
                out.write(data);
            }
            out.force(true);
        } catch (IOException e) {
            Downloader.deleteQuietly(meta);
        }
    }

    /** True when a 206 continues exactly this part: from {@code offset} to the end of a body of {@code length}. */
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
        } catch (NumberFormatException e) {
            return false;
        }
        if (start != offset || total != length || end != total - 1) {
            return false;
        }
        OptionalLong declared = Downloader.contentLength(headers);
        return declared.isEmpty() || declared.getAsLong() == total - offset;
    }
}
