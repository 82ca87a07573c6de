package dev.batchetl.cli;

import java.io.PrintStream;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;

import org.springframework.boot.context.metrics.buffering.BufferingApplicationStartup;
import org.springframework.boot.context.metrics.buffering.StartupTimeline;

/**
 * Where a command's start went: with {@code -Dbatch-etl.startup-steps=true} (for example
 * in {@code JAVA_OPTS}), the slowest steps of the Spring context's start, recorded by
 * Spring Boot's {@link BufferingApplicationStartup} (parsing the configuration classes,
 * creating each bean, the schema check), are printed to standard error once the context
 * is up, before the command runs. Steps nest: a bean's time includes the beans it needed.
 */
final class StartupSteps {

    /** The system property that turns the listing on. */
    static final String PROPERTY = "batch-etl.startup-steps";

    /** Steps listed, the slowest first. */
    static final int LISTED = 40;

    private StartupSteps() {
    }

    /** A recorder for a context's start, or null when the listing is off. */
    static BufferingApplicationStartup recorder() {
        return Boolean.getBoolean(PROPERTY) ? new BufferingApplicationStartup(100_000) : null;
    }

    static void print(BufferingApplicationStartup startup, PrintStream out) {
        StartupTimeline timeline = startup.getBufferedTimeline();
        List<StartupTimeline.TimelineEvent> events = timeline.getEvents();
        out.println("context start: " + events.size() + " steps, the " + Math.min(LISTED, events.size())
                + " slowest (ms, and ms from the start):");
        events.stream()
            .sorted(Comparator.comparing(StartupTimeline.TimelineEvent::getDuration).reversed())
            .limit(LISTED)
            .forEach(event -> {
                StringBuilder tags = new StringBuilder();
                event.getStartupStep()
                    .getTags()
                    .forEach(tag -> tags.append(' ').append(tag.getKey()).append('=').append(tag.getValue()));
                out.printf("%6d  at %5d  %s%s%n", event.getDuration().toMillis(),
                        Duration.between(timeline.getStartTime(), event.getStartTime()).toMillis(),
                        event.getStartupStep().getName(), tags.length() > 160 ? tags.substring(0, 160) : tags);
            });
    }

}
