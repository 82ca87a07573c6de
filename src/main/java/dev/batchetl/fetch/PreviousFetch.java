package dev.batchetl.fetch;

/**
 * What an earlier job instance of the same definition recorded for a source: enough to
 * ask the server whether it changed (If-None-Match, If-Modified-Since) and to verify the
 * local copy kept on a 304.
 */
record PreviousFetch(String etag, String lastModified, String sha256, long bytes) {

    boolean usable() {
        return this.sha256 != null && (this.etag != null || this.lastModified != null);
    }

}
