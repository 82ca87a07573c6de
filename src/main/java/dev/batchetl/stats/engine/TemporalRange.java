package dev.batchetl.stats.engine;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;

/**
 * The ISO 8601 dates and date-times of a column: how many of each kind (date, naive,
 * zoned) and the earliest and latest instant.
 */
final class TemporalRange {

    long dates;

    long naiveTimes;

    long awareTimes;

    long tminSec = Long.MAX_VALUE;

    int tminNano;

    long tmaxSec = Long.MIN_VALUE;

    int tmaxNano;

    /** Counts the instant just parsed (of the given kind) and updates the range. */
    void add(int kind, DateTimeParser p) {
        if (kind == DateTimeParser.DATE) {
            dates++;
        }
        else if (kind == DateTimeParser.NAIVE) {
            naiveTimes++;
        }
        else {
            awareTimes++;
        }
        long sec = p.epochSecond;
        int nano = p.nano;
        if (sec < tminSec || (sec == tminSec && nano < tminNano)) {
            tminSec = sec;
            tminNano = nano;
        }
        if (sec > tmaxSec || (sec == tmaxSec && nano > tmaxNano)) {
            tmaxSec = sec;
            tmaxNano = nano;
        }
    }

    long count() {
        return dates + naiveTimes + awareTimes;
    }

    String min(boolean dateOnly) {
        return DateTimeParser.format(tminSec, tminNano, dateOnly, awareTimes > 0);
    }

    String max(boolean dateOnly) {
        return DateTimeParser.format(tmaxSec, tmaxNano, dateOnly, awareTimes > 0);
    }

    void merge(TemporalRange o) {
        dates += o.dates;
        naiveTimes += o.naiveTimes;
        awareTimes += o.awareTimes;
        if (o.tminSec < tminSec || (o.tminSec == tminSec && o.tminNano < tminNano)) {
            tminSec = o.tminSec;
            tminNano = o.tminNano;
        }
        if (o.tmaxSec > tmaxSec || (o.tmaxSec == tmaxSec && o.tmaxNano > tmaxNano)) {
            tmaxSec = o.tmaxSec;
            tmaxNano = o.tmaxNano;
        }
    }

    void write(DataOutputStream out) throws IOException {
        out.writeLong(dates);
        out.writeLong(naiveTimes);
        out.writeLong(awareTimes);
        out.writeLong(tminSec);
        out.writeInt(tminNano);
        out.writeLong(tmaxSec);
        out.writeInt(tmaxNano);
    }

    void read(DataInputStream in) throws IOException {
        dates = in.readLong();
        naiveTimes = in.readLong();
        awareTimes = in.readLong();
        tminSec = in.readLong();
        tminNano = in.readInt();
        tmaxSec = in.readLong();
        tmaxNano = in.readInt();
    }

}
