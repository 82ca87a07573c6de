package dev.batchetl.schedule;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;

/**
 * The run key of a fire: its time in UTC, ISO 8601 to the second
 * ({@code 2026-11-21T02:00:00Z}). UTC, whatever the schedule's zone, so that every node
 * computes the same key for the same fire, a daylight-saving change never gives two fires
 * one key, and keys sort in time order.
 */
final class FireTime {

    private static final DateTimeFormatter KEY = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss'Z'")
        .withZone(ZoneOffset.UTC);

    /** A SQL LIKE pattern every fire key matches. */
    static final String LIKE = "____-__-__T__:__:__Z";

    private FireTime() {
    }

    static String runKey(Instant fire) {
        return KEY.format(fire.truncatedTo(ChronoUnit.SECONDS));
    }

    static Instant parse(String runKey) {
        return Instant.from(KEY.parse(runKey));
    }

}
