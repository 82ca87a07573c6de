package dev.batchetl.fetch;

/**
 * {@link DownloaderResumeTests} with the resume data in sidecar files, as on a file
 * system without attributes.
 */
class DownloaderResumeSidecarTests extends DownloaderResumeTests {

    @Override
    boolean attributes() {
        return false;
    }

}
