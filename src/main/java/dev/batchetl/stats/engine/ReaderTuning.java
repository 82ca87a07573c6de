package dev.batchetl.stats.engine;

/**
 * How a {@link CsvRangeReader} sizes its buffer, its batches and its longest row, and
 * whether it takes its fast paths: the defaults in production, other values in tests (and
 * a small buffer for the header).
 *
 * @param bufferSize the initial buffer, in bytes (at least 16; it grows for a longer
 * record)
 * @param batch the records staged before they are accumulated (at least 1)
 * @param maxRow the longest row, in bytes with its line end (16 to
 * {@link CsvRangeReader#MAX_ROW})
 * @param numbersPath whether numeric columns take {@link ColumnAccumulator#addNumbers},
 * rather than the general path
 * @param fieldsPath whether plain fields take the word-at-a-time loop, rather than the
 * general one
 */
record ReaderTuning(int bufferSize, int batch, int maxRow, boolean numbersPath, boolean fieldsPath) {

    static final ReaderTuning DEFAULT = new ReaderTuning(CsvRangeReader.DEFAULT_BUFFER, CsvRangeReader.DEFAULT_BATCH,
            CsvRangeReader.MAX_ROW, true, true);

    ReaderTuning {
        if (maxRow < 16 || maxRow > CsvRangeReader.MAX_ROW) {
            throw new IllegalArgumentException("bad row limit " + maxRow);
        }
        bufferSize = Math.max(16, bufferSize);
        batch = Math.max(1, batch);
    }

    ReaderTuning withBuffer(int bufferSize) {
        return new ReaderTuning(bufferSize, this.batch, this.maxRow, this.numbersPath, this.fieldsPath);
    }

    ReaderTuning withBatch(int batch) {
        return new ReaderTuning(this.bufferSize, batch, this.maxRow, this.numbersPath, this.fieldsPath);
    }

    ReaderTuning withMaxRow(int maxRow) {
        return new ReaderTuning(this.bufferSize, this.batch, maxRow, this.numbersPath, this.fieldsPath);
    }

    ReaderTuning withNumbersPath(boolean numbersPath) {
        return new ReaderTuning(this.bufferSize, this.batch, this.maxRow, numbersPath, this.fieldsPath);
    }

    ReaderTuning withFieldsPath(boolean fieldsPath) {
        return new ReaderTuning(this.bufferSize, this.batch, this.maxRow, this.numbersPath, fieldsPath);
    }

}
