package dev.batchetl.job;

import java.nio.file.Path;

/**
 * Keys holding one ASCII character of the CSV dialect ({@code \t} or {@code tab} for a
 * tab), or, where {@code noneAllowed}, {@code none}. The value is taken as written: a
 * space is a delimiter like any other.
 */
record CharKind(boolean noneAllowed) implements KeyKind {

    /** One character. */
    static final CharKind CHAR = new CharKind(false);

    /** One character, or none. */
    static final CharKind CHAR_OR_NONE = new CharKind(true);

    @Override
    public String canonical(String raw, Path base) {
        if (this.noneAllowed && raw.strip().equalsIgnoreCase("none")) {
            return "none";
        }
        String value = raw.equals("\\t") || raw.equalsIgnoreCase("tab") ? "\t" : raw;
        if (value.length() != 1 || value.charAt(0) == '\n' || value.charAt(0) == '\r') {
            throw new IllegalArgumentException("expected a single character, got '" + raw + "'");
        }
        if (value.charAt(0) >= 0x80) {
            // the CSV scanner finds delimiters, quotes and escapes as bytes
            throw new IllegalArgumentException(
                    "expected an ASCII character (the tokenizer works on bytes), got '" + raw + "'");
        }
        return value;
    }

    /** The character of a canonical value, or null for {@code none}. */
    static Character of(String canonical) {
        return canonical.equals("none") ? null : canonical.charAt(0);
    }

}
