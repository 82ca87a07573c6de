package dev.batchetl.job;

/**
 * The one-line texts the commands print and log: an exception's message on one line, the
 * root of a cause chain, the first line of a stored description.
 */
public final class Messages {

    private static final int MAX_LINE = 300;

    private Messages() {
    }

    /** An exception's message on one line (its class name when it has none). */
    public static String oneLine(Throwable t) {
        String message = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
        return message.strip().replaceAll("\\s*\\R\\s*", " ");
    }

    /**
     * The last exception of the cause chain of {@code ex} ({@code ex} itself if none).
     */
    public static Throwable rootCause(Throwable ex) {
        Throwable t = ex;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t;
    }

    /**
     * The first line of {@code text}, cut at 300 characters, or {@code fallback} when
     * there is no text.
     */
    public static String firstLine(String text, String fallback) {
        if (text == null || text.isBlank()) {
            return fallback;
        }
        String line = text.strip().lines().findFirst().orElse(fallback);
        return line.length() > MAX_LINE ? line.substring(0, MAX_LINE) + "..." : line;
    }

    /**
     * The first exception of a stored stack trace (an exit description) with its whole
     * message, which may span lines, made one line; any other text's first line; empty
     * when there is no text.
     */
    public static String firstException(String text) {
        if (text == null || text.isBlank()) {
            return "";
        }
        StringBuilder message = new StringBuilder();
        for (String line : (Iterable<String>) text.strip().lines()::iterator) {
            if (line.startsWith("\tat ") || line.strip().startsWith("at ") && !message.isEmpty()) {
                break;
            }
            message.append(message.isEmpty() ? "" : " ").append(line.strip());
            if (!text.contains("\tat ")) {
                break;
            }
        }
        String line = message.toString();
        return line.length() > 500 ? line.substring(0, 500) + "..." : line;
    }

}
