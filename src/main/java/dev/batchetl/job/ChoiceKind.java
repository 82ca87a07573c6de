package dev.batchetl.job;

import java.nio.file.Path;
import java.util.List;

/** Keys that take one of a few words, written exactly ({@code bad-rows=skip}). */
record ChoiceKind(List<String> choices) implements KeyKind {

    ChoiceKind(String... choices) {
        this(List.of(choices));
    }

    @Override
    public String canonical(String raw, Path base) {
        String value = raw.strip();
        if (this.choices.contains(value)) {
            return value;
        }
        throw new IllegalArgumentException("expected " + String.join(" or ", this.choices) + ", got '" + raw + "'");
    }

}
