package dev.batchetl.fetch;

import java.net.URI;
import java.net.UnknownHostException;
import java.nio.channels.UnresolvedAddressException;
import java.time.Duration;
import java.util.Locale;

import org.apache.hc.core5.http.impl.EnglishReasonPhraseCatalog;

/**
 * The one-line texts a failed download is reported with
 * ({@link FetchException#reason()}): status lines, connect failures, exceptions and
 * durations put in few words.
 */
final class FailureReasons {

    private FailureReasons() {
    }

    /**
     * "HTTP " and the status, with its English reason phrase where there is one, as in
     * "HTTP 404 Not Found".
     */
    static String statusLine(int status) {
        String phrase = EnglishReasonPhraseCatalog.INSTANCE.getReason(status, Locale.ENGLISH);
        return "HTTP " + status + (phrase == null || phrase.isEmpty() ? "" : " " + phrase);
    }

    static FetchException tooLarge(long maxFileSize) {
        return new FetchException("too large: more than max-file-size (" + maxFileSize + " bytes)", false, null);
    }

    /** Why a connection to the URI's host could not be made. */
    static String connectFailure(URI uri, Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            String message = t.getMessage();
            if (message != null && message.toLowerCase(Locale.ROOT).contains("refused")) {
                return "connection refused";
            }
        }
        if (isUnknownHost(e)) {
            return "unknown host: " + uri.getHost();
        }
        boolean anyMessage = false;
        for (Throwable t = e; t != null; t = t.getCause()) {
            anyMessage |= t.getMessage() != null && !t.getMessage().isBlank();
        }
        // httpclient5 reports a refused connection with the socket's "Connection refused"
        // (found above); a connect failure without any message at all is taken for one
        // too, a connect timeout has its own exception type
        return anyMessage ? "connect failed: " + describe(e) : "connection refused";
    }

    static boolean isUnknownHost(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof UnknownHostException || t instanceof UnresolvedAddressException) {
                return true;
            }
        }
        return false;
    }

    /**
     * A short one-line description: the first non-empty message in the cause chain, or
     * the class name.
     */
    static String describe(Throwable e) {
        if (e == null) {
            return "unknown error";
        }
        for (Throwable t = e; t != null; t = t.getCause()) {
            String message = t.getMessage();
            if (message != null && !message.isBlank()) {
                return message.strip().replaceAll("\\s+", " ");
            }
        }
        return e.getClass().getSimpleName();
    }

    /** "300ms", "10s", "1.5s". */
    static String human(Duration d) {
        long ms = d.toMillis();
        if (ms < 1000) {
            return ms + "ms";
        }
        if (ms % 1000 == 0) {
            return ms / 1000 + "s";
        }
        return String.format(Locale.ROOT, "%.1fs", ms / 1000.0);
    }

}
