package dev.batchetl.job;

/**
 * A usage or configuration problem: reported as one line, exit code 2, no stack trace.
 */
public class UsageException extends RuntimeException {

    public UsageException(String message) {
        super(message);
    }

}
