package dev.batchetl.fetch;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

class TargetNamesTests {

    private static List<String> names(String... uris) {
        return TargetNames.assign(Stream.of(uris).map(URI::create).toList());
    }

    private static String hash8(String uri) {
        return HexFormat.of().formatHex(TargetNames.sha256(uri)).substring(0, 8);
    }

    @Test
    void usesTheLastPathSegment() {
        assertThat(names("http://example.org/data/2024/sales.csv", "https://example.org/x/report.tsv?y=1#frag"))
            .containsExactly("sales.csv", "report.tsv");
    }

    @Test
    void sameBaseNamesGetDistinctNamesAllButTheFirst() {
        String a = "http://one.example/data.csv";
        String b = "http://two.example/data.csv";
        String c = "http://two.example/DATA.csv";
        String d = "http://two.example/data.csv?page=2";

        List<String> names = names(a, b, c, d);

        assertThat(names).containsExactly("data.csv", "data-" + hash8(b) + ".csv", "DATA-" + hash8(c) + ".csv",
                "data-" + hash8(d) + ".csv");
        assertThat(names.stream().map(n -> n.toLowerCase(Locale.ROOT)).distinct()).hasSize(4);
    }

    @Test
    void uriWithoutBaseNameIsNamedAfterTheHost() {
        assertThat(names("http://example.org/", "http://example.org", "http://other.example/dir/")).containsExactly(
                "example.org-index.csv", "example.org-index-" + hash8("http://example.org") + ".csv",
                "other.example-index.csv");
    }

    @Test
    void traversalNeverEscapesTheFolder() {
        List<String> names = names("http://example.org/../../etc/passwd",
                "http://example.org/files/%2e%2e%2f%2e%2e%2fetc%2fpasswd", "http://example.org/a/%2e%2e",
                "http://example.org/..", "http://example.org/x/..%5c..%5cwin.ini", "http://example.org/.hidden");

        Path folder = Path.of("downloads").toAbsolutePath();
        for (String name : names) {
            assertThat(name).doesNotContain("/", "\\")
                .isNotIn("", ".", "..")
                .doesNotStartWith(".")
                .matches("[A-Za-z0-9._-]+");
            Path resolved = folder.resolve(name).normalize();
            assertThat(resolved.getParent()).isEqualTo(folder);
        }
        assertThat(names.get(0)).isEqualTo("passwd.csv");
        assertThat(names.get(1)).isEqualTo("___.._etc_passwd");
        assertThat(names.get(2)).isEqualTo("example.org-index.csv");
        assertThat(names.get(4)).isEqualTo("___.._win.ini");
        assertThat(names.get(5)).isEqualTo("_hidden.csv");
    }

    @Test
    void sanitisesAndDecodes() {
        assertThat(names("http://example.org/my%20data%C3%A9+x.csv", "http://example.org/a:b*c?.csv"))
            .containsExactly("my_data_+x.csv".replace("+", "_"), "a_b_c.csv");
    }

    @Test
    void aNameWithoutExtensionGetsCsvSoTheStatisticsReadIt() {
        assertThat(names("http://example.org/api/export?format=csv", "http://example.org/data.tsv"))
            .containsExactly("export.csv", "data.tsv");
    }

    @Test
    void longNamesAreShortenedKeepingTheExtension() {
        String stem = "x".repeat(300);
        String first = "http://example.org/" + stem + ".csv";
        String second = "http://example.org/other/" + stem + ".csv";

        List<String> names = names(first, second);

        assertThat(names.get(0)).hasSize(TargetNames.MAX_LENGTH).endsWith("xx.csv");
        assertThat(names.get(1)).hasSize(TargetNames.MAX_LENGTH).endsWith("-" + hash8(second) + ".csv");
    }

    @Test
    void isDeterministic() {
        String[] uris = { "http://a.example/data.csv", "http://b.example/data.csv", "http://c.example/",
                "http://d.example/data.csv", "file:///srv/data.csv" };

        assertThat(names(uris)).isEqualTo(names(uris)).doesNotHaveDuplicates().hasSize(5);
    }

    @Test
    void aNameTakenByAnEarlierSuffixedNameStillGetsADistinctName() {
        String a = "http://a.example/data.csv";
        String b = "http://b.example/data.csv";
        String c = "http://c.example/data-" + hash8(b) + ".csv";

        List<String> names = names(a, b, c, b);

        assertThat(names).doesNotHaveDuplicates();
        assertThat(names.get(2)).startsWith("data-" + hash8(b) + "-").endsWith(".csv");
    }

    @Test
    void fileUrisUseTheFileName() {
        assertThat(names("file:///srv/in/data.csv")).containsExactly("data.csv");
    }

}
