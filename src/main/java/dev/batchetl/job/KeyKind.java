package dev.batchetl.job;

import java.nio.file.Path;

/**
 * How the values of one kind of {@link EtlKey} are checked, written canonically (as the
 * job parameter stores them) and shown to people.
 */
interface KeyKind {

    /**
     * Checks a value as written and returns its canonical form, which this method takes
     * unchanged.
     * @param raw the value as written
     * @param base the folder a relative path is resolved against
     * @throws IllegalArgumentException with a one-line reason
     */
    String canonical(String raw, Path base);

    /** A canonical value as a person writes it. */
    default String display(String canonical) {
        return canonical;
    }

}
