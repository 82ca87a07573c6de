package dev.batchetl.job;

import java.nio.file.Path;

/** Keys holding a whole number from 1 to {@code max}. */
record WholeNumberKind(int max) implements KeyKind {

    @Override
    public String canonical(String raw, Path base) {
        try {
            int n = Integer.parseInt(raw.strip());
            if (n < 1 || n > this.max) {
                throw new NumberFormatException();
            }
            return Integer.toString(n);
        }
        catch (NumberFormatException ex) {
            throw new IllegalArgumentException("expected a whole number from 1 to " + this.max + ", got '" + raw + "'");
        }
    }

}
