package dev.batchetl.fetch;

import java.nio.charset.StandardCharsets;
import java.util.Properties;
import java.util.TreeSet;

/**
 * Properties as UTF-8 text that {@link Properties#load(java.io.Reader)} reads back: a
 * comment line, then one {@code key=value} line per entry. Unlike
 * {@link Properties#store}, it writes no date line, whose time zone lookup cost more than
 * the rest of a small record.
 */
final class PropertiesText {

    private PropertiesText() {
    }

    static byte[] of(Properties props, String comment) {
        StringBuilder text = new StringBuilder("#").append(comment.replaceAll("[\\r\\n]+", " ")).append('\n');
        for (String key : new TreeSet<>(props.stringPropertyNames())) {
            escape(text, key, true);
            text.append('=');
            escape(text, props.getProperty(key), false);
            text.append('\n');
        }
        return text.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static void escape(StringBuilder text, String value, boolean key) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '\\' -> text.append("\\\\");
                case '\n' -> text.append("\\n");
                case '\r' -> text.append("\\r");
                case '\t' -> text.append("\\t");
                case '\f' -> text.append("\\f");
                case ' ' -> text.append(key || i == 0 ? "\\ " : " ");
                case '=', ':', '#', '!' -> text.append(key ? "\\" : "").append(c);
                default -> text.append(c);
            }
        }
    }

}
