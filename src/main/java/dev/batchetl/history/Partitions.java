package dev.batchetl.history;

import dev.batchetl.stats.PartitionKeys;

import org.springframework.batch.infrastructure.item.ExecutionContext;

/**
 * A statistics partition as {@code show} and the restart plan name it: its step name, its
 * file and byte range and its checkpoint, from the execution context the statistics
 * partitioner and its worker write (package dev.batchetl.stats).
 */
public final class Partitions {

    /** Prefix of the step name of a statistics partition: {@code stats-file:f00001}. */
    public static final String PREFIX = "stats-file:";

    private Partitions() {
    }

    /**
     * The partition's file relative to dir, with its byte range when the file is split.
     */
    public static String file(ExecutionContext context) {
        String relative = context.containsKey(PartitionKeys.RELATIVE) ? context.getString(PartitionKeys.RELATIVE) : "?";
        if (context.containsKey(PartitionKeys.START) && context.getLong(PartitionKeys.START) >= 0) {
            long end = context.getLong(PartitionKeys.END);
            return relative + " bytes " + context.getLong(PartitionKeys.START) + "-"
                    + (end == Long.MAX_VALUE ? "end" : end);
        }
        return relative;
    }

    /** Where the partition's last checkpoint is, or {@code not started}. */
    public static String checkpoint(ExecutionContext context) {
        if (context.containsKey(PartitionKeys.LINE) && context.containsKey(PartitionKeys.OFFSET)) {
            long line = context.getLong(PartitionKeys.LINE);
            // -1: a range that started mid-file and has not yet met a row whose line it
            // had to count
            return (line < 0 ? "byte " : "line " + line + ", byte ") + context.getLong(PartitionKeys.OFFSET);
        }
        return "not started";
    }

}
