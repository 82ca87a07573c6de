package dev.batchetl.fetch;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One partition of a remote fetch: group {@code number} of {@code of}, the sources whose
 * host number ({@link HostOrdinals}) is {@code number - 1} modulo {@code of}. Its name,
 * {@code 2-of-4}, is the partition's (step {@code fetch-hosts:2-of-4}), so that the
 * worker reads which sources are its own from the name alone.
 */
record HostGroup(int number, int of) {

    private static final Pattern NAME = Pattern.compile("(\\d{1,4})-of-(\\d{1,4})");

    HostGroup {
        if (of < 1 || number < 1 || number > of) {
            throw new IllegalArgumentException("no host group " + number + " of " + of);
        }
    }

    String name() {
        return this.number + "-of-" + this.of;
    }

    /** The remainder modulo {@link #of} of the host numbers of this group. */
    int remainder() {
        return this.number - 1;
    }

    /** The group a partition step's name ({@code fetch-hosts:2-of-4}) names. */
    static HostGroup ofStep(String stepName) {
        String name = stepName.substring(stepName.indexOf(':') + 1);
        Matcher matcher = NAME.matcher(name);
        if (!matcher.matches()) {
            throw new IllegalArgumentException("step " + stepName + " names no host group (such as 2-of-4)");
        }
        return new HostGroup(Integer.parseInt(matcher.group(1)), Integer.parseInt(matcher.group(2)));
    }

}
