package dev.batchetl.stats.engine;

/**
 * The pandas dtype rule: the column type pandas' {@code read_csv} would give a column,
 * from the kinds of values its accumulator counted.
 */
final class PandasDtype {

    private PandasDtype() {
    }

    static ColumnType of(ColumnAccumulator c, long rows) {
        TemporalRange t = c.temporal;
        IntegerSums integers = c.integers;
        if (c.texts > 0) {
            return ColumnType.TEXT;
        }
        long temporal = t.count();
        if (temporal > 0) {
            if (c.ints + c.floats + c.trues + c.falses > 0 || (t.awareTimes > 0 && t.dates + t.naiveTimes > 0)) {
                return ColumnType.TEXT; // pandas: object
            }
            return t.naiveTimes + t.awareTimes == 0 ? ColumnType.DATE : ColumnType.DATETIME;
        }
        if (c.trues + c.falses > 0) {
            return c.ints + c.floats > 0 || c.nulls > 0 ? ColumnType.TEXT : ColumnType.BOOLEAN;
        }
        if (c.count == 0) {
            // no rows at all: pandas leaves the column as object; only nulls: float64
            return rows == 0 ? ColumnType.TEXT : ColumnType.FLOAT;
        }
        if (c.floats > 0 || c.nulls > 0) {
            return ColumnType.FLOAT;
        }
        if (integers.beyondPandasIntegers()) {
            return ColumnType.TEXT; // pandas: beyond int64 and uint64, or both negative
                                    // and beyond int64, is object
        }
        return ColumnType.INTEGER;
    }

}
