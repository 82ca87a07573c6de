package dev.batchetl.job;

import java.nio.file.Path;
import java.util.Locale;
import java.util.regex.Pattern;

import org.springframework.util.unit.DataSize;
import org.springframework.util.unit.DataUnit;

/**
 * Keys holding a size in bytes, written with a binary unit as in {@code 64MB},
 * {@code 512 kb}, {@code 20M} or {@code 1GB} (a bare number is bytes), from 1B to 1 PiB;
 * where {@code noneAllowed}, {@code none}. Stored as the number of bytes.
 */
record SizeKind(boolean noneAllowed) implements KeyKind {

    /** A size, none refused. */
    static final SizeKind SIZE = new SizeKind(false);

    /** A size, or none. */
    static final SizeKind SIZE_OR_NONE = new SizeKind(true);

    /**
     * Largest size a key accepts: 1 PiB (1048576GB), far below where byte counts
     * overflow.
     */
    private static final long MAX_BYTES = 1L << 50;

    private static final Pattern WRITTEN = Pattern.compile("(\\d+)\\s*(B|KB|MB|GB|K|M|G)?", Pattern.CASE_INSENSITIVE);

    @Override
    public String canonical(String raw, Path base) {
        String value = raw.strip();
        if (this.noneAllowed && value.equalsIgnoreCase("none")) {
            return "none";
        }
        return Long.toString(parse(value, raw).toBytes());
    }

    @Override
    public String display(String canonical) {
        if (canonical.equals("none")) {
            return canonical;
        }
        try {
            long bytes = Long.parseLong(canonical);
            for (DataUnit unit : new DataUnit[] { DataUnit.GIGABYTES, DataUnit.MEGABYTES, DataUnit.KILOBYTES }) {
                long factor = DataSize.of(1, unit).toBytes();
                if (bytes % factor == 0) {
                    return bytes / factor + suffix(unit);
                }
            }
            return bytes + "B";
        }
        catch (NumberFormatException ex) {
            // not written by this version: shown as stored
            return canonical;
        }
    }

    /** The size of a canonical value, or null for {@code none}. */
    static DataSize of(String canonical) {
        return canonical.equals("none") ? null : DataSize.ofBytes(Long.parseLong(canonical));
    }

    private static DataSize parse(String value, String raw) {
        var matcher = WRITTEN.matcher(value);
        if (!matcher.matches()) {
            throw new IllegalArgumentException("expected a size such as 64MB, 512KB or 1GB, got '" + raw + "'");
        }
        String unit = matcher.group(2) == null ? "B" : matcher.group(2).toUpperCase(Locale.ROOT);
        DataSize size;
        try {
            size = DataSize.of(Long.parseLong(matcher.group(1)),
                    DataUnit.fromSuffix(unit.endsWith("B") ? unit : unit + "B"));
        }
        catch (NumberFormatException | ArithmeticException ex) {
            // past a long: refused as too large
            size = null;
        }
        if (size == null || size.toBytes() < 1 || size.toBytes() > MAX_BYTES) {
            throw new IllegalArgumentException(
                    "expected a size from 1B to " + (MAX_BYTES >> 30) + "GB (1 PiB), got '" + raw + "'");
        }
        return size;
    }

    private static String suffix(DataUnit unit) {
        return switch (unit) {
            case GIGABYTES -> "GB";
            case MEGABYTES -> "MB";
            default -> "KB";
        };
    }

}
