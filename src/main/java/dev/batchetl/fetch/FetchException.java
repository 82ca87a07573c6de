package dev.batchetl.fetch;

import java.time.Duration;

/**
 * A download that failed. {@link #reason()} is a one-line, human readable description of
 * what happened (the caller adds the source URL); {@link #transientFailure()} tells
 * whether trying again later may help.
 */
public final class FetchException extends Exception {

    private static final long serialVersionUID = 1L;

    private final String reason;

    private final boolean transientFailure;

    private volatile int attempts = 1;

    /** Wait the server asked for (Retry-After), or null. Only used between attempts. */
    private final transient Duration retryAfter;

    public FetchException(String reason, boolean transientFailure, Throwable cause) {
        this(reason, transientFailure, cause, null);
    }

    FetchException(String reason, boolean transientFailure, Throwable cause, Duration retryAfter) {
        super(reason, cause);
        this.reason = reason;
        this.transientFailure = transientFailure;
        this.retryAfter = retryAfter;
    }

    /**
     * One line, e.g. "HTTP 404 Not Found", "connection refused", "short body: 1000 of
     * 5000 bytes".
     */
    public String reason() {
        return reason;
    }

    /**
     * True for failures that may go away on their own (network errors, timeouts, HTTP
     * 408, 429, 5xx).
     */
    public boolean transientFailure() {
        return transientFailure;
    }

    /**
     * Attempts made before giving up (set by {@link Downloader}; 1 when the exception was
     * made elsewhere).
     */
    public int attempts() {
        return attempts;
    }

    void attempts(int attempts) {
        this.attempts = attempts;
    }

    Duration retryAfter() {
        return retryAfter;
    }

}
