package dev.batchetl.fetch;

import java.net.URI;
import java.net.UnknownHostException;
import java.nio.channels.UnresolvedAddressException;
import java.time.Duration;
import java.util.Locale;

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
        String phrase = reasonPhrase(status);
        return "HTTP " + status + (phrase.isEmpty() ? "" : " " + phrase);
    }

    private static String reasonPhrase(int status) {
        return switch (status) {
            case 300 -> "Multiple Choices";
            case 301 -> "Moved Permanently";
            case 302 -> "Found";
            case 303 -> "See Other";
            case 304 -> "Not Modified";
            case 307 -> "Temporary Redirect";
            case 308 -> "Permanent Redirect";
            case 400 -> "Bad Request";
            case 401 -> "Unauthorized";
            case 402 -> "Payment Required";
            case 403 -> "Forbidden";
            case 404 -> "Not Found";
            case 405 -> "Method Not Allowed";
            case 406 -> "Not Acceptable";
            case 407 -> "Proxy Authentication Required";
            case 408 -> "Request Timeout";
            case 409 -> "Conflict";
            case 410 -> "Gone";
            case 411 -> "Length Required";
            case 412 -> "Precondition Failed";
            case 413 -> "Content Too Large";
            case 414 -> "URI Too Long";
            case 415 -> "Unsupported Media Type";
            case 416 -> "Range Not Satisfiable";
            case 421 -> "Misdirected Request";
            case 422 -> "Unprocessable Content";
            case 425 -> "Too Early";
            case 426 -> "Upgrade Required";
            case 428 -> "Precondition Required";
            case 429 -> "Too Many Requests";
            case 431 -> "Request Header Fields Too Large";
            case 451 -> "Unavailable For Legal Reasons";
            case 500 -> "Internal Server Error";
            case 501 -> "Not Implemented";
            case 502 -> "Bad Gateway";
            case 503 -> "Service Unavailable";
            case 504 -> "Gateway Timeout";
            case 505 -> "HTTP Version Not Supported";
            case 507 -> "Insufficient Storage";
            case 508 -> "Loop Detected";
            case 511 -> "Network Authentication Required";
            default -> "";
        };
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
