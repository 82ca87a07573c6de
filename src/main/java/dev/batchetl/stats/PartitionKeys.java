package dev.batchetl.stats;

/**
 * The keys of a statistics partition's step execution context: where it reads (set by the
 * partitioner) and its checkpoint (set by the worker at every commit). Restart state is
 * stored under these names, so they never change; {@code batch-etl show} reads them too.
 */
public final class PartitionKeys {

    /** Absolute path of the file. */
    public static final String FILE = "file";

    /** Path of the file relative to {@code dir}, with {@code /}. */
    public static final String RELATIVE = "relative";

    /** Index of the byte range within the file. */
    public static final String RANGE = "range";

    /** First byte of the range ({@code -1}: the whole file, from its header). */
    public static final String START = "start";

    /** End of the range, exclusive ({@link Long#MAX_VALUE}: the end of the file). */
    public static final String END = "end";

    /** Physical line number at {@link #START}. */
    public static final String FIRST_LINE = "firstLine";

    /** The file's size in bytes when the partitioner saw it. */
    public static final String FILE_BYTES = "fileBytes";

    /**
     * The file's modification time, nanoseconds since the epoch, when the partitioner saw
     * it.
     */
    public static final String FILE_MODIFIED = "fileModified";

    /** Why the file cannot be read, when the partitioner already knows. */
    public static final String ERROR = "error";

    /** Checkpoint: byte offset of the next unread row. */
    public static final String OFFSET = "csv.offset";

    /** Checkpoint: physical line number at {@link #OFFSET}. */
    public static final String LINE = "csv.line";

    /** Checkpoint: the accumulators, Base64 of their binary form. */
    public static final String STATE = "csv.state";

    private PartitionKeys() {
    }

}
