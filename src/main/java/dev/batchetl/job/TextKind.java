package dev.batchetl.job;

import java.nio.file.Path;

/**
 * Keys stored exactly as written, spaces included ({@code na-values}, whose items the
 * statistics step reads).
 */
enum TextKind implements KeyKind {

    TEXT;

    @Override
    public String canonical(String raw, Path base) {
        return raw;
    }

}
