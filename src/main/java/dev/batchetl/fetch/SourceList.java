package dev.batchetl.fetch;

import java.io.BufferedReader;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.regex.Pattern;

/**
 * Reads a source list: a UTF-8 text file with one source per line.
 *
 * <pre>
 * # comment lines and blank lines are ignored
 * https://example.org/data/2024.csv   sha256=9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08
 * http://example.org/other.csv        # a trailing comment after whitespace is ignored too
 * file:local/extra.csv                # relative to the folder of the list file
 * file:///srv/shared/big.csv
 * </pre>
 *
 * Schemes: {@code http}, {@code https} and {@code file} ({@code file:relative/path},
 * {@code file:/abs/path}, {@code file:///abs/path}). The only token allowed after the URL
 * is {@code sha256=HEX} (64 hex digits). Anything else raises a
 * {@link SourceListException} naming file and line. A URL seen before is ignored (the
 * first occurrence wins).
 */
public final class SourceList {

    private static final Pattern WHITESPACE = Pattern.compile("\\s+");

    private static final Pattern SHA256 = Pattern.compile("[0-9a-fA-F]{64}");

    private static final String SHA256_PREFIX = "sha256=";

    private SourceList() {
    }

    /**
     * Reads and validates {@code file}; returns the sources in file order without
     * duplicates.
     */
    public static List<Source> read(Path file) {
        List<Source> sources = new ArrayList<>();
        read(file, sources::add);
        return List.copyOf(sources);
    }

    /**
     * Reads and validates {@code file}, handing each source to {@code each} in file order
     * without duplicates, as it is read: what it keeps of a list is a fingerprint of each
     * URL ({@link Fingerprints}), not the sources.
     * @return how many sources it handed over
     */
    public static int read(Path file, Consumer<Source> each) {
        Objects.requireNonNull(file, "file");
        Path folder = file.toAbsolutePath().normalize().getParent();
        Fingerprints seen = new Fingerprints();
        int count = 0;
        int lineNo = 0;
        try (BufferedReader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String line;
            while ((line = reader.readLine()) != null) {
                lineNo++;
                if (lineNo == 1 && line.startsWith("\uFEFF")) {
                    line = line.substring(1);
                }
                Source source = parseLine(file, folder, lineNo, line);
                if (source != null && seen.add(identity(source.uri()))) {
                    each.accept(source);
                    count++;
                }
            }
        }
        catch (NoSuchFileException e) {
            throw new SourceListException(file, 0, "no such file", e);
        }
        catch (CharacterCodingException e) {
            throw new SourceListException(file, lineNo + 1, "not valid UTF-8 text", e);
        }
        catch (IOException e) {
            throw new SourceListException(file, 0, "cannot read: " + e, e);
        }
        return count;
    }

    /**
     * The URI as a text that two URIs share exactly when {@link URI#equals} holds for
     * them: scheme and host in lower case, percent escapes in upper case.
     */
    static String identity(URI uri) {
        String scheme = uri.getScheme().toLowerCase(Locale.ROOT);
        StringBuilder text = new StringBuilder(scheme).append(':');
        if (uri.isOpaque() || uri.getHost() == null) {
            text.append(uri.getRawSchemeSpecificPart());
        }
        else {
            text.append("//");
            if (uri.getRawUserInfo() != null) {
                text.append(uri.getRawUserInfo()).append('@');
            }
            text.append(uri.getHost().toLowerCase(Locale.ROOT));
            if (uri.getPort() != -1) {
                text.append(':').append(uri.getPort());
            }
            text.append(uri.getRawPath() == null ? "" : uri.getRawPath());
            if (uri.getRawQuery() != null) {
                text.append('?').append(uri.getRawQuery());
            }
        }
        if (uri.getRawFragment() != null) {
            text.append('#').append(uri.getRawFragment());
        }
        return PERCENT_ESCAPE.matcher(text).replaceAll(escape -> escape.group().toUpperCase(Locale.ROOT));
    }

    private static final Pattern PERCENT_ESCAPE = Pattern.compile("%[0-9a-fA-F]{2}");

    private static Source parseLine(Path file, Path folder, int lineNo, String rawLine) {
        String line = stripComment(rawLine).strip();
        if (line.isEmpty()) {
            return null;
        }
        String[] tokens = WHITESPACE.split(line);
        URI uri = parseUri(file, folder, lineNo, tokens[0]);
        String sha256 = null;
        for (int i = 1; i < tokens.length; i++) {
            String token = tokens[i];
            if (token.regionMatches(true, 0, SHA256_PREFIX, 0, SHA256_PREFIX.length())) {
                String hex = token.substring(SHA256_PREFIX.length());
                if (!SHA256.matcher(hex).matches()) {
                    throw new SourceListException(file, lineNo,
                            "invalid sha256 (expected 64 hex digits): '" + token + "'");
                }
                if (sha256 != null) {
                    throw new SourceListException(file, lineNo, "sha256 given twice");
                }
                sha256 = hex.toLowerCase(Locale.ROOT);
            }
            else {
                throw new SourceListException(file, lineNo,
                        "unexpected token '" + token + "' (only sha256=HEX may follow the URL)");
            }
        }
        return new Source(lineNo, uri, sha256);
    }

    /**
     * Drops a whole-line comment, or a trailing comment: a '#' at the start or after
     * whitespace.
     */
    private static String stripComment(String line) {
        for (int i = 0; i < line.length(); i++) {
            if (line.charAt(i) == '#' && (i == 0 || Character.isWhitespace(line.charAt(i - 1)))) {
                return line.substring(0, i);
            }
        }
        return line;
    }

    private static URI parseUri(Path file, Path folder, int lineNo, String text) {
        URI uri;
        try {
            uri = new URI(text);
        }
        catch (URISyntaxException e) {
            throw new SourceListException(file, lineNo, "invalid URL '" + text + "': " + e.getReason(), e);
        }
        String scheme = uri.getScheme();
        if (scheme == null) {
            throw new SourceListException(file, lineNo, "not a URL (expected http:, https: or file:): '" + text + "'");
        }
        switch (scheme.toLowerCase(Locale.ROOT)) {
            case "http", "https" -> {
                if (uri.isOpaque() || uri.getHost() == null || uri.getHost().isEmpty()) {
                    throw new SourceListException(file, lineNo, "URL without host: '" + text + "'");
                }
                if (uri.getRawUserInfo() != null) {
                    throw new SourceListException(file, lineNo, "URL with user info is not supported: '" + text + "'");
                }
                return uri.normalize();
            }
            case "file" -> {
                return fileUri(file, folder, lineNo, text, uri);
            }
            default -> throw new SourceListException(file, lineNo,
                    "unsupported scheme '" + scheme + "' (expected http, https or file): '" + text + "'");
        }
    }

    private static URI fileUri(Path file, Path folder, int lineNo, String text, URI uri) {
        if (uri.getRawQuery() != null || uri.getRawFragment() != null) {
            throw new SourceListException(file, lineNo, "file: URL with query or fragment: '" + text + "'");
        }
        if (uri.getRawAuthority() != null && !uri.getRawAuthority().isEmpty()
                && !uri.getRawAuthority().equalsIgnoreCase("localhost")) {
            throw new SourceListException(file, lineNo, "file: URL with a host is not supported: '" + text + "'");
        }
        String pathText = uri.isOpaque() ? uri.getSchemeSpecificPart() : uri.getPath();
        if (pathText == null || pathText.isEmpty()) {
            throw new SourceListException(file, lineNo, "file: URL without path: '" + text + "'");
        }
        try {
            Path path = uri.isOpaque() ? folder.resolve(pathText) : Path.of(pathText);
            if (!path.isAbsolute()) {
                path = folder.resolve(path);
            }
            return path.normalize().toUri();
        }
        catch (InvalidPathException e) {
            throw new SourceListException(file, lineNo, "invalid file path '" + pathText + "': " + e.getReason(), e);
        }
    }

}
