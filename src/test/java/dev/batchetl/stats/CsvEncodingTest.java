package dev.batchetl.stats;

import java.io.ByteArrayOutputStream;
import java.nio.charset.Charset;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static dev.batchetl.stats.StatsTestSupport.col;
import static dev.batchetl.stats.StatsTestSupport.stats;
import static dev.batchetl.stats.StatsTestSupport.write;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Reading encodings other than UTF-8 and ISO-8859-1, whose fields go through the charset's decoder. */
class CsvEncodingTest {

	@TempDir
	Path dir;

	/** EUC-JP's decoder takes 0xA5 0x41 as one invalid sequence; the A stays a character of its own, as in Python. */
	@Test
	void anInvalidEucJpByteFailsTheFileAtItsLineOrIsReplacedWithoutTheAsciiByteAfterIt() throws Exception {
		Charset eucJp = Charset.forName("EUC-JP");
		ByteArrayOutputStream bytes = new ByteArrayOutputStream();
		bytes.writeBytes("a|b\n1|".getBytes(eucJp));
		bytes.write(0xA5);
		bytes.writeBytes("AB\u6771\n2|z\n".getBytes(eucJp));
		Path file = write(this.dir, "invalid.csv", bytes.toByteArray());
		CsvOptions options = new CsvOptions('|', '"', null, true, eucJp, CsvOptions.pandasNaValues(),
				BadRowPolicy.SKIP);

		// the line of the row, not the line of the last row staged with it
		assertThatThrownBy(() -> stats(file, options)).isInstanceOf(CsvFormatException.class)
			.hasMessage("line 2: invalid EUC-JP byte sequence");
		FileStats replaced = stats(file, options.withInvalidBytes(InvalidBytePolicy.REPLACE));
		assertThat(replaced.invalidBytes()).isEqualTo(1);
		assertThat(col(replaced, "b").max()).isEqualTo("\uFFFDAB\u6771");
		assertThat(col(replaced, "b").maxLength()).isEqualTo(4);
		assertThat(col(replaced, "b").min()).isEqualTo("z");
	}

}
