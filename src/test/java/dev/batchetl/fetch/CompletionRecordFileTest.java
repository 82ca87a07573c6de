package dev.batchetl.fetch;

/**
 * {@link CompletionRecordTest} with the records in files beside the targets, as on a file
 * system without attributes.
 */
class CompletionRecordFileTest extends CompletionRecordTest {

    @Override
    boolean attributes() {
        return false;
    }

}
