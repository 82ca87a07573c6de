package dev.batchetl.fetch;

/**
 * {@link DownloaderResumeTest} with the resume data in sidecar files, as on a file system
 * without attributes.
 */
class DownloaderResumeSidecarTest extends DownloaderResumeTest {

    @Override
    boolean attributes() {
        return false;
    }

}
