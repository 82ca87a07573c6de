package dev.batchetl.stats.engine;

import static dev.batchetl.stats.engine.StatsTestSupport.col;
import static dev.batchetl.stats.engine.StatsTestSupport.fmt;
import static dev.batchetl.stats.engine.StatsTestSupport.stats;
import static dev.batchetl.stats.engine.StatsTestSupport.withPolicy;
import static dev.batchetl.stats.engine.StatsTestSupport.write;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CsvParsingTests {

    @TempDir
    Path dir;

    @Test
    void headerOnlyFileHasNoRows() throws Exception {
        Path f = write(dir, "h.csv", "a,b\n");
        FileStats s = stats(f);
        assertThat(s.rows()).isZero();
        assertThat(s.columns()).isEqualTo(2);
        assertThat(s.badRows()).isZero();
        ColumnStats a = col(s, "a");
        assertThat(a.count()).isZero();
        assertThat(a.nulls()).isZero();
        assertThat(fmt(a.mean())).isNull();
        assertThat(a.min()).isNull();
        assertThat(a.max()).isNull();
        assertThat(a.minLength()).isNull();
    }

    @Test
    void headerWithoutNewline() throws Exception {
        FileStats s = stats(write(dir, "h.csv", "a,b"));
        assertThat(s.rows()).isZero();
        assertThat(s.columns()).isEqualTo(2);
    }

    @Test
    void emptyFileIsFatal() throws Exception {
        Path f = write(dir, "e.csv", "\n\n");
        assertThatThrownBy(() -> CsvHeader.read(f, CsvOptions.defaults())).isInstanceOf(CsvFormatException.class);
    }

    @Test
    void duplicateAndEmptyHeaderNames() throws Exception {
        Path f = write(dir, "h.csv", "a,a,,a,a.1,\"\",b\n1,2,3,4,5,6,7\n");
        CsvHeader h = CsvHeader.read(f, CsvOptions.defaults());
        // pandas 1.5.3 (list(pd.read_csv(f).columns)): a suffix the header holds itself
        // is skipped
        assertThat(h.names()).containsExactly("a", "a.2", "Unnamed: 2", "a.3", "a.1", "Unnamed: 5", "b");
        assertThat(h.dataStart()).isEqualTo("a,a,,a,a.1,\"\",b\n".length());
        assertThat(h.dataStartLine()).isEqualTo(2);
        FileStats s = stats(f);
        assertThat(col(s, "a.1").min()).isEqualTo("5");
        assertThat(col(s, "Unnamed: 5").max()).isEqualTo("6");
        // more of pandas 1.5.3's answers: the given names are renamed before the unnamed
        // ones
        assertThat(CsvHeader.columnNames(List.of("a", "a", "a.1"))).containsExactly("a", "a.2", "a.1");
        assertThat(CsvHeader.columnNames(List.of("", "Unnamed: 0"))).containsExactly("Unnamed: 0.1", "Unnamed: 0");
        assertThat(CsvHeader.columnNames(List.of("b", "", "b", "", "b.1", "Unnamed: 1"))).containsExactly("b",
                "Unnamed: 1.1", "b.2", "Unnamed: 3", "b.1", "Unnamed: 1");
        assertThat(CsvHeader.columnNames(List.of("a", "a", "a", "a.1", "a.2"))).containsExactly("a", "a.3", "a.4",
                "a.1", "a.2");
        assertThat(CsvHeader.columnNames(List.of("x", "", "x.1", "x", ""))).containsExactly("x", "Unnamed: 1", "x.1",
                "x.2", "Unnamed: 4");
    }

    @Test
    void noHeaderNamesColumnsByIndex() throws Exception {
        CsvOptions d = CsvOptions.defaults();
        CsvOptions o = new CsvOptions(',', '"', null, false, StandardCharsets.UTF_8, d.naValues(), BadRowPolicy.SKIP);
        Path f = write(dir, "n.csv", "1,x\n2,y\n3\n");
        CsvHeader h = CsvHeader.read(f, o);
        assertThat(h.names()).containsExactly("0", "1");
        assertThat(h.dataStart()).isZero();
        FileStats s = stats(f, o);
        assertThat(s.rows()).isEqualTo(3);
        assertThat(col(s, "0").type()).isEqualTo(ColumnType.INTEGER);
        assertThat(col(s, "0").max()).isEqualTo("3");
        assertThat(col(s, "1").nulls()).isEqualTo(1);
    }

    @Test
    void everyDefaultNullTokenIsNull() throws Exception {
        StringBuilder sb = new StringBuilder("v,w\n");
        List<String> tokens = List.of("", "#N/A", "#N/A N/A", "#NA", "-1.#IND", "-1.#QNAN", "-NaN", "-nan", "1.#IND",
                "1.#QNAN", "<NA>", "N/A", "NA", "NULL", "NaN", "None", "n/a", "nan", "null");
        assertThat(CsvOptions.pandasNaValues()).containsExactlyInAnyOrderElementsOf(tokens);
        for (String t : tokens) {
            sb.append(t).append(",1\n");
        }
        // quoted nulls are nulls too
        sb.append("\"NA\",1\n\"\",1\n");
        FileStats s = stats(write(dir, "na.csv", sb.toString()));
        assertThat(s.rows()).isEqualTo(tokens.size() + 2);
        ColumnStats v = col(s, "v");
        assertThat(v.count()).isZero();
        assertThat(v.nulls()).isEqualTo(tokens.size() + 2);
        assertThat(v.type()).isEqualTo(ColumnType.FLOAT);
        assertThat(fmt(v.mean())).isNull();
        assertThat(v.min()).isNull();
        assertThat(col(s, "w").type()).isEqualTo(ColumnType.INTEGER);
    }

    @Test
    void nullTokensAreExactNoTrimming() throws Exception {
        FileStats s = stats(write(dir, "na.csv", "v\n NA\nNA \nna\n"));
        ColumnStats v = col(s, "v");
        assertThat(v.count()).isEqualTo(3);
        assertThat(v.nulls()).isZero();
        assertThat(v.type()).isEqualTo(ColumnType.TEXT);
        assertThat(v.min()).isEqualTo(" NA");
        assertThat(v.max()).isEqualTo("na");
    }

    @Test
    void customNaValues() throws Exception {
        CsvOptions o = new CsvOptions(',', '"', null, true, StandardCharsets.UTF_8, Set.of("-"), BadRowPolicy.SKIP);
        FileStats s = stats(write(dir, "na.csv", "v,w\n-,1\n,2\nNA,3\n"), o);
        ColumnStats v = col(s, "v");
        assertThat(v.nulls()).isEqualTo(1);
        assertThat(v.count()).isEqualTo(2);
        assertThat(v.type()).isEqualTo(ColumnType.TEXT);
        assertThat(v.min()).isEqualTo("");
        assertThat(v.max()).isEqualTo("NA");
        assertThat(v.minLength()).isZero();
    }

    @Test
    void shortRowsPadWithNullsLongRowsAreBad() throws Exception {
        Path f = write(dir, "r.csv", "a,b,c\n1,2,3\n4\n5,6,7,8\n9,10,\n");
        List<BadRow> bad = new ArrayList<>();
        FileStats s = stats(f, CsvOptions.defaults(), bad);
        assertThat(s.rows()).isEqualTo(3);
        assertThat(s.badRows()).isEqualTo(1);
        assertThat(bad).containsExactly(new BadRow(4, "expected 3 fields, saw 4"));
        assertThat(col(s, "a").type()).isEqualTo(ColumnType.INTEGER);
        assertThat(col(s, "a").max()).isEqualTo("9");
        assertThat(col(s, "b").nulls()).isEqualTo(1);
        assertThat(col(s, "b").type()).isEqualTo(ColumnType.FLOAT);
        assertThat(col(s, "b").max()).isEqualTo("10.0");
        assertThat(col(s, "c").nulls()).isEqualTo(2);
        assertThat(col(s, "c").count()).isEqualTo(1);

        assertThatThrownBy(() -> stats(f, withPolicy(BadRowPolicy.FAIL_FILE))).isInstanceOf(CsvFormatException.class)
            .hasMessage("line 4: expected 3 fields, saw 4")
            .satisfies(e -> assertThat(((CsvFormatException) e).line()).isEqualTo(4));
    }

    @Test
    void endOfFileInsideAQuoteFailsTheFileAtTheQuoteLine() throws Exception {
        // pandas: "EOF inside string starting at row N", whatever on_bad_lines says
        String reason = "end of file inside a quoted field that opened here";
        CsvOptions escaped = new CsvOptions(',', '"', '\\', true, StandardCharsets.UTF_8,
                CsvOptions.defaults().naValues(), BadRowPolicy.SKIP);
        List<String[]> cases = List.of(new String[] { "a,b\n1,\"abc", "2" },
                new String[] { "a,b\n1,x\n2,\"open\nstill open\n3,y\n", "3" },
                new String[] { "a,b\r\n1,x\r\n\r\n2,\"open\r\n\rstill \"\"open\"\"\r\n", "4" },
                new String[] { "a,b\n1,x\n\"", "3" }, new String[] { "a,b\n1,x\n2,\"a \\\"b", "3" }, // an
                                                                                                     // escaped
                                                                                                     // quote
                                                                                                     // does
                                                                                                     // not
                                                                                                     // close
                                                                                                     // it
                new String[] { "a,b\n1,x\n2,\"ab\\", "3" }); // nor an escape at the very
                                                             // end
        for (String[] c : cases) {
            Path f = write(dir, "q.csv", c[0]);
            for (CsvOptions o : List.of(CsvOptions.defaults(), withPolicy(BadRowPolicy.FAIL_FILE), escaped)) {
                if (c[0].contains("\\") && o != escaped) {
                    continue;
                }
                for (int buffer : new int[] { 16, 1 << 20 }) {
                    List<BadRow> bad = new ArrayList<>();
                    assertThatThrownBy(() -> StatsTestSupport.statsAcc(f, o, bad, buffer)).as(c[0])
                        .isInstanceOf(CsvFormatException.class)
                        .hasMessage("line " + c[1] + ": " + reason)
                        .satisfies(e -> assertThat(((CsvFormatException) e).line()).isEqualTo(Long.parseLong(c[1])));
                    assertThat(bad).isEmpty();
                }
            }
        }
        // in the header too
        Path h = write(dir, "h.csv", "a,\"b\n1,2\n");
        assertThatThrownBy(() -> CsvHeader.read(h, CsvOptions.defaults())).isInstanceOf(CsvFormatException.class)
            .hasMessage("line 1: " + reason);
        // a quote closed by the last byte of the file is no error
        FileStats s = stats(write(dir, "c.csv", "a,b\n1,\"x\ny\""));
        assertThat(s.rows()).isEqualTo(1);
        assertThat(col(s, "b").max()).isEqualTo("x\ny");
    }

    @Test
    void blankLinesAreSkippedAndLinesStillCounted() throws Exception {
        Path f = write(dir, "b.csv", "\n\na,b\n\n1,2\n   \n\t\n\n3,4\n\n1,2,3\n\n");
        List<BadRow> bad = new ArrayList<>();
        FileStats s = stats(f, CsvOptions.defaults(), bad);
        assertThat(s.rows()).isEqualTo(2);
        assertThat(bad).containsExactly(new BadRow(11, "expected 2 fields, saw 3"));
        assertThat(fmt(col(s, "a").mean())).isEqualTo("2.0");
        CsvHeader h = CsvHeader.read(f, CsvOptions.defaults());
        assertThat(h.dataStartLine()).isEqualTo(4);
    }

    @Test
    void crlfAndLoneCrLineEnds() throws Exception {
        List<BadRow> bad = new ArrayList<>();
        FileStats s = stats(write(dir, "c.csv", "a,b\r\n1,x\r2,y\r\n\r\n3,z,extra\r4,w"), CsvOptions.defaults(), bad);
        assertThat(s.rows()).isEqualTo(3);
        assertThat(col(s, "a").type()).isEqualTo(ColumnType.INTEGER);
        assertThat(col(s, "a").max()).isEqualTo("4");
        assertThat(col(s, "b").max()).isEqualTo("y");
        assertThat(col(s, "b").maxLength()).isEqualTo(1);
        assertThat(bad).containsExactly(new BadRow(5, "expected 2 fields, saw 3"));
    }

    @Test
    void quotedFieldsWithDelimitersNewlinesAndQuotes() throws Exception {
        String csv = "id,note\r\n" + "1,\"a,b\"\r\n" + "2,\"line1\nline2\r\nline3\rline4\"\r\n"
                + "3,\"say \"\"hi\"\"\"\r\n" + "4,x\"y\r\n" + "5,1,2\r\n";
        List<BadRow> bad = new ArrayList<>();
        FileStats s = stats(write(dir, "q.csv", csv), CsvOptions.defaults(), bad);
        assertThat(s.rows()).isEqualTo(4);
        ColumnStats note = col(s, "note");
        assertThat(note.type()).isEqualTo(ColumnType.TEXT);
        assertThat(note.min()).isEqualTo("a,b");
        assertThat(note.max()).isEqualTo("x\"y");
        // "line1\nline2\r\nline3\rline4" = 5+1+5+2+5+1+5 = 24
        assertThat(note.maxLength()).isEqualTo(24);
        assertThat(note.minLength()).isEqualTo(3);
        // physical lines: header 1, row1 2, row2 3-6, row3 7, row4 8, row5 9
        assertThat(bad).containsExactly(new BadRow(9, "expected 2 fields, saw 3"));
    }

    @Test
    void textAfterClosingQuoteIsKept() throws Exception {
        FileStats s = stats(write(dir, "q.csv", "v\n\"ab\"cd\n\"x\"\"\"\n"));
        assertThat(col(s, "v").min()).isEqualTo("abcd");
        assertThat(col(s, "v").max()).isEqualTo("x\"");
    }

    @Test
    void escapeCharacter() throws Exception {
        CsvOptions d = CsvOptions.defaults();
        CsvOptions o = new CsvOptions(',', '"', '\\', true, StandardCharsets.UTF_8, d.naValues(), BadRowPolicy.SKIP);
        FileStats s = stats(write(dir, "e.csv", "v,w\na\\,b,1\n\"q\\\"x\",2\n\\N\\A,3\n"), o);
        ColumnStats v = col(s, "v");
        assertThat(s.rows()).isEqualTo(3);
        // NA values are matched after unescaping, so \N\A is null
        assertThat(v.count()).isEqualTo(2);
        assertThat(v.nulls()).isEqualTo(1);
        assertThat(v.min()).isEqualTo("a,b");
        assertThat(v.max()).isEqualTo("q\"x");
        assertThat(col(s, "w").type()).isEqualTo(ColumnType.INTEGER);
    }

    @Test
    void bomIsSkipped() throws Exception {
        byte[] body = "a,b\n1,2\n".getBytes(StandardCharsets.UTF_8);
        byte[] withBom = new byte[body.length + 3];
        withBom[0] = (byte) 0xEF;
        withBom[1] = (byte) 0xBB;
        withBom[2] = (byte) 0xBF;
        System.arraycopy(body, 0, withBom, 3, body.length);
        Path f = write(dir, "bom.csv", withBom);
        CsvHeader h = CsvHeader.read(f, CsvOptions.defaults());
        assertThat(h.names()).containsExactly("a", "b");
        assertThat(h.dataStart()).isEqualTo(7);
        FileStats s = stats(f);
        assertThat(col(s, "a").max()).isEqualTo("1");
    }

    @Test
    void invalidUtf8IsFatalWithLine() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes("a,b\n1,ok\n2,\"multi\nline \u00e9\"\n3,".getBytes(StandardCharsets.UTF_8));
        out.write(0xC3); // truncated sequence
        out.write('x');
        out.writeBytes("\n".getBytes(StandardCharsets.UTF_8));
        Path f = write(dir, "bad.csv", out.toByteArray());
        assertThatThrownBy(() -> stats(f)).isInstanceOf(CsvFormatException.class)
            .satisfies(e -> assertThat(((CsvFormatException) e).line()).isEqualTo(5));
        // an overlong encoding and a lone continuation byte are invalid too
        Path g = write(dir, "bad2.csv", new byte[] { 'a', '\n', (byte) 0xC0, (byte) 0xAF, '\n' });
        assertThatThrownBy(() -> stats(g)).isInstanceOf(CsvFormatException.class).hasMessageStartingWith("line 2:");
        Path h = write(dir, "bad3.csv", new byte[] { 'a', '\n', 'x', '\n', (byte) 0x80, '\n' });
        assertThatThrownBy(() -> stats(h)).isInstanceOf(CsvFormatException.class).hasMessageStartingWith("line 3:");
        // a surrogate encoded in UTF-8 is invalid
        Path k = write(dir, "bad4.csv", new byte[] { 'a', '\n', (byte) 0xED, (byte) 0xA0, (byte) 0x80, '\n' });
        assertThatThrownBy(() -> stats(k)).isInstanceOf(CsvFormatException.class).hasMessageStartingWith("line 2:");
    }

    @Test
    void iso88591() throws Exception {
        CsvOptions d = CsvOptions.defaults();
        CsvOptions o = new CsvOptions(',', '"', null, true, StandardCharsets.ISO_8859_1, d.naValues(),
                BadRowPolicy.SKIP);
        // "nom" column: "é" (0xE9), "zz", "\u00ff" (0xFF), header has a Latin-1 name too
        byte[] bytes = { 'n', 'o', 'm', ',', (byte) 0xE9, '\n', (byte) 0xE9, ',', '1', '\n', 'z', 'z', ',', '2', '\n',
                (byte) 0xFF, 'a', ',', '3', '\n' };
        Path f = write(dir, "l1.csv", bytes);
        CsvHeader h = CsvHeader.read(f, o);
        assertThat(h.names()).containsExactly("nom", "\u00e9");
        FileStats s = stats(f, o);
        ColumnStats nom = col(s, "nom");
        assertThat(nom.type()).isEqualTo(ColumnType.TEXT);
        assertThat(nom.min()).isEqualTo("zz");
        assertThat(nom.max()).isEqualTo("\u00ffa");
        assertThat(nom.minLength()).isEqualTo(1);
        assertThat(nom.maxLength()).isEqualTo(2);
        assertThat(fmt(col(s, "\u00e9").mean())).isEqualTo("2.0");
    }

    @Test
    void optionsAreValidated() {
        CsvOptions d = CsvOptions.defaults();
        assertThat(d.delimiter()).isEqualTo(',');
        assertThat(d.quote()).isEqualTo('"');
        assertThat(d.escape()).isNull();
        assertThat(d.header()).isTrue();
        assertThat(d.encoding()).isEqualTo(StandardCharsets.UTF_8);
        assertThat(d.badRows()).isEqualTo(BadRowPolicy.SKIP);
        assertThatThrownBy(
                () -> new CsvOptions(',', '"', null, true, StandardCharsets.UTF_16, d.naValues(), BadRowPolicy.SKIP))
            .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(
                () -> new CsvOptions('\n', '"', null, true, StandardCharsets.UTF_8, d.naValues(), BadRowPolicy.SKIP))
            .isInstanceOf(IllegalArgumentException.class);
        assertThat(new CsvFormatException(7, "bad").getMessage()).isEqualTo("line 7: bad");
    }

    @Test
    void otherDelimiterAndQuote() throws Exception {
        CsvOptions d = CsvOptions.defaults();
        CsvOptions o = new CsvOptions(';', '\'', null, true, StandardCharsets.UTF_8, d.naValues(), BadRowPolicy.SKIP);
        FileStats s = stats(write(dir, "o.csv", "a;b\n'x;y';1,5\n'it''s';2\n"), o);
        assertThat(col(s, "a").min()).isEqualTo("it's");
        assertThat(col(s, "a").max()).isEqualTo("x;y");
        assertThat(col(s, "b").type()).isEqualTo(ColumnType.TEXT);
    }

    @Test
    void textMinMaxByCodePoint() throws Exception {
        // U+1F600 (supplementary) sorts after U+FFFD by code point, although its UTF-16
        // form (D83D..) sorts before
        String csv = "t\n\uFFFD\n\uD83D\uDE00\nb\nB\n\u00e9t\u00e9\n";
        FileStats s = stats(write(dir, "t.csv", csv));
        ColumnStats t = col(s, "t");
        assertThat(t.type()).isEqualTo(ColumnType.TEXT);
        assertThat(t.min()).isEqualTo("B");
        assertThat(t.max()).isEqualTo("\uD83D\uDE00");
        assertThat(t.minLength()).isEqualTo(1); // the emoji is one code point
        assertThat(t.maxLength()).isEqualTo(3);
        assertThat(fmt(t.mean())).isNull();
        assertThat(fmt(t.variance())).isNull();
    }

}
