package dev.batchetl.fetch;

import java.net.URI;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Numbers the hosts of a source list as the fetch plan reads it, for the partitions of a
 * remote fetch ({@link HostGroup}): a host (scheme, host and port, the default port
 * spelled out, in lower case) gets the next number the first time it appears, so that the
 * partitions of a list take turns at its hosts and each gets as many hosts as the others.
 * Only the first {@link #NUMBERED} hosts are remembered (a few megabytes at most); later
 * ones are numbered by a hash of their name, which spreads them as evenly without memory.
 * A source without a host ({@code file:}) is numbered by its line, so that local files
 * spread over the partitions. The same list gives the same numbers, whichever partition
 * count the fetch uses, so that a restart of a killed plan numbers its sources as before.
 */
final class HostOrdinals {

    /** Hosts numbered in order of appearance; later ones are numbered by hash. */
    static final int NUMBERED = 65_536;

    private final Map<String, Integer> numbers = new HashMap<>();

    /** The number of the source's host: never negative. */
    int of(Source source) {
        URI uri = source.uri();
        String host = uri.getHost();
        if (host == null) {
            return source.line() & Integer.MAX_VALUE;
        }
        String scheme = uri.getScheme().toLowerCase(Locale.ROOT);
        int port = uri.getPort() != -1 ? uri.getPort() : scheme.equals("https") ? 443 : 80;
        String key = scheme + "://" + host.toLowerCase(Locale.ROOT) + ":" + port;
        Integer known = this.numbers.get(key);
        if (known != null) {
            return known;
        }
        if (this.numbers.size() < NUMBERED) {
            int next = this.numbers.size();
            this.numbers.put(key, next);
            return next;
        }
        return NUMBERED + Math.floorMod(key.hashCode(), Integer.MAX_VALUE - NUMBERED);
    }

}
