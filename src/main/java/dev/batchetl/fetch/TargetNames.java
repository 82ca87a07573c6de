package dev.batchetl.fetch;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * Derives one safe, unique, relative file name per URI.
 *
 * <ul>
 * <li>The base name is the last path segment (a path ending in {@code '/'} names a folder
 * and has none), percent-decoded, with every character outside {@code [A-Za-z0-9._-]}
 * replaced by {@code '_'}; leading dots become {@code '_'} too, so a name is never hidden
 * and never {@code "."} or {@code ".."}. Names are at most {@value #MAX_LENGTH}
 * characters, the extension is kept when shortening.</li>
 * <li>A URI without a usable base name ({@code http://host/}, {@code http://host/dir/}, a
 * final segment of only dots) is named {@code "<host>-index"}.</li>
 * <li>A name without an extension gets {@value #DEFAULT_EXTENSION}: every source feeds
 * the CSV statistics, which read {@code *.csv} files
 * ({@code http://host/export?format=csv -> export.csv}).</li>
 * <li>Query and fragment are ignored for the name.</li>
 * <li>When a name is already taken (compared case-insensitively), the later URI gets
 * {@code "-"} and the first 8 hex digits of SHA-256 of its URI string inserted before the
 * extension ({@code data.csv -> data-1a2b3c4d.csv}); should that be taken too, more
 * digits are used.</li>
 * </ul>
 * The result depends only on the list, in order, so the same list always gives the same
 * names. No name holds {@code '/'} or {@code '\\'}, so a name resolved against a folder
 * always stays in that folder.
 */
public final class TargetNames {

    /** Extension of a name that has none. */
    public static final String DEFAULT_EXTENSION = ".csv";

    /** Longest name handed out. */
    public static final int MAX_LENGTH = 120;

    /** An extension longer than this is treated as part of the stem when shortening. */
    private static final int MAX_EXTENSION = 20;

    private TargetNames() {
    }

    /** Names for {@code uris}, same size and order. */
    public static List<String> assign(List<URI> uris) {
        Objects.requireNonNull(uris, "uris");
        Assigner assigner = new Assigner();
        List<String> names = new ArrayList<>(uris.size());
        for (URI uri : uris) {
            names.add(assigner.next(uri));
        }
        return List.copyOf(names);
    }

    /**
     * Names URIs one at a time, in list order, as {@link #assign} does for a whole list;
     * the names taken are kept as fingerprints ({@link Fingerprints}). Should two names
     * ever share one, the later gets a longer suffix: names stay unique.
     */
    public static final class Assigner {

        private final Fingerprints taken = new Fingerprints();

        /** The name of the next URI of the list. */
        public String next(URI uri) {
            Objects.requireNonNull(uri, "uri in list");
            Name name = name(uri);
            String plain = name.stem + name.ext;
            return this.taken.add(key(plain)) ? plain : distinctName(uri, name, this.taken);
        }

    }

    /** The name a URI gets when nothing collides with it. */
    static String baseName(URI uri) {
        Name name = name(uri);
        return name.stem + name.ext;
    }

    /**
     * A name split into stem and extension (with its dot, or ""), already sanitised and
     * shortened.
     */
    private record Name(String stem, String ext) {
    }

    private static Name name(URI uri) {
        String segment = lastSegment(uri);
        String decoded = segment == null ? "" : sanitise(percentDecode(segment));
        if (decoded.isEmpty() || decoded.chars().allMatch(c -> c == '.')) {
            String host = uri.getHost();
            return shorten(
                    new Name((host == null || host.isEmpty() ? "" : sanitise(host) + "-") + "index", DEFAULT_EXTENSION),
                    0);
        }
        decoded = hideNoDot(decoded);
        int dot = extensionStart(decoded);
        String ext = decoded.substring(dot);
        return shorten(new Name(decoded.substring(0, dot), ext.isEmpty() ? DEFAULT_EXTENSION : ext), 0);
    }

    /**
     * The last path segment; null when the path is empty or ends with '/' (a folder, not
     * a file).
     */
    private static String lastSegment(URI uri) {
        String path = uri.isOpaque() ? null : uri.getRawPath();
        if (path == null || path.isEmpty() || path.endsWith("/")) {
            return null;
        }
        return path.substring(path.lastIndexOf('/') + 1);
    }

    private static String distinctName(URI uri, Name name, Fingerprints taken) {
        String hash = HexFormat.of().formatHex(sha256(uri.toString()));
        for (int digits : new int[] { 8, 16, 64 }) {
            String candidate = withSuffix(name, "-" + hash.substring(0, digits));
            if (taken.add(key(candidate))) {
                return candidate;
            }
        }
        for (int n = 2;; n++) {
            String candidate = withSuffix(name, "-" + hash.substring(0, 8) + "-" + n);
            if (taken.add(key(candidate))) {
                return candidate;
            }
        }
    }

    private static String withSuffix(Name name, String suffix) {
        Name shortened = shorten(name, suffix.length());
        return shortened.stem + suffix + shortened.ext;
    }

    /**
     * Shortens the stem so that the name plus {@code reserve} more characters fit in
     * MAX_LENGTH.
     */
    private static Name shorten(Name name, int reserve) {
        int max = MAX_LENGTH - reserve;
        if (name.stem.length() + name.ext.length() <= max) {
            return name;
        }
        return new Name(name.stem.substring(0, max - name.ext.length()), name.ext);
    }

    /**
     * Index of the extension's dot, or name.length() when there is no (reasonably short)
     * extension.
     */
    private static int extensionStart(String name) {
        int dot = name.lastIndexOf('.');
        if (dot <= 0 || name.length() - dot > MAX_EXTENSION) {
            return name.length();
        }
        return dot;
    }

    private static String sanitise(String text) {
        StringBuilder sb = new StringBuilder(text.length());
        text.codePoints().forEach(c -> {
            boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.'
                    || c == '_' || c == '-';
            sb.append(ok ? (char) c : '_');
        });
        return sb.toString();
    }

    private static String hideNoDot(String name) {
        int i = 0;
        while (i < name.length() && name.charAt(i) == '.') {
            i++;
        }
        return "_".repeat(i) + name.substring(i);
    }

    /**
     * Decodes %XX sequences as UTF-8; malformed sequences are kept as they are. '+' stays
     * '+'.
     */
    static String percentDecode(String raw) {
        if (raw.indexOf('%') < 0) {
            return raw;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(raw.length());
        byte[] bytes = raw.getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i < bytes.length; i++) {
            byte b = bytes[i];
            if (b == '%' && i + 2 < bytes.length && hex(bytes[i + 1]) >= 0 && hex(bytes[i + 2]) >= 0) {
                out.write(hex(bytes[i + 1]) * 16 + hex(bytes[i + 2]));
                i += 2;
            }
            else {
                out.write(b);
            }
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    private static int hex(byte b) {
        return Character.digit((char) b, 16);
    }

    private static String key(String name) {
        return name.toLowerCase(Locale.ROOT);
    }

    static byte[] sha256(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        }
        catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 not available", e);
        }
    }

}
