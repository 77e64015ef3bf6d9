package io.mcprelay.bench;

import java.util.Arrays;

/** Percentiles of a sample, by the nearest-rank method. */
final class Stats {

    private Stats() {
    }

    /** The {@code p}th percentile (0..100) of {@code values} (sorted here); 0 when there are none. */
    static long percentile(long[] values, double p) {
        if (values.length == 0) {
            return 0;
        }
        long[] sorted = values.clone();
        Arrays.sort(sorted);
        int rank = (int) Math.ceil(p / 100.0 * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
    }

    /** Microseconds, with one decimal, from nanoseconds. */
    static String micros(long nanos) {
        return String.format(java.util.Locale.ROOT, "%.1f", nanos / 1000.0);
    }
}
