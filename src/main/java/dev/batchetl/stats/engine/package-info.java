/**
 * CSV statistics engine, free of Spring: per-column statistics with the semantics of
 * {@code pandas.read_csv} (default options) followed by {@code count()},
 * {@code isna().sum()}, {@code sum()}, {@code mean()}, {@code min()}, {@code max()},
 * {@code var()}, {@code std()}, {@code nunique()} and {@code quantile([.25, .5, .75])};
 * distinct counts and quartiles are exact up to 1024 distinct values, then estimated (a
 * HyperLogLog whose estimate hash4j computes,
 * {@link dev.batchetl.stats.engine.DistinctCounter}; a relative-error histogram,
 * {@link dev.batchetl.stats.engine.LogHistogram}) by states that depend only on the
 * values, so that split and resumed reads agree.
 *
 * <p>
 * Usage: {@link dev.batchetl.stats.engine.CsvHeader#read} gives the column names and
 * where the data starts; {@link dev.batchetl.stats.engine.CsvSplitter#split} cuts the
 * data into ranges at true row boundaries; each range is read by a
 * {@link dev.batchetl.stats.engine.CsvRangeReader} into a
 * {@link dev.batchetl.stats.engine.FileAccumulator} (resumable at {@code offset()} /
 * {@code line()}, checkpointable with {@code toBytes()}); accumulators of consecutive
 * ranges are merged and {@link dev.batchetl.stats.engine.FileAccumulator#result()}
 * renders the {@link dev.batchetl.stats.engine.FileStats}.
 *
 * <p>
 * Choices where pandas leaves room or the engine has to pick:
 * <ul>
 * <li>Lines that are empty or hold only spaces/tabs are skipped (pandas
 * {@code skip_blank_lines}).</li>
 * <li>Booleans are {@code true}/{@code false} in any capitalisation (pandas'
 * {@code to_boolean}); a boolean column with nulls, or mixed with numbers, is text.</li>
 * <li>{@code inf}/{@code infinity} are recognised only without surrounding spaces (as
 * pandas does).</li>
 * <li>A file with a header and no data rows has text (pandas: object) columns; a column
 * of only nulls is float.</li>
 * <li>Floats are rendered from their shortest representation as plain decimals with at
 * least one fractional digit ({@code 0.00001}, {@code 100.0},
 * {@code 9223372036854776000.0}); {@code inf}/{@code -inf}; NaN results (e.g.
 * {@code inf - inf}) are null.</li>
 * <li>A quoted field still open at the end of the file fails the file, whatever the
 * bad-rows policy (pandas: "EOF inside string"), at the line where the quote opened.</li>
 * <li>Encodings must be ASCII compatible; fields of non-UTF-8 files are transcoded to
 * UTF-8 only when they hold non-ASCII bytes. Under {@code invalid-bytes=replace} each
 * maximal invalid UTF-8 subpart becomes one U+FFFD (as Python's replacing decoder does)
 * and is counted.</li>
 * <li>Integers beyond int64: uint64 columns are integer; beyond uint64, or negatives with
 * values beyond int64, the column is text (pandas: object).</li>
 * <li>ISO 8601 dates and date-times are date / datetime columns (pandas:
 * {@code to_datetime}); zoned values are converted to UTC; mixing zoned and naive values
 * gives text.</li>
 * <li>{@code .gz} files are decompressed on the fly; offsets are those of the
 * decompressed text.</li>
 * <li>A row is read whole into memory: a row longer than 64 MiB, its line end included,
 * fails the file ({@link dev.batchetl.stats.engine.CsvRangeReader#MAX_ROW}), so that one
 * huge line cannot exhaust the memory.</li>
 * </ul>
 */
package dev.batchetl.stats.engine;
