package dev.batchetl.stats.engine;

/**
 * ISO 8601 dates and date-times on bytes: {@code YYYY-MM-DD}, and that followed by
 * {@code T} or a space, {@code HH:MM[:SS[.fraction]]} (up to 9 fraction digits) and an
 * optional zone {@code Z}, {@code ±HH:MM}, {@code ±HHMM} or {@code ±HH}. Calendar fields
 * are checked (leap years included). Values with a zone are converted to UTC. Not thread
 * safe: the parsed value is left in fields.
 */
final class DateTimeParser {

    static final int NONE = 0;
    static final int DATE = 1;

    /** A date-time without a zone. */
    static final int NAIVE = 2;

    /** A date-time with a zone, converted to UTC. */
    static final int AWARE = 3;

    long epochSecond;

    int nano;

    private static int d2(byte[] a, int p) {
        int x = a[p] - '0';
        int y = a[p + 1] - '0';
        if (x < 0 || x > 9 || y < 0 || y > 9) {
            return -1;
        }
        return x * 10 + y;
    }

    int parse(byte[] a, int s, int e) {
        int n = e - s;
        if (n < 10 || a[s + 4] != '-' || a[s + 7] != '-') {
            return NONE;
        }
        int y1 = d2(a, s);
        int y2 = d2(a, s + 2);
        int month = d2(a, s + 5);
        int day = d2(a, s + 8);
        if (y1 < 0 || y2 < 0 || month < 1 || month > 12 || day < 1) {
            return NONE;
        }
        int year = y1 * 100 + y2;
        if (day > lengthOfMonth(year, month)) {
            return NONE;
        }
        long days = epochDay(year, month, day);
        if (n == 10) {
            epochSecond = days * 86400;
            nano = 0;
            return DATE;
        }
        int p = s + 10;
        if ((a[p] != 'T' && a[p] != ' ') || n < 16 || a[p + 3] != ':') {
            return NONE;
        }
        int hour = d2(a, p + 1);
        int minute = d2(a, p + 4);
        if (hour < 0 || hour > 23 || minute < 0 || minute > 59) {
            return NONE;
        }
        p += 6;
        int second = 0;
        int frac = 0;
        if (p < e && a[p] == ':') {
            if (p + 3 > e) {
                return NONE;
            }
            second = d2(a, p + 1);
            if (second < 0 || second > 59) {
                return NONE;
            }
            p += 3;
            if (p < e && a[p] == '.') {
                p++;
                int digits = 0;
                while (p < e && a[p] >= '0' && a[p] <= '9') {
                    if (digits < 9) {
                        frac = frac * 10 + (a[p] - '0');
                    }
                    else if (digits >= 18) {
                        return NONE;
                    }
                    digits++;
                    p++;
                }
                if (digits == 0) {
                    return NONE;
                }
                for (int k = Math.min(digits, 9); k < 9; k++) {
                    frac *= 10;
                }
            }
        }
        long secs = days * 86400 + hour * 3600L + minute * 60L + second;
        if (p == e) {
            epochSecond = secs;
            nano = frac;
            return NAIVE;
        }
        int offset;
        if (a[p] == 'Z' && p + 1 == e) {
            offset = 0;
        }
        else if (a[p] == '+' || a[p] == '-') {
            int sign = a[p] == '-' ? -1 : 1;
            int rest = e - p - 1;
            int oh;
            int om = 0;
            if (rest == 2) {
                oh = d2(a, p + 1);
            }
            else if (rest == 4) {
                oh = d2(a, p + 1);
                om = d2(a, p + 3);
            }
            else if (rest == 5 && a[p + 3] == ':') {
                oh = d2(a, p + 1);
                om = d2(a, p + 4);
            }
            else {
                return NONE;
            }
            if (oh < 0 || oh > 23 || om < 0 || om > 59) {
                return NONE;
            }
            offset = sign * (oh * 3600 + om * 60);
        }
        else {
            return NONE;
        }
        epochSecond = secs - offset;
        nano = frac;
        return AWARE;
    }

    private static int lengthOfMonth(int year, int month) {
        switch (month) {
            case 2:
                return (year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)) ? 29 : 28;
            case 4:
            case 6:
            case 9:
            case 11:
                return 30;
            default:
                return 31;
        }
    }

    /** Days since 1970-01-01 (proleptic Gregorian), as java.time computes them. */
    static long epochDay(int year, int month, int day) {
        long y = month <= 2 ? year - 1 : year;
        long era = Math.floorDiv(y, 400);
        long yoe = y - era * 400;
        long doy = (153L * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1;
        long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        return era * 146097 + doe - 719468;
    }

    /**
     * pandas' rendering of a Timestamp: {@code YYYY-MM-DD HH:MM:SS[.ffffff[fff]]},
     * {@code +00:00} for UTC values.
     */
    static String format(long epochSecond, int nano, boolean dateOnly, boolean utc) {
        java.time.LocalDateTime t = java.time.LocalDateTime.ofEpochSecond(epochSecond, nano, java.time.ZoneOffset.UTC);
        String date = String.format("%04d-%02d-%02d", t.getYear(), t.getMonthValue(), t.getDayOfMonth());
        if (dateOnly) {
            return date;
        }
        StringBuilder sb = new StringBuilder(date).append(' ')
            .append(String.format("%02d:%02d:%02d", t.getHour(), t.getMinute(), t.getSecond()));
        if (nano != 0) {
            sb.append(nano % 1000 == 0 ? String.format(".%06d", nano / 1000) : String.format(".%09d", nano));
        }
        if (utc) {
            sb.append("+00:00");
        }
        return sb.toString();
    }

}
