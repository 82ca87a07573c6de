package dev.batchetl.fetch;

/**
 * What one attempt received into the part file (or, for a 304, found in the target
 * already).
 *
 * @param bytes length of the whole file
 * @param sha256 its SHA-256, 64 lower-case hex digits
 * @param httpStatus the final response's status, null for a {@code file:} source
 * @param etag the response's ETag, or null
 * @param lastModified its Last-Modified, or null
 * @param notModified whether the target was kept as it was (304)
 */
record Received(long bytes, String sha256, Integer httpStatus, String etag, String lastModified, boolean notModified) {

}
