package dev.batchetl.dashboard;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import dev.batchetl.history.ExecutionHistory;

/**
 * A definition's durations over its last completed runs, drawn by the server as a small
 * SVG line (no script needed): {@code points} in a box of {@link #WIDTH} by
 * {@link #HEIGHT}, the longest run at the top.
 *
 * @param definition the definition
 * @param runs how many runs the line has
 * @param points the SVG polyline's points
 * @param dots the runs as points, for their titles and links
 * @param last the latest run's duration
 * @param longest the longest of them
 */
public record Trend(String definition, int runs, String points, List<Dot> dots, String last, String longest) {

    static final int WIDTH = 240;

    static final int HEIGHT = 48;

    /** Definitions shown at most, those with the most recent runs first. */
    static final int SHOWN = 12;

    static List<Trend> of(Map<String, List<ExecutionHistory.Point>> trends, int shown) {
        List<Map.Entry<String, List<ExecutionHistory.Point>>> entries = new ArrayList<>(trends.entrySet());
        entries.sort((a, b) -> Long.compare(last(b.getValue()).execution(), last(a.getValue()).execution()));
        List<Trend> result = new ArrayList<>();
        for (Map.Entry<String, List<ExecutionHistory.Point>> entry : entries.subList(0,
                Math.min(shown, entries.size()))) {
            result.add(of(entry.getKey(), entry.getValue()));
        }
        return result;
    }

    static Trend of(String definition, List<ExecutionHistory.Point> points) {
        long longest = points.stream().mapToLong(ExecutionHistory.Point::durationMs).max().orElse(0);
        StringBuilder line = new StringBuilder();
        List<Dot> dots = new ArrayList<>();
        int n = points.size();
        for (int i = 0; i < n; i++) {
            ExecutionHistory.Point point = points.get(i);
            double x = n == 1 ? WIDTH / 2.0 : 2 + i * (WIDTH - 4.0) / (n - 1);
            double y = HEIGHT - 2 - (longest == 0 ? 0 : point.durationMs() * (HEIGHT - 4.0) / longest);
            String xs = String.format(Locale.ROOT, "%.1f", x);
            String ys = String.format(Locale.ROOT, "%.1f", y);
            line.append(i == 0 ? "" : " ").append(xs).append(',').append(ys);
            dots.add(new Dot(point.execution(), xs, ys, "execution " + point.execution() + ": "
                    + RunRow.text(java.time.Duration.ofMillis(point.durationMs()))));
        }
        return new Trend(definition, n, line.toString(), dots,
                RunRow.text(java.time.Duration.ofMillis(last(points).durationMs())),
                RunRow.text(java.time.Duration.ofMillis(longest)));
    }

    private static ExecutionHistory.Point last(List<ExecutionHistory.Point> points) {
        return points.get(points.size() - 1);
    }

    /** One run on the line. */
    public record Dot(long execution, String x, String y, String title) {

    }

}
