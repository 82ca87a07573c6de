package dev.batchetl.fetch;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * What a {@link Downloader} is allowed to do, beyond timeouts and retries.
 *
 * @param idleTimeout longest wait for the response headers or the next bytes of a body
 * @param maxFileSize largest body accepted, after decoding; a larger one is aborted
 * @param maxRedirects redirects followed per request; a redirect to another scheme is
 * always refused
 * @param perHost concurrent downloads per host (scheme, host and port)
 * @param bytesPerSecond overall download rate over all sources, 0 for no limit
 * @param allowedHosts hosts sources may come from ({@code *.example.org} for its
 * sub-domains); empty for any
 * @param fileRoots folders {@code file:} sources must lie in (after resolving links);
 * empty for anywhere
 */
record FetchLimits(Duration idleTimeout, long maxFileSize, int maxRedirects, int perHost, long bytesPerSecond,
        List<String> allowedHosts, List<Path> fileRoots) {

    FetchLimits {
        Objects.requireNonNull(idleTimeout, "idleTimeout");
        if (idleTimeout.isNegative() || idleTimeout.isZero() || maxFileSize < 1 || maxRedirects < 0 || perHost < 1
                || bytesPerSecond < 0) {
            throw new IllegalArgumentException("invalid limits");
        }
        allowedHosts = allowedHosts.stream().map(h -> h.toLowerCase(Locale.ROOT)).toList();
        fileRoots = List.copyOf(fileRoots);
    }

    /** No limits beyond a 30 s idle timeout and 5 redirects. */
    static FetchLimits none() {
        return new FetchLimits(Duration.ofSeconds(30), Long.MAX_VALUE, 5, Integer.MAX_VALUE, 0, List.of(), List.of());
    }

    FetchLimits withIdleTimeout(Duration idle) {
        return new FetchLimits(idle, this.maxFileSize, this.maxRedirects, this.perHost, this.bytesPerSecond,
                this.allowedHosts, this.fileRoots);
    }

    boolean hostAllowed(String host) {
        if (this.allowedHosts.isEmpty()) {
            return true;
        }
        String h = host == null ? "" : host.toLowerCase(Locale.ROOT);
        for (String allowed : this.allowedHosts) {
            if (allowed.startsWith("*.") ? h.endsWith(allowed.substring(1)) : h.equals(allowed)) {
                return true;
            }
        }
        return false;
    }

}
