package dev.batchetl.fetch;

import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.util.Properties;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link PropertiesText} reads back through {@link Properties#load} as written, whatever
 * the values hold.
 */
class PropertiesTextTests {

    @Test
    void valuesComeBackAsWritten() throws Exception {
        Properties props = new Properties();
        props.setProperty("uri", "http://example.org/a b/c?x=1&y=:#!\\z");
        props.setProperty("etag", " \"W/x\"\t ");
        props.setProperty("lastModified", "Wed, 21 Oct 2015 07:28:00 GMT");
        props.setProperty("note", "line\nbreak\r\fand ünïcödé");
        props.setProperty("empty", "");
        props.setProperty("odd key=:", "#!");

        Properties read = new Properties();
        read.load(new StringReader(new String(PropertiesText.of(props, "a\ncomment"), StandardCharsets.UTF_8)));

        assertThat(read).isEqualTo(props);
    }

}
