package dev.batchetl.report;

import static org.assertj.core.api.Assertions.assertThat;

import dev.batchetl.EtlCli;
import dev.batchetl.TestDatabase;
import dev.batchetl.job.CommandName;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * The page every run writes once it has ended, from the command line against the real
 * PostgreSQL: beside results.csv by default, where {@code report} says, none with
 * {@code report=none}; after a failed run, its restart and a retry, with the final status
 * of the execution; and a page that cannot be written changes nothing of the run.
 */
class ReportAfterRunFunctionalTests {

    @TempDir
    Path work;

    private final String run = "rr-" + UUID.randomUUID().toString().substring(0, 8);

    @Test
    void aRunWritesItsPageBesideResultsCsvWithItsFinalStatus() throws Exception {
        // given a folder of one CSV file
        Path data = Files.createDirectories(this.work.resolve("data"));
        Files.writeString(data.resolve("a.csv"), "id,v\n1,2\n3,4\n");

        // when it is run
        EtlCli.Result result = EtlCli.run("run", "dir=" + data, "output=" + this.work.resolve("out/results.csv"),
                "run=" + this.run);

        // then report.html is beside results.csv, and the run says where
        assertThat(result.exitCode()).as(result.toString()).isZero();
        Path page = this.work.resolve("out/report.html");
        assertThat(result.out()).contains("report: " + page + "\n");
        JsonNode report = ReportData.of(page);
        assertThat(report.get("run").get("executionId").asLong()).isEqualTo(result.executionId());
        assertThat(report.get("run").get("status").asString()).isEqualTo("COMPLETED");
        assertThat(report.get("run").get("exitCode").asInt()).isZero();
        assertThat(report.get("executions")).hasSize(1);
        assertThat(report.get("executions").get(0).get("status").asString()).isEqualTo("COMPLETED");
        assertThat(report.get("executions").get(0).get("end").isNull()).isFalse();
        assertThat(report.get("files").get(0).get("file").asString()).isEqualTo("a.csv");
        assertThat(report.get("files").get(0).get("rows").asLong()).isEqualTo(2);
        try (var files = Files.list(this.work.resolve("out"))) {
            assertThat(files.map(f -> f.getFileName().toString())).containsExactlyInAnyOrder("results.csv",
                    "report.html");
        }
    }

    @Test
    void theReportKeyChoosesWhereAndNoneWritesNone() throws Exception {
        Path data = Files.createDirectories(this.work.resolve("data"));
        Files.writeString(data.resolve("a.csv"), "id\n1\n");
        Path out = Files.createDirectories(this.work.resolve("out"));
        Path chosen = this.work.resolve("pages/nightly.html");

        EtlCli.Result there = EtlCli.run("run", "dir=" + data, "output=" + out, "report=" + chosen,
                "run=" + this.run + "-there");
        EtlCli.Result none = EtlCli.run("run", "dir=" + data, "output=" + out, "report=none",
                "run=" + this.run + "-none");

        assertThat(there.exitCode()).as(there.toString()).isZero();
        assertThat(there.out()).contains("report: " + chosen + "\n");
        assertThat(ReportData.of(chosen).get("run").get("executionId").asLong()).isEqualTo(there.executionId());
        assertThat(out.resolve("report.html")).doesNotExist();
        assertThat(none.exitCode()).as(none.toString()).isZero();
        assertThat(none.out()).doesNotContain("report:");
        try (var files = Files.list(out)) {
            assertThat(files.map(f -> f.getFileName().toString())).containsExactly("results.csv");
        }
        // output as a folder: the page goes into it too
        EtlCli.Result folder = EtlCli.run("run", "dir=" + data, "output=" + out, "run=" + this.run + "-folder");
        assertThat(folder.out()).contains("report: " + out.resolve("report.html") + "\n");
    }

    @Test
    void aFailedRunWritesItsPageShowingFailedAndExitsAsWithoutItAndItsRestartRewritesIt() throws Exception {
        // given a source list with a file that is not there, and no failed source allowed
        Path data = this.work.resolve("data");
        Path missing = this.work.resolve("input/b.csv");
        Files.createDirectories(missing.getParent());
        Files.writeString(missing.resolveSibling("a.csv"), "id\n1\n");
        Path sources = Files.writeString(this.work.resolve("sources.txt"),
                missing.resolveSibling("a.csv").toUri() + "\n" + missing.toUri() + "\n");
        List<String> keys = List.of("sources=" + sources, "dir=" + data, "output=" + this.work.resolve("results.csv"),
                "max-failed-sources=0");

        // when it runs, with the page and without it
        EtlCli.Result failed = run(keys, "run=" + this.run);
        EtlCli.Result withoutPage = run(keys, "run=" + this.run + "-nopage", "report=none");

        // then both fail alike, and the page shows the failure
        assertThat(failed.exitCode()).as(failed.toString()).isEqualTo(1);
        assertThat(withoutPage.exitCode()).as(withoutPage.toString()).isEqualTo(1);
        Path page = this.work.resolve("report.html");
        assertThat(failed.out()).contains("report: " + page + "\n");
        JsonNode report = ReportData.of(page);
        assertThat(report.get("run").get("executionId").asLong()).isEqualTo(failed.executionId());
        assertThat(report.get("run").get("status").asString()).isEqualTo("FAILED");
        assertThat(report.get("run").get("exitCode").asInt()).isEqualTo(1);
        assertThat(texts(report.get("failures"))).anyMatch(line -> line.contains(missing.toUri().toString()));
        assertThat(texts(report.get("restart"))).anyMatch(line -> line.contains("restart " + failed.executionId()));
        assertThat(this.work.resolve("results.csv")).doesNotExist();
        // not exported: its sources as the fetch step recorded them, with their end
        // times,
        // the failed one first
        assertThat(report.get("fetch").get("sources"))
            .extracting(s -> s.get("target").asString(), s -> s.get("status").asString(), s -> s.get("end").isNumber())
            .containsExactly(org.assertj.core.groups.Tuple.tuple("b.csv", "FAILED", true),
                    org.assertj.core.groups.Tuple.tuple("a.csv", "DONE", true));
        assertThat(report.get("fetch").get("total").asLong()).isEqualTo(2);
        assertThat(report.get("fetch").get("counts").get("FAILED").asLong()).isEqualTo(1);

        // when the file is there and the run restarted
        Files.writeString(missing, "id\n2\n");
        EtlCli.Result restarted = EtlCli.run("restart", Long.toString(failed.executionId()));

        // then the page is the restart's: completed, after the failed execution
        assertThat(restarted.exitCode()).as(restarted.toString()).isZero();
        report = ReportData.of(page);
        assertThat(report.get("run").get("executionId").asLong()).isEqualTo(restarted.executionId());
        assertThat(report.get("run").get("status").asString()).isEqualTo("COMPLETED");
        assertThat(report.get("executions")).extracting(e -> e.get("status").asString())
            .containsExactly("FAILED", "COMPLETED");
        assertThat(texts(report.get("failures"))).isEmpty();
    }

    @Test
    void theRetryOfARunThatCompletedWithFailuresWritesThePageOfTheRetry() throws Exception {
        Path input = Files.createDirectories(this.work.resolve("input"));
        Files.writeString(input.resolve("a.csv"), "id\n1\n");
        Path sources = Files.writeString(this.work.resolve("sources.txt"),
                input.resolve("a.csv").toUri() + "\n" + input.resolve("b.csv").toUri() + "\n");
        EtlCli.Result first = run(List.of("sources=" + sources, "dir=" + this.work.resolve("data"),
                "output=" + this.work.resolve("results.csv")), "run=" + this.run);
        assertThat(first.exitCode()).as(first.toString()).isEqualTo(3);
        JsonNode report = ReportData.of(this.work.resolve("report.html"));
        assertThat(report.get("run").get("status").asString()).isEqualTo("COMPLETED");
        assertThat(report.get("run").get("exitCode").asInt()).isEqualTo(3);

        Files.writeString(input.resolve("b.csv"), "id\n2\n");
        EtlCli.Result retry = EtlCli.run("retry", Long.toString(first.executionId()));

        assertThat(retry.exitCode()).as(retry.toString()).isZero();
        report = ReportData.of(this.work.resolve("report.html"));
        assertThat(report.get("run").get("executionId").asLong()).isEqualTo(retry.executionId());
        assertThat(report.get("run").get("runKey").asString()).isEqualTo(this.run + ".retry1");
        assertThat(report.get("run").get("exitCode").asInt()).isZero();
    }

    @Test
    void aPageThatCannotBeWrittenIsOneLineAndTheRunKeepsItsExitCode() throws Exception {
        // given a page to be written under a regular file, which no one can make a folder
        Path data = Files.createDirectories(this.work.resolve("data"));
        Files.writeString(data.resolve("a.csv"), "id\n1\n");
        Path file = Files.writeString(this.work.resolve("file.txt"), "not a folder");
        Path page = file.resolve("report.html");

        EtlCli.Result result = EtlCli.run("run", "dir=" + data, "output=" + this.work.resolve("results.csv"),
                "report=" + page, "run=" + this.run);

        // then the run completes as it would, and one line says which page and why
        assertThat(result.exitCode()).as(result.toString()).isZero();
        assertThat(result.out().lines().filter(line -> line.startsWith("report: ")))
            .containsExactly("report: cannot write " + page + ": " + file + " is a file, not a folder; the run is not"
                    + " affected (write it elsewhere with: " + CommandName.get() + " report " + result.executionId()
                    + " output=FILE)");
        assertThat(result.out()).contains("execution " + result.executionId() + " COMPLETED in ");
        assertThat(this.work.resolve("results.csv")).exists();
        assertThat(TestDatabase.jdbc()
            .queryForObject("SELECT status FROM batch_job_execution WHERE job_execution_id = ?", String.class,
                    result.executionId()))
            .isEqualTo("COMPLETED");

        // and a folder in the page's place: one line too, and no temporary file left
        Path pages = Files.createDirectories(this.work.resolve("pages/report.html/kept")).getParent().getParent();
        EtlCli.Result inTheWay = EtlCli.run("run", "dir=" + data, "output=" + this.work.resolve("results.csv"),
                "report=" + pages, "run=" + this.run + "-folder");
        assertThat(inTheWay.exitCode()).as(inTheWay.toString()).isZero();
        assertThat(inTheWay.out()).contains(
                "report: cannot write " + pages.resolve("report.html") + ": is a directory; the run is not affected");
        try (var files = Files.list(pages)) {
            assertThat(files.map(f -> f.getFileName().toString())).containsExactly("report.html");
        }
    }

    @Test
    void aRunStartedBeforeSourcesRecordedWhenTheyEndedIsRestartedAndShown() throws Exception {
        // given a failed run whose sources carry no end time, as a build before V11 left
        // them
        Path input = Files.createDirectories(this.work.resolve("input"));
        Files.writeString(input.resolve("a.csv"), "id\n1\n");
        Path sources = Files.writeString(this.work.resolve("sources.txt"),
                input.resolve("a.csv").toUri() + "\n" + input.resolve("b.csv").toUri() + "\n");
        EtlCli.Result failed = run(List.of("sources=" + sources, "dir=" + this.work.resolve("data"),
                "output=" + this.work.resolve("results.csv"), "max-failed-sources=0"), "run=" + this.run);
        assertThat(failed.exitCode()).as(failed.toString()).isEqualTo(1);
        TestDatabase.jdbc()
            .update("UPDATE etl_fetch_item SET finished_at = NULL WHERE job_instance_id = (SELECT job_instance_id"
                    + " FROM batch_job_execution WHERE job_execution_id = ?)", failed.executionId());

        // when it is restarted
        Files.writeString(input.resolve("b.csv"), "id\n2\n");
        EtlCli.Result restarted = EtlCli.run("restart", Long.toString(failed.executionId()));

        // then it completes; the source fetched before has no end time, the one fetched
        // now has one, in the table and on the page
        assertThat(restarted.exitCode()).as(restarted.toString()).isZero();
        Map<String, Object> ends = new HashMap<>();
        TestDatabase.jdbc()
            .query("SELECT target, finished_at FROM etl_source WHERE job_execution_id = ?",
                    (org.springframework.jdbc.core.RowCallbackHandler) rs -> ends.put(rs.getString(1), rs.getObject(2)),
                    restarted.executionId());
        assertThat(ends).containsEntry("a.csv", null).containsKey("b.csv");
        assertThat(ends.get("b.csv")).isNotNull();
        Map<String, JsonNode> shown = new HashMap<>();
        for (JsonNode source : ReportData.of(this.work.resolve("report.html")).get("fetch").get("sources")) {
            shown.put(source.get("target").asString(), source.get("end"));
        }
        assertThat(shown.get("a.csv").isNull()).isTrue();
        assertThat(shown.get("b.csv").asLong()).isEqualTo(((Number) ends.get("b.csv")).longValue());
    }

    private static EtlCli.Result run(List<String> keys, String... more) {
        List<String> args = new ArrayList<>(List.of("run"));
        args.addAll(keys);
        args.addAll(List.of(more));
        return EtlCli.run(args.toArray(String[]::new));
    }

    private static List<String> texts(JsonNode array) {
        List<String> texts = new ArrayList<>();
        array.forEach(node -> texts.add(node.asString()));
        return texts;
    }

}
