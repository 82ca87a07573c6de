package dev.batchetl.dashboard;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.security.Principal;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

import dev.batchetl.history.ExecutionHistory;
import dev.batchetl.job.BatchEtlProperties;
import dev.batchetl.job.ExecutionRecovery;
import dev.batchetl.job.UsageException;
import dev.batchetl.report.ReportPage;
import dev.batchetl.report.RunReport;

import jakarta.servlet.http.HttpServletRequest;

import org.springframework.batch.core.BatchStatus;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.server.ResponseStatusException;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/**
 * The dashboard's pages: the runs list ({@code /}), a run's page ({@code /runs/ID}, the
 * report's page, refreshing itself from {@code /runs/ID/data} while the run is live), and
 * the stop and restart buttons, which do what {@code batch-etl stop} and
 * {@code batch-etl restart} do.
 */
@Controller
class DashboardController {

    /** Header of a run's data: whether the page should keep refreshing. */
    static final String LIVE = "X-Batch-Etl-Live";

    private static final Set<BatchStatus> RESTARTABLE = Set.of(BatchStatus.FAILED, BatchStatus.STOPPED);

    private final ExecutionHistory runs;

    private final ReportSource reports;

    private final ExecutionRecovery recovery;

    private final Restarts restarts;

    private final BatchEtlProperties.Dashboard settings;

    DashboardController(ExecutionHistory runs, ReportSource reports, ExecutionRecovery recovery, Restarts restarts,
            BatchEtlProperties properties) {
        this.runs = runs;
        this.reports = reports;
        this.recovery = recovery;
        this.restarts = restarts;
        this.settings = properties.dashboard();
    }

    @GetMapping("/")
    String runs(@RequestParam(required = false) String definition, @RequestParam(required = false) String status,
            @RequestParam(required = false) String from, @RequestParam(required = false) String to,
            @RequestParam(required = false) Long before, Model model) {
        ExecutionHistory.Filter filter = new ExecutionHistory.Filter(blankToNull(definition), status(status),
                date("from", from), date("to", to), before);
        int size = this.settings.pageSize();
        List<ExecutionHistory.Listed> page = this.runs.page(filter, size + 1);
        boolean more = page.size() > size;
        List<ExecutionHistory.Listed> shown = more ? page.subList(0, size) : page;
        model.addAttribute("runs", shown.stream().map(RunRow::of).toList());
        model.addAttribute("definitions", this.runs.definitions());
        model.addAttribute("statuses", Arrays.stream(BatchStatus.values()).map(Enum::name).toList());
        model.addAttribute("filter", filter);
        model.addAttribute("next", more ? shown.get(shown.size() - 1).id() : null);
        model.addAttribute("trends",
                Trend.of(this.runs.trends(filter.definition(), this.settings.trendRuns()), Trend.SHOWN));
        return "dashboard/runs";
    }

    @GetMapping("/runs/{id}")
    String run(@PathVariable long id, Model model, Principal user, HttpServletRequest request) {
        RunReport report = report(id);
        RunReport.Run run = report.run();
        BatchStatus status = BatchStatus.valueOf(run.status());
        boolean live = status.isRunning() || this.restarts.running(run.executionId());
        // the buttons act on the run's latest execution only
        boolean latest = report.executions().isEmpty()
                || report.executions().get(report.executions().size() - 1).id() == run.executionId();
        model.addAttribute("title", run.definition() + " run=" + run.runKey());
        model.addAttribute("json", ReportPage.json(report));
        model.addAttribute("inline", false);
        model.addAttribute("live", live ? request.getContextPath() + "/runs/" + id + "/data" : null);
        model.addAttribute("refreshMs", this.settings.refresh().toMillis());
        model.addAttribute("executionId", run.executionId());
        model.addAttribute("stoppable", latest && (status == BatchStatus.STARTING || status == BatchStatus.STARTED));
        model.addAttribute("restartable",
                latest && RESTARTABLE.contains(status) && !this.restarts.running(run.executionId()));
        model.addAttribute("loginEnabled", this.settings.loginEnabled());
        model.addAttribute("user", user == null ? null : user.getName());
        return "report/run";
    }

    @GetMapping(path = "/runs/{id}/data", produces = MediaType.APPLICATION_JSON_VALUE)
    ResponseEntity<String> data(@PathVariable long id) {
        RunReport report = report(id);
        boolean live = BatchStatus.valueOf(report.run().status()).isRunning()
                || this.restarts.running(report.run().executionId());
        return ResponseEntity.ok().header(LIVE, Boolean.toString(live)).body(ReportPage.json(report));
    }

    @PostMapping("/runs/{id}/stop")
    String stop(@PathVariable long id, RedirectAttributes redirect) {
        redirect.addFlashAttribute("message", said(out -> this.recovery.stop(id, out)));
        return "redirect:/runs/" + id;
    }

    @PostMapping("/runs/{id}/restart")
    String restart(@PathVariable long id, RedirectAttributes redirect) {
        RunReport report = report(id);
        long latest = report.run().executionId();
        if (!RESTARTABLE.contains(BatchStatus.valueOf(report.run().status()))) {
            redirect.addFlashAttribute("message",
                    "execution " + latest + " is " + report.run().status() + ": only a FAILED or STOPPED run restarts");
        }
        else if (this.restarts.running(latest)) {
            redirect.addFlashAttribute("message", "a restart of execution " + latest + " is already running");
        }
        else {
            try {
                Restarts.Started started = this.restarts.restart(latest);
                redirect.addFlashAttribute("message", "restart of execution " + latest + " started (process "
                        + started.pid() + "); its output: " + started.log());
            }
            catch (IOException ex) {
                redirect.addFlashAttribute("message", "cannot start the restart: " + ex.getMessage());
            }
        }
        return "redirect:/runs/" + id;
    }

    @GetMapping("/login")
    String login(Model model) {
        model.addAttribute("loginEnabled", this.settings.loginEnabled());
        return "dashboard/login";
    }

    private RunReport report(long id) {
        RunReport report;
        try {
            report = this.reports.read(id);
        }
        catch (UsageException ex) {
            report = null;
        }
        if (report == null) {
            throw new ResponseStatusException(HttpStatus.NOT_FOUND, "no execution " + id);
        }
        return report;
    }

    /** What a command printed, or the one line it failed with. */
    private static String said(Action action) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8)) {
            action.run(out);
        }
        catch (UsageException ex) {
            return ex.getMessage();
        }
        return bytes.toString(StandardCharsets.UTF_8).strip();
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.strip();
    }

    private static BatchStatus status(String value) {
        String status = blankToNull(value);
        if (status == null) {
            return null;
        }
        try {
            return BatchStatus.valueOf(status);
        }
        catch (IllegalArgumentException ex) {
            throw new ResponseStatusException(HttpStatus.BAD_REQUEST, "unknown status " + status);
        }
    }

    private static LocalDate date(String name, String value) {
        String date = blankToNull(value);
        if (date == null) {
            return null;
        }
        try {
            return LocalDate.parse(date);
        }
        catch (DateTimeParseException ex) {
            throw new ResponseStatusException(HttpStatus.BAD_REQUEST, name + " must be a date (YYYY-MM-DD)");
        }
    }

    @FunctionalInterface
    private interface Action {

        void run(PrintStream out);

    }

}
