package dev.batchetl.job;

import java.nio.charset.Charset;
import java.nio.file.Path;

/**
 * Keys naming a character encoding, stored under its canonical name ({@code utf8} is
 * {@code UTF-8}).
 */
enum CharsetKind implements KeyKind {

    CHARSET;

    @Override
    public String canonical(String raw, Path base) {
        try {
            return Charset.forName(raw.strip()).name();
        }
        catch (RuntimeException ex) {
            throw new IllegalArgumentException("unknown encoding '" + raw + "'");
        }
    }

}
