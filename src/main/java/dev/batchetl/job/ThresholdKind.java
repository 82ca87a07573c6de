package dev.batchetl.job;

import java.nio.file.Path;
import java.util.regex.Pattern;

/**
 * Keys holding a count from 0, a percentage from 0% to 100%, or {@code none}
 * ({@code max-failed-sources}).
 */
enum ThresholdKind implements KeyKind {

    COUNT_OR_PERCENT;

    private static final Pattern WRITTEN = Pattern.compile("(\\d{1,9})(%?)");

    @Override
    public String canonical(String raw, Path base) {
        String value = raw.strip();
        if (value.equalsIgnoreCase("none")) {
            return "none";
        }
        var matcher = WRITTEN.matcher(value);
        if (!matcher.matches() || (!matcher.group(2).isEmpty() && Integer.parseInt(matcher.group(1)) > 100)) {
            throw new IllegalArgumentException("expected a count from 0 to 999999999, a percentage from 0% to 100%,"
                    + " or none, got '" + raw + "'");
        }
        return Integer.parseInt(matcher.group(1)) + matcher.group(2);
    }

}
