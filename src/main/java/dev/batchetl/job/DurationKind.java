package dev.batchetl.job;

import java.nio.file.Path;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

import org.springframework.boot.convert.DurationStyle;

/**
 * Keys holding a duration, written as in {@code 500ms}, {@code 10s}, {@code 5 m} or
 * {@code 1H} (a bare number is seconds), from 1ms to 365 days; stored in milliseconds
 * ({@code 300000ms}).
 */
enum DurationKind implements KeyKind {

    DURATION;

    /** Longest duration a key accepts: 365 days (8760h). */
    private static final Duration MAX = Duration.ofDays(365);

    private static final Pattern WRITTEN = Pattern.compile("(\\d+)\\s*(ms|s|m|h)?");

    /** The units a duration is shown in, largest first. */
    private static final List<ChronoUnit> UNITS = List.of(ChronoUnit.HOURS, ChronoUnit.MINUTES, ChronoUnit.SECONDS,
            ChronoUnit.MILLIS);

    @Override
    public String canonical(String raw, Path base) {
        return parse(raw.strip(), raw).toMillis() + "ms";
    }

    /** A duration in its largest exact unit: {@code 300000ms} is {@code 5m}. */
    @Override
    public String display(String canonical) {
        if (!canonical.endsWith("ms")) {
            return canonical;
        }
        try {
            Duration duration = Duration.ofMillis(Long.parseLong(canonical.substring(0, canonical.length() - 2)));
            ChronoUnit unit = UNITS.stream()
                .filter(candidate -> duration.toMillis() % candidate.getDuration().toMillis() == 0)
                .findFirst()
                .orElseThrow();
            return DurationStyle.SIMPLE.print(duration, unit);
        }
        catch (NumberFormatException ex) {
            // not written by this version: shown as stored
            return canonical;
        }
    }

    /**
     * Parses a canonical or written duration, from 1ms to 365 days.
     * @param value the value, without surrounding spaces
     * @param raw the value as written, for the message
     * @throws IllegalArgumentException with a one-line reason
     */
    static Duration parse(String value, String raw) {
        var matcher = WRITTEN.matcher(value.toLowerCase(Locale.ROOT));
        if (!matcher.matches()) {
            throw new IllegalArgumentException("expected a duration such as 500ms, 10s, 5m or 1h, got '" + raw + "'");
        }
        Duration duration;
        try {
            duration = DurationStyle.SIMPLE.parse(matcher.group(1) + (matcher.group(2) != null ? matcher.group(2) : ""),
                    ChronoUnit.SECONDS);
        }
        catch (IllegalArgumentException ex) {
            // past a long: refused as too long
            duration = null;
        }
        if (duration == null || duration.compareTo(MAX) > 0 || duration.compareTo(Duration.ofMillis(1)) < 0) {
            throw new IllegalArgumentException("expected a duration from 1ms to " + MAX.toHours() + "h (" + MAX.toDays()
                    + " days), got '" + raw + "'");
        }
        return duration;
    }

}
