package dev.batchetl.job;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;

import dev.batchetl.fetch.TestHttpServer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The work that one run (one run key, one download folder) killed and restarted makes the
 * test server and the statistics do, beyond what an uninterrupted run does: results alone
 * do not show a restart that downloads or reads everything again. Call {@link #killed}
 * after each kill and {@link #measure} once the run completed.
 *
 * <ul>
 * <li><b>Bytes re-requested</b>: body bytes the server sent during the run minus the data
 * set's size; an uninterrupted run sends each source once, so this is what the kills
 * cost. A kill can cost a download under way only what had been sent but had not reached
 * its part file (the part file is resumed with a {@code Range} request from its length),
 * so the bound is, per kill, the downloads under way times {@code slack}.</li>
 * <li><b>Completed downloads</b>: a source whose file was complete under its final name
 * at a kill is never requested again.</li>
 * <li><b>Rows re-read</b>: rows counted by all the statistics partitions' step executions
 * of the run minus the rows in the data. A partition resumes from its last checkpoint,
 * which commits with its counts; the chunk under way at a kill is read again, and its
 * count rolled back with it, so at most {@code commit-rows} per partition and kill during
 * the statistics step (partitions run only then).</li>
 * </ul>
 */
final class KillWork {

    private final TestHttpServer server;

    private final Map<String, Long> sizes;

    private final Path data;

    private final String runKey;

    private final int logStart;

    private final Map<String, Integer> completeAtKill = new LinkedHashMap<>();

    private final Map<String, Integer> killsByPhase = new TreeMap<>();

    private int kills;

    private int underWayAtKills;

    private int executionsAtLastKill;

    private int logAtLastKill;

    /**
     * @param sizes the body size of each source path served for the run
     * @param data the run's download folder
     * @param runKey the run's {@code run=} key
     */
    KillWork(TestHttpServer server, Map<String, Long> sizes, Path data, String runKey) {
        this.server = server;
        this.sizes = Map.copyOf(sizes);
        this.data = data;
        this.runKey = runKey;
        this.logStart = server.requestLog().size();
        this.logAtLastKill = this.logStart;
    }

    /**
     * What a kill left, recorded right after it (the process is gone, so its files and
     * records stand still): the files complete under their final names, and the downloads
     * under way, the sources the killed attempt requested that were not complete.
     */
    void killed() throws IOException {
        this.kills++;
        this.killsByPhase.merge(phase(), 1, Integer::sum);
        Set<String> complete = new HashSet<>();
        for (String name : fileNames()) {
            if (!name.startsWith(".")) {
                complete.add(path(name));
            }
        }
        List<TestHttpServer.Request> log = this.server.requestLog();
        Set<String> underWay = new HashSet<>();
        log.subList(this.logAtLastKill, log.size()).forEach(request -> underWay.add(request.path()));
        this.logAtLastKill = log.size();
        underWay.removeAll(complete);
        this.underWayAtKills += underWay.size();
        complete.forEach(path -> this.completeAtKill.putIfAbsent(path, this.server.requests(path)));
    }

    /** The run's figures, once it completed. */
    Figures measure() {
        // the server ends the responses of killed processes when it next writes to their
        // closed connections
        await().atMost(Duration.ofSeconds(30))
            .until(() -> this.server.requestLog().stream().skip(this.logStart).noneMatch(TestHttpServer.Request::open));
        List<TestHttpServer.Request> log = this.server.requestLog();
        List<TestHttpServer.Request> run = log.subList(this.logStart, log.size());
        Map<String, Integer> requests = new TreeMap<>();
        run.forEach(request -> requests.merge(request.path(), 1, Integer::sum));
        long sent = run.stream().mapToLong(TestHttpServer.Request::bytesSent).sum();
        long dataSize = this.sizes.values().stream().mapToLong(Long::longValue).sum();
        return new Figures(this.kills, new TreeMap<>(this.killsByPhase), this.underWayAtKills, requests, run.size(),
                sent, dataSize, partitionRows(this.runKey));
    }

    /**
     * Asserts that no source complete at a kill was requested again, and that the bytes
     * re-requested and the rows re-read are within their bounds.
     * @param figures this run's {@link #measure}
     * @param rowsInData rows of the data, as an uninterrupted run's partitions count them
     * @param slack bytes a download under way can lose at a kill: sent, but not yet in
     * its part file
     * @param commitRows the run's {@code commit-rows}
     * @param partitions the run's {@code partitions}
     */
    void assertBounded(Figures figures, long rowsInData, long slack, int commitRows, int partitions) {
        this.completeAtKill.forEach((path, before) -> assertThat(this.server.requests(path))
            .as("requests of %s, complete under its final name at a kill: %s", path,
                    this.server.requestLog().stream().filter(request -> request.path().equals(path)).toList())
            .isEqualTo(before));
        assertThat(figures.requests().keySet()).as("every source requested").isEqualTo(this.sizes.keySet());
        assertThat(figures.bytesReRequested())
            .as("bytes re-requested (%d downloads under way at %d kills)", this.underWayAtKills, this.kills)
            .isBetween(0L, this.underWayAtKills * slack);
        assertThat(figures.rowsReRead(rowsInData))
            .as("rows re-read (%d kills during the statistics)", figures.killsIn("stats"))
            .isBetween(0L, (long) figures.killsIn("stats") * partitions * commitRows);
    }

    /**
     * Rows counted by the statistics partitions of all the run's executions (written and
     * set aside).
     */
    static long partitionRows(String runKey) {
        Long rows = RunRecords.JDBC.queryForObject("""
                SELECT COALESCE(SUM(s.write_count + s.read_skip_count), 0) FROM batch_step_execution s
                JOIN batch_job_execution_params p ON p.job_execution_id = s.job_execution_id
                WHERE p.parameter_name = 'run' AND p.parameter_value = ? AND s.step_name LIKE 'stats-file:%'""",
                Long.class, runKey);
        return rows == null ? 0 : rows;
    }

    /**
     * Where the killed process was: the step its execution had under way, or "start"
     * before it created one or a step.
     */
    private String phase() {
        List<Long> executions = RunRecords.executions(this.runKey);
        boolean created = executions.size() > this.executionsAtLastKill;
        this.executionsAtLastKill = executions.size();
        if (!created) {
            return "start";
        }
        List<String> steps = RunRecords.JDBC.queryForList("""
                SELECT step_name FROM batch_step_execution WHERE job_execution_id = ? AND end_time IS NULL
                ORDER BY step_execution_id""", String.class, executions.get(executions.size() - 1));
        if (steps.isEmpty()) {
            return "start";
        }
        String step = steps.get(0);
        return step.startsWith("stats") ? "stats" : step.startsWith("fetch") ? "fetch" : step;
    }

    private String path(String fileName) {
        String path = "/" + fileName;
        assertThat(this.sizes).as("a source named like the file %s", fileName).containsKey(path);
        return path;
    }

    private List<String> fileNames() throws IOException {
        if (!Files.isDirectory(this.data)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(this.data)) {
            return files.map(file -> file.getFileName().toString()).toList();
        }
    }

    /**
     * One run's work.
     *
     * @param kills SIGKILLs during the run
     * @param killsByPhase kills by the step under way ("start" before any)
     * @param underWayAtKills downloads under way at the kills, summed over the kills
     * @param requests requests per source path
     * @param totalRequests requests of all sources
     * @param bytesSent body bytes the server sent
     * @param dataSize the sources' sizes, summed
     * @param rowsRead rows the statistics partitions counted, over all executions
     */
    record Figures(int kills, Map<String, Integer> killsByPhase, int underWayAtKills, Map<String, Integer> requests,
            int totalRequests, long bytesSent, long dataSize, long rowsRead) {

        long bytesReRequested() {
            return this.bytesSent - this.dataSize;
        }

        long rowsReRead(long rowsInData) {
            return this.rowsRead - rowsInData;
        }

        int killsIn(String phase) {
            return this.killsByPhase.getOrDefault(phase, 0);
        }

        int maxRequestsOfASource() {
            return this.requests.values().stream().mapToInt(Integer::intValue).max().orElse(0);
        }

        List<String> line(String name, long rowsInData, int attempts) {
            List<String> cells = new ArrayList<>();
            cells.add(name);
            cells.add(Integer.toString(this.kills));
            cells.add(this.killsByPhase.toString());
            cells.add(Integer.toString(attempts));
            cells.add(this.totalRequests + " (max " + maxRequestsOfASource() + "/source)");
            cells.add(String.format("%,d / %,d", this.bytesSent, this.dataSize));
            cells.add(String.format("%,d", bytesReRequested()));
            cells.add(String.format("%,d / %,d", this.rowsRead, rowsInData));
            return cells;
        }

    }

}
