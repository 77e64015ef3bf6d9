package io.mcprelay.adapter.http.admin;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * The console charts' numbers for the last {@value #WINDOW_SECONDS} seconds, kept in this JVM: per
 * second, the POSTed messages answered, of which client errors (the client's request was refused:
 * 4xx, bad session, bad message) and upstream faults (no upstream, timeout, connection failure,
 * 5xx, store down), a latency histogram for p50/p99, and the most streams seen open.
 *
 * <p>A ring of one slot per second with fixed-size histograms ({@link #BOUNDS_MILLIS}): memory is
 * fixed whatever the load. Percentiles are read from the histogram as the upper bound of the bucket
 * they fall in (a value past the last bound reads as that bound), so they are at most one bucket
 * high. Reads cover complete seconds only. Thread-safe: one short lock per record and read.
 */
final class TrafficWindow {

    /** How far back the charts reach: five minutes. */
    static final int WINDOW_SECONDS = 300;

    /** Upper bounds of the latency buckets in milliseconds; one more bucket holds everything slower. */
    static final double[] BOUNDS_MILLIS = {1, 2, 5, 10, 20, 50, 100, 200, 500, 1_000, 2_000, 5_000, 10_000, 30_000, 60_000};

    private static final int SLOTS = WINDOW_SECONDS + 1;
    private static final int BUCKETS = BOUNDS_MILLIS.length + 1;

    /** What became of one answered message, as the charts tell errors apart. */
    enum Result { OK, CLIENT_ERROR, UPSTREAM_FAULT }

    /**
     * One step of a chart.
     *
     * @param epochSecond    the step's first second
     * @param seconds        how many seconds it spans
     * @param count          messages answered in it
     * @param clientErrors   of those, refused for the client's fault
     * @param upstreamFaults of those, failed for an upstream's (or the store's) fault
     * @param p50Millis      median latency, 0 without messages
     * @param p99Millis      99th percentile latency, 0 without messages
     * @param openStreams    the most streams seen open in it
     */
    record Step(long epochSecond, int seconds, long count, long clientErrors, long upstreamFaults, double p50Millis, double p99Millis,
                int openStreams) {

        double requestsPerSecond() {
            return count / (double) seconds;
        }
    }

    private final Supplier<Instant> clock;
    private final long[] seconds = new long[SLOTS];
    private final long[][] counts = new long[SLOTS][3];
    private final long[][] histograms = new long[SLOTS][BUCKETS];
    private final int[] openStreams = new int[SLOTS];

    TrafficWindow(Supplier<Instant> clock) {
        this.clock = Objects.requireNonNull(clock, "clock");
        Arrays.fill(seconds, Long.MIN_VALUE);
    }

    /** Counts one answered message in the current second. */
    void record(Result result, Duration latency) {
        long now = clock.get().getEpochSecond();
        int bucket = bucket(latency.toNanos() / 1_000_000.0);
        synchronized (this) {
            int slot = claim(now);
            if (slot >= 0) {
                counts[slot][result.ordinal()]++;
                histograms[slot][bucket]++;
            }
        }
    }

    /** Notes how many streams are open now; the current second keeps the highest it was told. */
    void sampleOpenStreams(int open) {
        long now = clock.get().getEpochSecond();
        synchronized (this) {
            int slot = claim(now);
            if (slot >= 0) {
                openStreams[slot] = Math.max(openStreams[slot], open);
            }
        }
    }

    /**
     * The last {@code window} complete seconds in steps of {@code step} seconds, oldest first.
     *
     * @throws IllegalArgumentException unless {@code 1 <= step <= window <= WINDOW_SECONDS} and {@code step} divides {@code window}
     */
    List<Step> steps(int window, int step) {
        if (step < 1 || window < step || window > WINDOW_SECONDS || window % step != 0) {
            throw new IllegalArgumentException("a window of 1 to " + WINDOW_SECONDS + " seconds in whole steps");
        }
        long now = clock.get().getEpochSecond();
        List<Step> result = new ArrayList<>(window / step);
        synchronized (this) {
            for (long start = now - window; start < now; start += step) {
                long[] total = new long[3];
                long[] histogram = new long[BUCKETS];
                int open = 0;
                for (long second = start; second < start + step; second++) {
                    int slot = slot(second);
                    if (seconds[slot] == second) {
                        for (int i = 0; i < 3; i++) {
                            total[i] += counts[slot][i];
                        }
                        for (int b = 0; b < BUCKETS; b++) {
                            histogram[b] += histograms[slot][b];
                        }
                        open = Math.max(open, openStreams[slot]);
                    }
                }
                long count = total[0] + total[1] + total[2];
                result.add(new Step(start, step, count, total[1], total[2], percentile(histogram, count, 0.50),
                        percentile(histogram, count, 0.99), open));
            }
        }
        return List.copyOf(result);
    }

    /** The slot of {@code second}, cleared if it held an older second; -1 if the clock went back past the window. */
    private int claim(long second) {
        int slot = slot(second);
        if (seconds[slot] != second) {
            if (seconds[slot] > second) {
                return -1;
            }
            seconds[slot] = second;
            Arrays.fill(counts[slot], 0);
            Arrays.fill(histograms[slot], 0);
            openStreams[slot] = 0;
        }
        return slot;
    }

    private static double percentile(long[] histogram, long count, double quantile) {
        if (count == 0) {
            return 0;
        }
        long rank = (long) Math.ceil(quantile * count);
        long seen = 0;
        for (int b = 0; b < BUCKETS; b++) {
            seen += histogram[b];
            if (seen >= rank) {
                return BOUNDS_MILLIS[Math.min(b, BOUNDS_MILLIS.length - 1)];
            }
        }
        return BOUNDS_MILLIS[BOUNDS_MILLIS.length - 1];
    }

    private static int bucket(double millis) {
        for (int b = 0; b < BOUNDS_MILLIS.length; b++) {
            if (millis <= BOUNDS_MILLIS[b]) {
                return b;
            }
        }
        return BOUNDS_MILLIS.length;
    }

    private static int slot(long epochSecond) {
        return (int) Math.floorMod(epochSecond, (long) SLOTS);
    }
}
