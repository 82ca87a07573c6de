package dev.batchetl.job;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Keys holding host names separated by commas ({@code *.example.org} for a domain's
 * hosts, {@code [::1]} for an IPv6 address), or {@code any} (also {@code *}); stored in
 * lower case.
 */
enum HostListKind implements KeyKind {

    HOST_LIST;

    private static final Pattern HOST = Pattern.compile("(\\*\\.)?[a-z0-9]([a-z0-9.-]{0,252})?|\\[[0-9a-f:.]+\\]");

    @Override
    public String canonical(String raw, Path base) {
        String value = raw.strip();
        if (value.equalsIgnoreCase("any") || value.equals("*")) {
            return "any";
        }
        StringBuilder hosts = new StringBuilder();
        for (String part : value.split(",")) {
            String host = part.strip().toLowerCase(Locale.ROOT);
            if (!HOST.matcher(host).matches()) {
                throw new IllegalArgumentException("expected host names separated by commas (*.example.org allowed),"
                        + " or any, got '" + raw + "'");
            }
            hosts.append(hosts.isEmpty() ? "" : ",").append(host);
        }
        return hosts.toString();
    }

    /** The hosts of a canonical value; empty for {@code any}. */
    static List<String> of(String canonical) {
        return canonical.equals("any") ? List.of() : List.of(canonical.split(","));
    }

}
