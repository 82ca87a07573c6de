package dev.batchetl.fetch;

import java.net.URI;
import java.util.Objects;

/**
 * One line of a source list.
 *
 * @param line 1-based line number in the list file
 * @param uri the source, an absolute {@code http:}, {@code https:} or {@code file:} URI
 * ({@code file:} URIs are always absolute, already resolved against the list's folder)
 * @param expectedSha256 expected SHA-256 of the content as 64 lower-case hex characters,
 * or {@code null}
 */
public record Source(int line, URI uri, String expectedSha256) {

    public Source {
        Objects.requireNonNull(uri, "uri");
    }
}
