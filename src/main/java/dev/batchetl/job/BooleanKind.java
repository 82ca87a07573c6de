package dev.batchetl.job;

import java.nio.file.Path;

/**
 * Keys that are on or off: true or yes, false or no, in any case; stored as true or
 * false.
 */
enum BooleanKind implements KeyKind {

    BOOLEAN;

    @Override
    public String canonical(String raw, Path base) {
        String value = raw.strip();
        if (value.equalsIgnoreCase("true") || value.equalsIgnoreCase("yes")) {
            return "true";
        }
        if (value.equalsIgnoreCase("false") || value.equalsIgnoreCase("no")) {
            return "false";
        }
        throw new IllegalArgumentException("expected true or false, got '" + raw + "'");
    }

}
