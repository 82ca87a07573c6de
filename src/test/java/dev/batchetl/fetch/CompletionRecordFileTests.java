package dev.batchetl.fetch;

/**
 * {@link CompletionRecordTests} with the records in files beside the targets, as on a
 * file system without attributes.
 */
class CompletionRecordFileTests extends CompletionRecordTests {

    @Override
    boolean attributes() {
        return false;
    }

}
