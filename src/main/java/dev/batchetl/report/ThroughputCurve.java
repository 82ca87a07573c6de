package dev.batchetl.report;

import java.util.List;

import dev.batchetl.report.RunReport.Source;
import dev.batchetl.report.RunReport.Throughput;

/**
 * The fetch's throughput over its time: between 10 and 200 equal intervals (about a
 * quarter of a second each where that fits), each source's bytes spread evenly over the
 * time it took, so a long download counts in every interval it ran in, not only in the
 * one it ended in. Sources are added one at a time, so a curve over a million of them
 * holds nothing but its intervals.
 */
final class ThroughputCurve {

    private static final double MIB = 1024 * 1024;

    private final long start;

    private final double step;

    private final double[] mibPerSecond;

    private ThroughputCurve(long start, long end) {
        this.start = start;
        int intervals = (int) Math.max(10, Math.min(200, Math.ceil((end - start) / 250.0)));
        this.step = Math.max(1, (end - start) / (double) intervals);
        this.mibPerSecond = new double[intervals];
    }

    /**
     * A curve over the time from {@code start} to {@code end} (epoch milliseconds: the
     * earliest start and the latest end of the sources to be added).
     */
    static ThroughputCurve between(long start, long end) {
        return new ThroughputCurve(start, end);
    }

    /** The curve of these sources, or null when fewer than two of them are timed. */
    static Throughput of(List<Source> sources) {
        List<Source> timed = sources.stream()
            .filter(source -> timed(source.end(), source.ms(), source.bytes()))
            .toList();
        if (timed.size() < 2) {
            return null;
        }
        ThroughputCurve curve = between(
                timed.stream().mapToLong(source -> source.end() - Math.max(1, source.ms())).min().orElseThrow(),
                timed.stream().mapToLong(Source::end).max().orElseThrow());
        timed.forEach(source -> curve.add(source.end(), source.ms(), source.bytes()));
        return curve.result();
    }

    /** Whether a source with these figures has a place on the curve. */
    static boolean timed(Long end, Long ms, Long bytes) {
        return end != null && ms != null && bytes != null && bytes > 0;
    }

    /** Adds a source that ended at {@code end} after {@code ms} with {@code bytes}. */
    void add(long end, long ms, long bytes) {
        long took = Math.max(1, ms); // an instant one counts over a millisecond
        long begin = end - took;
        double rate = bytes / (double) took; // bytes per millisecond
        int first = Math.max(0, (int) Math.floor((begin - this.start) / this.step));
        int last = Math.min(this.mibPerSecond.length - 1, (int) Math.floor((end - this.start) / this.step));
        for (int i = first; i <= last; i++) {
            double low = this.start + i * this.step;
            double overlap = Math.min(low + this.step, end) - Math.max(low, begin);
            if (overlap > 0) {
                this.mibPerSecond[i] += rate * overlap / this.step * 1000 / MIB;
            }
        }
    }

    Throughput result() {
        return new Throughput(this.start, this.step, this.mibPerSecond.clone());
    }

}
