package dev.batchetl.report;

import static org.assertj.core.api.Assertions.assertThat;

import dev.batchetl.EtlCli;
import dev.batchetl.TestDatabase;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;

/**
 * {@code report ID} after two real runs of one definition against the real PostgreSQL,
 * the page opened in headless Chromium: its figures are those of the tables, its plots
 * are drawn, and its drift section names what changed between the runs.
 */
class ReportFunctionalTests {

    private static ChromeDriver browser;

    @TempDir
    Path work;

    @BeforeAll
    static void startBrowser() {
        browser = ReportPageBrowserTests.headlessChromium();
    }

    @AfterAll
    static void stopBrowser() {
        if (browser != null) {
            browser.quit();
        }
    }

    @Test
    void theReportOfASecondRunShowsItsTablesAndWhatChanged() throws Exception {
        // given a definition of its own and two runs of it: the second has a text value
        // in
        // the amount column (its type changes), twice the rows of a.csv and a new file
        String name = "report-" + UUID.randomUUID().toString().substring(0, 8);
        Path data = Files.createDirectories(this.work.resolve("data"));
        Path definition = this.work.resolve(name + ".properties");
        Files.writeString(definition, "dir=data\noutput=out/results.csv\npartitions=2\n");
        StringBuilder first = new StringBuilder("id,amount\n");
        for (int i = 1; i <= 50; i++) {
            first.append(i).append(',').append(i * 1.5).append('\n');
        }
        Files.writeString(data.resolve("a.csv"), first);
        EtlCli.Result one = EtlCli.run("run", definition.toString(), "run=first");
        assertThat(one.exitCode()).as(one.toString()).isZero();
        StringBuilder second = new StringBuilder(first);
        for (int i = 51; i <= 100; i++) {
            second.append(i).append(',').append(i == 100 ? "unknown" : String.valueOf(i * 1.5)).append('\n');
        }
        Files.writeString(data.resolve("a.csv"), second);
        Files.writeString(data.resolve("b.csv"), "x\n1\n2\n3\n");
        EtlCli.Result two = EtlCli.run("run", definition.toString(), "run=second");
        assertThat(two.exitCode()).as(two.toString()).isZero();

        // when its report is written
        Path page = this.work.resolve("report.html");
        EtlCli.Result report = EtlCli.run("report", Long.toString(two.executionId()), "output=" + page);

        // then the command says where, and the page holds the tables' figures
        assertThat(report.exitCode()).as(report.toString()).isZero();
        assertThat(report.out()).contains(page.toString());
        browser.get(page.toUri().toString());
        List<Map<String, Object>> files = TestDatabase.jdbc()
            .queryForList("SELECT file, rows_count, columns_count FROM etl_file_stats WHERE job_execution_id = ?"
                    + " ORDER BY file", two.executionId());
        List<WebElement> rows = browser.findElements(By.cssSelector("tr.file"));
        assertThat(rows).hasSize(files.size()).hasSize(2);
        for (int i = 0; i < files.size(); i++) {
            List<WebElement> cells = rows.get(i).findElements(By.tagName("td"));
            assertThat(cells.get(0).getText()).isEqualTo(files.get(i).get("file"));
            assertThat(cells.get(1).getText().replace(",", "")).isEqualTo(files.get(i).get("rows_count").toString());
            assertThat(cells.get(2).getText()).isEqualTo(files.get(i).get("columns_count").toString());
        }
        // the id column of a.csv: its figures are the table's, and its distribution is
        // drawn
        Map<String, Object> id = TestDatabase.jdbc()
            .queryForMap(
                    "SELECT non_null_count, min_value, max_value, mean FROM etl_column_stats"
                            + " WHERE job_execution_id = ? AND file = 'a.csv' AND column_name = 'id'",
                    two.executionId());
        browser.findElement(By.cssSelector("tr.file[data-file='a.csv']")).click();
        List<WebElement> idCells = browser.findElements(By.cssSelector("tr.cols tr.col"))
            .get(0)
            .findElements(By.tagName("td"));
        assertThat(idCells.get(0).getText()).isEqualTo("id");
        assertThat(idCells.get(2).getText()).isEqualTo(id.get("non_null_count").toString());
        assertThat(idCells.get(4).getText()).isEqualTo(id.get("min_value"));
        assertThat(idCells.get(5).getText()).isEqualTo(id.get("max_value"));
        assertThat(Double.parseDouble(idCells.get(6).getText())).isEqualTo((Double) id.get("mean"));
        WebElement plot = idCells.get(12).findElement(By.cssSelector("svg.hist"));
        assertThat(plot.findElements(By.tagName("rect"))).hasSize(24);
        // values 1 to 100 in 24 bins: the first bins hold 5 values or 4 (independently:
        // bin = floor((v - 1) / 99 * 24))
        assertThat(plot.getRect().getWidth()).isPositive();
        // both executions of the instance are on the page, and the drift names the type
        // change and the new file
        String drift = browser.findElement(By.id("drift")).getText();
        assertThat(drift).contains("Against execution " + one.executionId() + " (run first)")
            .contains("new files: b.csv")
            .containsPattern("a\\.csv\\s+amount\\s+type\\s+float\\s+text")
            .containsPattern("a\\.csv\\s+rows\\s+50\\s+100");
        assertThat(browser.findElements(By.cssSelector("#timeline rect.bar"))).isNotEmpty();
        Object resources = browser
            .executeScript("return performance.getEntriesByType('resource').map(function (e) { return e.name; })");
        assertThat((List<?>) resources).isEmpty();
    }

    @Test
    void aReportOfNoExecutionIsAUsageError() {
        EtlCli.Result report = EtlCli.run("report", "999999999", "output=" + this.work.resolve("none.html"));

        assertThat(report.exitCode()).isEqualTo(2);
        assertThat(report.err()).contains("no job execution with id 999999999");
        assertThat(this.work.resolve("none.html")).doesNotExist();
    }

}
