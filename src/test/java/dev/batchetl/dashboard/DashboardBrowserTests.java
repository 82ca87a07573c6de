package dev.batchetl.dashboard;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.batchetl.EtlCli;
import dev.batchetl.EtlProcess;
import dev.batchetl.TestDatabase;
import dev.batchetl.fetch.TestHttpServer;
import dev.batchetl.job.RunRecords;
import dev.batchetl.report.ReportPageBrowserTests;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code batch-etl dashboard} started as a user starts it, over the real job repository
 * on PostgreSQL, driven in headless Chromium: the runs list with its filter and duration
 * trend, a run's page with its timeline drawn, a stop refused without a login and done
 * after it, a restart from the page, and no console error on any page.
 */
class DashboardBrowserTests {

    private static ChromeDriver browser;

    @TempDir
    Path work;

    private EtlProcess dashboard;

    private EtlProcess running;

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

    @AfterEach
    void stopProcesses() throws InterruptedException {
        browser.manage().deleteAllCookies();
        for (EtlProcess process : new EtlProcess[] { this.dashboard, this.running }) {
            if (process != null && process.isAlive()) {
                process.kill();
            }
        }
    }

    @Test
    void theRunsListFiltersAndDrawsTrendsAndARunsPageDrawsItsTimeline() throws Exception {
        // given two completed runs of a definition of its own
        String name = "dash-" + UUID.randomUUID().toString().substring(0, 8);
        Path definition = definition(name, "dir=data\noutput=out/results.csv\n");
        Files.createDirectories(this.work.resolve("data"));
        Files.writeString(this.work.resolve("data/a.csv"), "id,amount\n1,2.5\n2,3.5\n3,\n");
        long first = completed(definition, "one");
        long second = completed(definition, "two");
        String base = startDashboard("s3cret");

        // when the runs list is filtered by that definition
        browser.get(base + "/?definition=" + name);

        // then it lists exactly its two executions, newest first, and draws their trend
        List<WebElement> rows = browser.findElements(By.cssSelector("#runs tbody tr"));
        assertThat(rows).hasSize(2);
        assertThat(rows.get(0).getText()).contains(Long.toString(second)).contains(name).contains("COMPLETED");
        assertThat(rows.get(1).getText()).contains(Long.toString(first));
        List<WebElement> trends = browser.findElements(By.cssSelector("#trends figure"));
        assertThat(trends).hasSize(1);
        assertThat(trends.get(0).getText()).contains(name).contains("2 runs");
        assertThat(trends.get(0).findElements(By.cssSelector("circle"))).hasSize(2);
        assertThat(trends.get(0).findElement(By.cssSelector("polyline")).getRect().getWidth()).isPositive();
        // a filter no execution matches
        browser.get(base + "/?definition=" + name + "&status=FAILED");
        assertThat(browser.findElements(By.cssSelector("#runs tbody tr"))).isEmpty();
        assertThat(browser.findElement(By.id("runs")).getText()).contains("No executions match.");

        // and the page of the second run is the report, drawn from the application's
        // own assets
        browser.get(base + "/runs/" + second);
        assertThat(browser.getTitle()).isEqualTo(name + " run=two – COMPLETED");
        List<WebElement> bars = browser.findElements(By.cssSelector("#timeline rect.bar"));
        assertThat(bars).isNotEmpty();
        assertThat(bars.get(0).getRect().getWidth()).isPositive();
        browser.findElement(By.cssSelector("tr.file[data-file='a.csv']")).click();
        assertThat(browser.findElement(By.cssSelector("tr.cols")).getText()).contains("amount");
        // a completed run has neither button
        assertThat(browser.findElements(By.id("stop"))).isEmpty();
        assertThat(browser.findElements(By.id("restart"))).isEmpty();
        assertThat(resourceHosts()).allMatch(url -> url.startsWith(base + "/"));
        assertNoConsoleErrors();
    }

    @Test
    void stopNeedsALoginAndRestartContinuesTheRun() throws Exception {
        // given a run that fetches 40 slow sources one at a time
        String name = "dash-" + UUID.randomUUID().toString().substring(0, 8);
        try (TestHttpServer server = TestHttpServer.start()) {
            StringBuilder sources = new StringBuilder();
            for (int i = 0; i < 40; i++) {
                server.serve("/s" + i + ".csv", ("id\n" + i + "\n").getBytes());
                sources.append(server.uri("/s" + i + ".csv")).append('\n');
            }
            server.latency(Duration.ofMillis(300));
            Files.writeString(this.work.resolve("sources.txt"), sources);
            Path definition = definition(name,
                    "sources=sources.txt\ndir=data\noutput=out/results.csv\nthreads=1\nfetch-chunk=1\n");
            this.running = EtlProcess.start(this.work, "run", definition.toString(), "run=" + name);
            long execution = RunRecords.awaitCommits(name, "fetch", 1);
            String base = startDashboard("s3cret");

            // when its stop button is pressed without a login
            browser.get(base + "/runs/" + execution);
            browser.findElement(By.id("stop")).click();

            // then the login page is shown and the run goes on
            await().atMost(Duration.ofSeconds(10)).until(() -> browser.getCurrentUrl().endsWith("/login"));
            Thread.sleep(500);
            assertThat(RunRecords.status(execution)).isEqualTo("STARTED");
            // and a POST without the page's CSRF token is refused too
            HttpResponse<String> forged = HttpClient.newHttpClient()
                .send(HttpRequest.newBuilder(URI.create(base + "/runs/" + execution + "/stop"))
                    .POST(HttpRequest.BodyPublishers.noBody())
                    .build(), HttpResponse.BodyHandlers.ofString());
            assertThat(forged.statusCode()).isEqualTo(403);
            assertThat(RunRecords.status(execution)).isEqualTo("STARTED");

            // when a wrong password is given, then a right one
            login("operator", "wrong");
            assertThat(browser.findElement(By.id("login-error")).getText()).contains("Wrong user or password");
            login("operator", "s3cret");
            browser.get(base + "/runs/" + execution);
            assertThat(browser.findElement(By.cssSelector("nav.controls")).getText()).contains("logged in as operator");
            screenshot("dashboard-live-run.png");
            browser.findElement(By.id("stop")).click();

            // then the stop is requested, the run ends STOPPED, and its live page shows
            // the restart button once it has
            assertThat(browser.findElement(By.id("message")).getText()).contains("stop requested");
            assertThat(this.running.waitFor()).as(this.running.output()).isEqualTo(4);
            assertThat(RunRecords.status(execution)).isEqualTo("STOPPED");
            await().atMost(Duration.ofSeconds(20)).until(() -> !browser.findElements(By.id("restart")).isEmpty());
            List<String> fetchedBefore = doneSources(execution);
            assertThat(fetchedBefore).hasSizeBetween(1, 39);

            // when restart is pressed
            server.latency(Duration.ZERO);
            int requestsBefore = server.totalRequests();
            browser.findElement(By.id("restart")).click();
            assertThat(browser.findElement(By.id("message")).getText()).contains("restart of execution " + execution);

            // then a new execution of the run completes, fetching only what the first
            // had not, and the page follows it to COMPLETED
            await().atMost(Duration.ofSeconds(90))
                .until(() -> RunRecords.executions(name)
                    .stream()
                    .anyMatch(id -> id > execution && "COMPLETED".equals(RunRecords.status(id))));
            assertThat(doneSources(execution)).hasSize(40);
            for (String source : fetchedBefore) {
                assertThat(server.requests(URI.create(source).getPath())).as(source).isEqualTo(1);
            }
            assertThat(server.totalRequests() - requestsBefore).isLessThanOrEqualTo(40 - fetchedBefore.size());
            await().atMost(Duration.ofSeconds(20)).until(() -> browser.getTitle().endsWith("COMPLETED"));
            assertThat(browser.findElements(By.cssSelector("#executions tbody tr"))).hasSize(2);
            assertNoConsoleErrors();
        }
    }

    @Test
    void withoutAPasswordNoLoginWorks() throws Exception {
        String base = startDashboard(null);
        browser.get(base + "/login");
        assertThat(browser.findElement(By.tagName("section")).getText())
            .contains("Logging in is off: set BATCH_ETL_DASHBOARD_PASSWORD");
        login("operator", "");
        assertThat(browser.findElement(By.id("login-error")).getText()).contains("Wrong user or password");
    }

    private static List<String> doneSources(long execution) {
        return TestDatabase.jdbc()
            .queryForList("SELECT i.source FROM etl_fetch_item i JOIN batch_job_execution e"
                    + " ON e.job_instance_id = i.job_instance_id WHERE e.job_execution_id = ? AND i.status = 'DONE'",
                    String.class, execution);
    }

    private void login(String user, String password) {
        String page = browser.getCurrentUrl();
        if (!page.endsWith("/login") && !page.contains("/login?")) {
            browser.get(page.replaceAll("(https?://[^/]+).*", "$1") + "/login");
        }
        browser.findElement(By.name("username")).sendKeys(user);
        browser.findElement(By.name("password")).sendKeys(password);
        org.openqa.selenium.WebElement submit = browser.findElement(By.id("log-in"));
        submit.click();
        // the click returns once the form is sent, not once its answer has loaded (and,
        // for a right password, the session cookie been set): wait for the page to go
        await().atMost(Duration.ofSeconds(10)).until(() -> {
            try {
                submit.isEnabled();
                return false;
            }
            catch (org.openqa.selenium.StaleElementReferenceException ex) {
                return true;
            }
        });
    }

    private Path definition(String name, String keys) throws java.io.IOException {
        Path definition = this.work.resolve(name + ".properties");
        Files.writeString(definition, keys);
        return definition;
    }

    private long completed(Path definition, String runKey) {
        EtlCli.Result result = EtlCli.run("run", definition.toString(), "run=" + runKey);
        assertThat(result.exitCode()).as(result.toString()).isZero();
        return result.executionId();
    }

    /** Starts the dashboard on a free port, as its user would; its address. */
    private String startDashboard(String password) throws Exception {
        List<String> args = new java.util.ArrayList<>(List.of("dashboard", "--server.port=0"));
        if (password != null) {
            args.add("--batch-etl.dashboard.password=" + password);
        }
        this.dashboard = EtlProcess.start(this.work, args.toArray(String[]::new));
        Pattern started = Pattern.compile("dashboard on (http://127\\.0\\.0\\.1:\\d+)/");
        String[] base = new String[1];
        await().atMost(Duration.ofSeconds(60)).until(() -> {
            Matcher matcher = started.matcher(this.dashboard.output());
            if (matcher.find()) {
                base[0] = matcher.group(1);
                return true;
            }
            assertThat(this.dashboard.isAlive()).as(this.dashboard.output()).isTrue();
            return false;
        });
        return base[0];
    }

    /**
     * With {@code -Ddashboard.screenshots=FOLDER}, the page as the browser shows it, for
     * the documentation.
     */
    static void screenshot(String name) throws java.io.IOException {
        String folder = System.getProperty("dashboard.screenshots");
        if (folder != null) {
            byte[] png = browser.getScreenshotAs(org.openqa.selenium.OutputType.BYTES);
            Files.write(Files.createDirectories(Path.of(folder)).resolve(name), png);
        }
    }

    @SuppressWarnings("unchecked")
    private static List<String> resourceHosts() {
        return (List<String>) browser
            .executeScript("return performance.getEntriesByType('resource').map(function (e) { return e.name; });");
    }

    private static void assertNoConsoleErrors() {
        assertThat(ReportPageBrowserTests.consoleWarnings(browser)).isEmpty();
    }

}
