package dev.batchetl.report;

import static org.assertj.core.api.Assertions.assertThat;

import dev.batchetl.EtlProcess;
import dev.batchetl.report.RunReport.BadRow;
import dev.batchetl.report.RunReport.Bar;
import dev.batchetl.report.RunReport.Column;
import dev.batchetl.report.RunReport.Drift;
import dev.batchetl.report.RunReport.Execution;
import dev.batchetl.report.RunReport.Fetch;
import dev.batchetl.report.RunReport.FileStats;
import dev.batchetl.report.RunReport.Histogram;
import dev.batchetl.report.RunReport.Run;
import dev.batchetl.report.RunReport.Source;
import dev.batchetl.report.RunReport.Change;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.logging.Level;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;

/**
 * The self-contained page of a run opened in headless Chromium: what it draws (the
 * timeline's bars, the throughput chart, a column's distribution), with no console error
 * and no request for anything, from a file as a mail attachment would be opened.
 */
public class ReportPageBrowserTests {

    private static ChromeDriver browser;

    @TempDir
    Path folder;

    @BeforeAll
    static void startBrowser() {
        browser = headlessChromium();
    }

    @AfterAll
    static void stopBrowser() {
        if (browser != null) {
            browser.quit();
        }
    }

    /**
     * Headless Chromium through Debian's driver; the test is skipped where it is not
     * installed.
     */
    public static ChromeDriver headlessChromium() {
        Assumptions.assumeTrue(EtlProcess.onPath("chromium") && EtlProcess.onPath("chromedriver"),
                "chromium and chromium-driver are not installed");
        ChromeOptions options = new ChromeOptions();
        options.setBinary(Path.of("/usr/bin/chromium").toFile().exists() ? "/usr/bin/chromium" : "chromium");
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--window-size=1600,1200", "--no-first-run", "--disable-extensions", "--disable-background-networking");
        LoggingPreferences logs = new LoggingPreferences();
        logs.enable(LogType.BROWSER, Level.ALL);
        options.setCapability("goog:loggingPrefs", logs);
        ChromeDriverService service = new ChromeDriverService.Builder()
            .usingDriverExecutable(Path.of("/usr/bin/chromedriver").toFile())
            .build();
        return new ChromeDriver(service, options);
    }

    @Test
    void theSelfContainedPageDrawsTheRunWithoutErrorsOrRequests() throws Exception {
        // given the page of a run with a killed first execution and a restart
        Path page = folder.resolve("report.html");
        ReportPage.write(twoExecutions(), page);

        // when it is opened from the file
        browser.get(page.toUri().toString());

        // then the header, both executions and a bar per step and partition are drawn
        assertThat(browser.getTitle()).isEqualTo("nightly run=2026-11-21 – COMPLETED");
        assertThat(browser.findElements(By.cssSelector("#executions tbody tr"))).hasSize(2);
        List<WebElement> bars = browser.findElements(By.cssSelector("#timeline rect.bar"));
        assertThat(bars).hasSize(5);
        for (WebElement bar : bars) {
            assertThat(bar.getRect().getWidth()).as("width of " + bar.getAttribute("data-lane")).isPositive();
        }
        assertThat(browser.findElements(By.cssSelector("#timeline rect.b-FAILED"))).hasSize(2);
        // the throughput chart is uPlot's canvas, drawn
        assertThat(browser.findElements(By.cssSelector("#throughput canvas"))).isNotEmpty();
        // failures first in the fetch table
        assertThat(browser.findElement(By.cssSelector("#fetch .scroll tbody tr td:nth-child(2)")).getText())
            .isEqualTo("http://data.example.org/b.csv");
        // a file's columns open with their distribution plots
        browser.findElement(By.cssSelector("tr.file[data-file='orders.csv']")).click();
        List<WebElement> plots = browser.findElements(By.cssSelector("tr.cols svg.hist"));
        assertThat(plots).hasSize(1);
        assertThat(plots.get(0).findElements(By.tagName("rect"))).hasSize(4);
        assertThat(plots.get(0).getRect().getHeight()).isPositive();
        assertThat(browser.findElement(By.cssSelector("tr.cols")).getText()).contains("≈ 2,000")
            .contains("7 3 fields, the header has 1");
        // the drift names the changed column
        assertThat(browser.findElement(By.id("drift")).getText()).contains("amount").contains("type");

        // and nothing failed or was requested beyond the file itself
        assertThat(consoleWarnings(browser)).isEmpty();
        Object resources = browser
            .executeScript("return performance.getEntriesByType('resource').map(function (e) { return e.name; })");
        assertThat((List<?>) resources).isEmpty();
    }

    @Test
    void aBigRunsPageHoldsItsDataPackedAndDrawsIt() throws Exception {
        // given the page of a run of 100 files of 20 columns, whose data is over the
        // size that is packed
        RunReport report = ReportSizeBenchmarkTests.big(100, 20);
        assertThat(ReportPage.json(report).length()).isGreaterThan(ReportPage.PACKED_ABOVE);
        Path page = folder.resolve("big.html");
        ReportPage.write(report, page);
        String html = Files.readString(page);
        assertThat(html).contains("id=\"run-data-gzip\"").doesNotContain("\"column_19\"");
        // scripts and styles included
        assertThat(Files.size(page)).isLessThan(ReportPage.json(report).length() * 6L / 10);

        // when it is opened
        browser.get(page.toUri().toString());

        // then it is drawn from the unpacked data: every file, and a file's columns
        org.awaitility.Awaitility.await().until(() -> browser.findElements(By.cssSelector("tr.file")).size() == 100);
        assertThat(browser.findElements(By.cssSelector("#timeline rect.bar"))).hasSize(103);
        browser.findElement(By.cssSelector("tr.file[data-file='f0042.csv']")).click();
        assertThat(browser.findElements(By.cssSelector("tr.cols tr.col"))).hasSize(20);
        assertThat(browser.findElement(By.cssSelector("tr.cols")).getText()).contains("column_19");
        assertThat(consoleWarnings(browser)).isEmpty();
    }

    /**
     * What the pages opened since the last call wrote to the console as warnings or
     * errors.
     */
    public static List<LogEntry> consoleWarnings(ChromeDriver browser) {
        return browser.manage()
            .logs()
            .get(LogType.BROWSER)
            .getAll()
            .stream()
            .filter(entry -> entry.getLevel().intValue() >= Level.WARNING.intValue())
            .toList();
    }

    @Test
    void noValueCanBreakOutOfThePage() throws Exception {
        // given a file name and a value holding markup
        RunReport report = twoExecutions();
        String evil = "</script><script>document.title='owned'</script><!--";
        RunReport tampered = new RunReport(report.run(), report.executions(), report.timeline(), report.fetch(),
                List.of(new FileStats(evil, 1L, 1, 0L, null, List
                    .of(new Column(evil, "text", 1, 0, evil, evil, null, null, null, null, null, 1L, true, null)),
                        List.of())),
                null, List.of(evil), List.of(), report.generated());
        Path page = folder.resolve("evil.html");
        ReportPage.write(tampered, page);

        // when it is opened
        browser.get(page.toUri().toString());

        // then the value is shown as text and nothing of it ran
        assertThat(browser.getTitle()).isEqualTo("nightly run=2026-11-21 – COMPLETED");
        assertThat(browser.findElement(By.id("failures")).getText()).contains(evil);
        assertThat(Files.readString(page)).doesNotContain(evil);
    }

    static RunReport twoExecutions() {
        long t0 = 1_790_000_000_000L;
        Run run = new Run("nightly", "2026-11-21", 1, 2, "COMPLETED", 0, "completed", 9_000L, "etl-1");
        List<Execution> executions = List.of(
                new Execution(1, "FAILED", 1, t0, t0 + 4_000, "pid 10090 on etl-1", "killed in stats"),
                new Execution(2, "COMPLETED", 0, t0 + 6_000, t0 + 9_000, "pid 10200 on etl-1", "restart"));
        List<Bar> timeline = List.of(new Bar(1, "fetch", "COMPLETED", t0, t0 + 2_000L, null),
                new Bar(1, "stats-file:f00001", "FAILED", t0 + 2_000, t0 + 4_000L, "died"),
                new Bar(1, "stats", "FAILED", t0 + 2_000, t0 + 4_000L, null),
                new Bar(2, "stats-file:f00001", "COMPLETED", t0 + 6_000, t0 + 8_000L, null),
                new Bar(2, "export", "COMPLETED", t0 + 8_000, t0 + 9_000L, null));
        Fetch fetch = Fetch.of(2_000L,
                List.of(new Source(1, "http://data.example.org/a.csv", "a.csv", "DONE", 5_000_000L, 1_500L, 1, 200,
                        null, t0 + 1_600),
                        new Source(2, "http://data.example.org/b.csv", "b.csv", "FAILED", null, 300L, 3, 503,
                                "HTTP 503 Service Unavailable", t0 + 1_900),
                        new Source(3, "http://data.example.org/c.csv", "c.csv", "DONE", 2_000_000L, 900L, 1, 200, null,
                                t0 + 1_950)));
        List<FileStats> files = List.of(new FileStats("orders.csv", 2_000L, 1, 1L, null,
                List.of(new Column("amount", "float", 1_990, 10, 1.5, 99.25, 20.125, RunReport.number(3.5), 10.0, 20.0,
                        30.0, 2_000L, false, new Histogram(1.5, 99.25, new long[] { 5, 0, 40, 7 }))),
                List.of(new BadRow(7, "3 fields, the header has 1"))));
        Drift drift = new Drift(0, "2026-11-20", "10 %", List.of(), List.of(),
                List.of(new Change("orders.csv", "amount", "type", "integer", "float")));
        return new RunReport(run, executions, timeline, fetch, files, drift, List.of(), List.of(), t0 + 10_000);
    }

}
