package dev.batchetl.report;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import dev.batchetl.report.RunReport.Bar;
import dev.batchetl.report.RunReport.Column;
import dev.batchetl.report.RunReport.Execution;
import dev.batchetl.report.RunReport.Fetch;
import dev.batchetl.report.RunReport.FileStats;
import dev.batchetl.report.RunReport.Histogram;
import dev.batchetl.report.RunReport.Run;
import dev.batchetl.report.RunReport.Source;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.chrome.ChromeDriver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The size of the page of a big run and how long it takes to show: 1,000 sources and
 * files of 20 columns each (20,000 columns, each with its distribution), 1,000 partitions
 * on the timeline. It measures the writing of the page, its size, and in headless
 * Chromium the time from opening the file to the page drawn, then to a file's columns
 * shown (medians of 5). Not part of the suite:
 *
 * <pre>
 * ./mvnw -o test -Dtest=ReportSizeBenchmarkTests -Dreport.benchmark=true
 * </pre>
 */
class ReportSizeBenchmarkTests {

    @TempDir
    Path folder;

    @Test
    void aPageOfAThousandFilesAndTwentyThousandColumns() throws Exception {
        assumeTrue(Boolean.getBoolean("report.benchmark"), "-Dreport.benchmark=true runs it");
        RunReport report = big(1_000, 20);
        Path page = System.getProperty("report.benchmark.page") != null
                ? Path.of(System.getProperty("report.benchmark.page")) : this.folder.resolve("report.html");
        List<Long> writes = new ArrayList<>();
        for (int turn = 0; turn < 5; turn++) {
            long start = System.nanoTime();
            ReportPage.write(report, page);
            writes.add((System.nanoTime() - start) / 1_000_000);
        }
        long bytes = Files.size(page);
        ChromeDriver browser = ReportPageBrowserTests.headlessChromium();
        List<Long> drawn = new ArrayList<>();
        List<Long> opened = new ArrayList<>();
        try {
            for (int turn = 0; turn < 5; turn++) {
                browser.get("about:blank");
                long start = System.nanoTime();
                // get returns once the load event has fired, after the page's script drew
                // it
                browser.get(page.toUri().toString());
                org.awaitility.Awaitility.await()
                    .pollInterval(java.time.Duration.ofMillis(10))
                    .until(() -> browser.findElements(By.cssSelector("#timeline rect.bar")).size() == 1_000 + 3);
                drawn.add((System.nanoTime() - start) / 1_000_000);
                long click = System.nanoTime();
                browser.findElement(By.cssSelector("tr.file[data-file='f0500.csv']")).click();
                assertThat(browser.findElements(By.cssSelector("tr.cols svg.hist"))).hasSize(20);
                opened.add((System.nanoTime() - click) / 1_000_000);
            }
        }
        finally {
            browser.quit();
        }
        System.out.printf("%nreport of 1,000 sources, 1,000 files, 20,000 columns (medians of 5):%n");
        System.out
            .printf("| written in | size | drawn in Chromium | a file's columns shown |%n| --- | --- | --- | --- |%n");
        System.out.printf("| %d ms | %.1f MB | %d ms | %d ms |%n", median(writes), bytes / 1e6, median(drawn),
                median(opened));
    }

    static RunReport big(int files, int columns) {
        long t0 = 1_790_000_000_000L;
        Random random = new Random(42);
        Run run = new Run("big", "2026-12-01", 1, 1, "COMPLETED", 0, "completed", 600_000L, "etl-1");
        List<Execution> executions = List
            .of(new Execution(1, "COMPLETED", 0, t0, t0 + 600_000, "pid 1 on etl-1", "all completed"));
        List<Bar> timeline = new ArrayList<>();
        timeline.add(new Bar(1, "fetch", "COMPLETED", t0, t0 + 100_000L, null));
        timeline.add(new Bar(1, "stats", "COMPLETED", t0 + 100_000, t0 + 590_000L, null));
        timeline.add(new Bar(1, "export", "COMPLETED", t0 + 590_000, t0 + 600_000L, null));
        List<Source> sources = new ArrayList<>();
        List<FileStats> stats = new ArrayList<>();
        for (int f = 0; f < files; f++) {
            String name = String.format("f%04d.csv", f);
            long start = t0 + 100_000 + random.nextInt(400_000);
            timeline.add(new Bar(1, String.format("stats-file:f%05d", f + 1), "COMPLETED", start,
                    start + 1_000 + random.nextInt(80_000), null));
            sources.add(new Source(f + 1, "https://data.example.org/exports/" + name, name, "DONE",
                    1_000_000L + random.nextInt(50_000_000), 200L + random.nextInt(5_000), 1, 200, null,
                    t0 + random.nextInt(100_000)));
            List<Column> cols = new ArrayList<>();
            for (int c = 0; c < columns; c++) {
                long[] counts = new long[24];
                for (int b = 0; b < counts.length; b++) {
                    counts[b] = random.nextInt(10_000);
                }
                double low = random.nextGaussian() * 100;
                cols.add(new Column("column_" + c, "float", 99_000, 1_000, low, low + 500, low + 250,
                        RunReport.number(120.5), low + 120, low + 250, low + 380, 50_000L + c, false,
                        new Histogram(low, low + 500, counts)));
            }
            stats.add(new FileStats(name, 100_000L, columns, 0L, null, cols, List.of()));
        }
        return new RunReport(run, executions, timeline, Fetch.of(100_000L, sources), stats, null, List.of(), List.of(),
                t0 + 600_000);
    }

    private static long median(List<Long> values) {
        List<Long> sorted = values.stream().sorted().toList();
        return sorted.get(sorted.size() / 2);
    }

}
