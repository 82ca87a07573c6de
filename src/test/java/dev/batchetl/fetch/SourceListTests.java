package dev.batchetl.fetch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SourceListTests {

    private static final String SHA = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";

    @TempDir
    Path dir;

    private Path list(String... lines) throws IOException {
        Path file = dir.resolve("sources.txt");
        Files.writeString(file, String.join("\n", lines) + "\n", StandardCharsets.UTF_8);
        return file;
    }

    @Test
    void readsUrlsSkippingCommentsAndBlankLines() throws IOException {
        Path file = list("# sources for the nightly run", "", "   ", "  # indented comment", "http://example.org/a.csv",
                "https://example.org/b.csv?year=2024   # trailing comment", "\thttps://example.org/c.csv#frag");

        List<Source> sources = SourceList.read(file);

        assertThat(sources).containsExactly(new Source(5, URI.create("http://example.org/a.csv"), null),
                new Source(6, URI.create("https://example.org/b.csv?year=2024"), null),
                new Source(7, URI.create("https://example.org/c.csv#frag"), null));
    }

    @Test
    void readsSha256TokenAndLowerCasesIt() throws IOException {
        Path file = list("http://example.org/a.csv sha256=" + SHA.toUpperCase() + "  # checked");

        assertThat(SourceList.read(file)).containsExactly(new Source(1, URI.create("http://example.org/a.csv"), SHA));
    }

    @Test
    void badSchemeNamesFileAndLine() throws IOException {
        Path file = list("# header", "http://example.org/a.csv", "ftp://example.org/b.csv");

        assertThatThrownBy(() -> SourceList.read(file)).isInstanceOf(SourceListException.class)
            .hasMessageStartingWith(file + ":3: ")
            .hasMessageContaining("unsupported scheme 'ftp'")
            .satisfies(e -> {
                SourceListException sle = (SourceListException) e;
                assertThat(sle.line()).isEqualTo(3);
                assertThat(sle.file()).isEqualTo(file);
            });
    }

    @Test
    void textWithoutSchemeIsRejected() throws IOException {
        Path file = list("example.org/a.csv");

        assertThatThrownBy(() -> SourceList.read(file)).isInstanceOf(SourceListException.class)
            .hasMessageStartingWith(file + ":1: ")
            .hasMessageContaining("not a URL");
    }

    @Test
    void badTokenNamesFileAndLine() throws IOException {
        Path file = list("http://example.org/a.csv", "", "http://example.org/b.csv md5=abc");

        assertThatThrownBy(() -> SourceList.read(file)).isInstanceOf(SourceListException.class)
            .hasMessage(file + ":3: unexpected token 'md5=abc' (only sha256=HEX may follow the URL)");
    }

    @Test
    void shortSha256IsRejected() throws IOException {
        Path file = list("http://example.org/a.csv sha256=abcdef");

        assertThatThrownBy(() -> SourceList.read(file)).isInstanceOf(SourceListException.class)
            .hasMessageStartingWith(file + ":1: invalid sha256");
    }

    @Test
    void invalidUrlIsRejected() throws IOException {
        Path file = list("http://exa mple.org/a.csv");

        // the space splits the URL into two tokens; the second is not a sha256 token
        assertThatThrownBy(() -> SourceList.read(file)).isInstanceOf(SourceListException.class)
            .hasMessageStartingWith(file + ":1: ");

        Path other = list("http://example.org/a b|c.csv".replace(" ", "%20").replace("|", "^"));
        assertThatThrownBy(() -> SourceList.read(other)).isInstanceOf(SourceListException.class)
            .hasMessageStartingWith(other + ":1: invalid URL");
    }

    @Test
    void httpUrlWithoutHostIsRejected() throws IOException {
        Path file = list("http:///a.csv");

        assertThatThrownBy(() -> SourceList.read(file)).isInstanceOf(SourceListException.class)
            .hasMessageContaining("without host");
    }

    @Test
    void relativeFileUrlResolvesAgainstTheListFolder() throws IOException {
        Path sub = Files.createDirectories(dir.resolve("lists"));
        Path file = sub.resolve("sources.txt");
        Path abs = dir.resolve("abs.csv").toAbsolutePath();
        Files.writeString(file, String.join("\n", "file:local/data.csv", "file:../up.csv", "file:" + abs,
                "file://" + abs, "file:my%20file.csv"));

        List<Source> sources = SourceList.read(file);

        Path folder = sub.toAbsolutePath();
        // "file:<abs>" and "file://<abs>" are the same file: the second is a duplicate
        // and dropped
        assertThat(sources).extracting(Source::uri)
            .containsExactly(folder.resolve("local/data.csv").toUri(), dir.toAbsolutePath().resolve("up.csv").toUri(),
                    abs.toUri(), folder.resolve("my file.csv").toUri());
        assertThat(sources).extracting(Source::line).containsExactly(1, 2, 3, 5);
        assertThat(Path.of(sources.get(0).uri())).isEqualTo(folder.resolve("local/data.csv"));
    }

    @Test
    void fileUrlWithHostIsRejected() throws IOException {
        Path file = list("file://server/share/a.csv");

        assertThatThrownBy(() -> SourceList.read(file)).isInstanceOf(SourceListException.class)
            .hasMessageContaining("with a host");
    }

    @Test
    void duplicatesKeepTheFirst() throws IOException {
        Path file = list("http://example.org/a.csv", "http://example.org/b.csv",
                "http://example.org/a.csv sha256=" + SHA, "HTTP://EXAMPLE.ORG/a.csv");

        List<Source> sources = SourceList.read(file);

        assertThat(sources).containsExactly(new Source(1, URI.create("http://example.org/a.csv"), null),
                new Source(2, URI.create("http://example.org/b.csv"), null));
    }

    @Test
    void hashWithoutPrecedingWhitespaceIsPartOfTheUrl() throws IOException {
        Path file = list("http://example.org/a.csv#part2 # comment");

        assertThat(SourceList.read(file)).extracting(Source::uri)
            .containsExactly(URI.create("http://example.org/a.csv#part2"));
    }

    @Test
    void emptyListGivesNoSources() throws IOException {
        assertThat(SourceList.read(list("# nothing yet", ""))).isEmpty();
    }

    @Test
    void missingListFileIsReported() {
        Path file = dir.resolve("nope.txt");

        assertThatThrownBy(() -> SourceList.read(file)).isInstanceOf(SourceListException.class)
            .hasMessage(file + ": no such file");
    }

    @Test
    void windowsLineEndingsAndBomAreAccepted() throws IOException {
        Path file = dir.resolve("crlf.txt");
        Files.writeString(file, "\uFEFFhttp://example.org/a.csv\r\n# c\r\nhttp://example.org/b.csv\r\n");

        assertThat(SourceList.read(file)).extracting(Source::line).containsExactly(1, 3);
    }

    @Test
    void theIdentityOfAUriIsSharedExactlyWhenTheUrisAreEqual() {
        String[][] pairs = { { "http://Example.ORG/a.csv", "HTTP://example.org/a.csv" },
                { "http://h/a%2fb.csv", "http://h/a%2Fb.csv" }, { "http://h/A.csv", "http://h/a.csv" },
                { "http://h:8080/a.csv", "http://h/a.csv" }, { "http://h/a.csv?x=1", "http://h/a.csv?x=2" },
                { "file:/srv/a.csv", "FILE:/srv/a.csv" }, { "file:/srv/a.csv", "file:/srv/A.csv" },
                { "http://h/a.csv#x", "http://h/a.csv#X" } };
        for (String[] pair : pairs) {
            java.net.URI a = java.net.URI.create(pair[0]);
            java.net.URI b = java.net.URI.create(pair[1]);
            assertThat(SourceList.identity(a).equals(SourceList.identity(b))).as(pair[0] + " " + pair[1])
                .isEqualTo(a.equals(b));
        }
    }

}
