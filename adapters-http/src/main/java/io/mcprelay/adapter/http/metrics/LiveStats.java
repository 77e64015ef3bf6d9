package io.mcprelay.adapter.http.metrics;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.function.LongSupplier;

/**
 * Live numbers for an overview, kept in this JVM: per second of the last {@value #WINDOW_SECONDS}
 * seconds, how many relayed messages were answered, how many of them with an error (any outcome but
 * {@code ok}), and their mean and maximum latency.
 *
 * <p>A ring of one bucket per second ({@value #WINDOW_SECONDS} complete seconds plus the current
 * one): memory is fixed whatever the load, and a bucket is reused once its second has left the
 * window. Reads cover complete seconds only, the ones before the current second, so a rate never
 * dips because the current second has only begun. Thread-safe: recording and reading take one
 * short lock and never block otherwise.
 */
public final class LiveStats {

    /** How far back the stats reach: ten minutes. */
    public static final int WINDOW_SECONDS = 600;

    private static final int SLOTS = WINDOW_SECONDS + 1;
    private static final long EMPTY = Long.MIN_VALUE;
    private static final double NANOS_PER_MILLI = 1_000_000.0;
    private static final Duration LATENCY_CAP = Duration.ofDays(1);

    private final LongSupplier epochSeconds;
    private final long[] seconds = new long[SLOTS];
    private final long[] counts = new long[SLOTS];
    private final long[] errors = new long[SLOTS];
    private final long[] latencySums = new long[SLOTS];
    private final long[] latencyMaxima = new long[SLOTS];

    /**
     * One complete second.
     *
     * @param epochSecond the second, in seconds since the epoch
     * @param count       messages answered in it
     * @param errors      of those, the ones not answered {@code ok}
     * @param meanMillis  their mean latency in milliseconds, 0 when there were none
     * @param maxMillis   their highest latency in milliseconds, 0 when there were none
     */
    public record Second(long epochSecond, long count, long errors, double meanMillis, double maxMillis) {
    }

    /** Stats on the system clock. */
    public LiveStats() {
        this(() -> Instant.now().getEpochSecond());
    }

    /** Stats on {@code epochSeconds}, which gives the current time in seconds since the epoch. */
    public LiveStats(LongSupplier epochSeconds) {
        this.epochSeconds = Objects.requireNonNull(epochSeconds, "epochSeconds");
        Arrays.fill(seconds, EMPTY);
    }

    /** Counts one answered message in the current second. */
    public void record(boolean error, Duration latency) {
        long now = epochSeconds.getAsLong();
        long nanos = nanos(latency);
        int slot = slot(now);
        synchronized (this) {
            if (seconds[slot] != now) {
                if (seconds[slot] != EMPTY && seconds[slot] > now) {
                    return; // the clock went back past the window: too old to keep
                }
                seconds[slot] = now;
                counts[slot] = 0;
                errors[slot] = 0;
                latencySums[slot] = 0;
                latencyMaxima[slot] = 0;
            }
            counts[slot]++;
            if (error) {
                errors[slot]++;
            }
            latencySums[slot] += nanos;
            latencyMaxima[slot] = Math.max(latencyMaxima[slot], nanos);
        }
    }

    /**
     * The last {@code n} complete seconds, oldest first, ending with the second before the current
     * one; a second without messages is there with zeros.
     *
     * @throws IllegalArgumentException unless {@code 1 <= n <= WINDOW_SECONDS}
     */
    public List<Second> lastSeconds(int n) {
        checkWindow(n);
        long now = epochSeconds.getAsLong();
        List<Second> result = new ArrayList<>(n);
        synchronized (this) {
            for (long second = now - n; second < now; second++) {
                int slot = slot(second);
                if (seconds[slot] == second && counts[slot] > 0) {
                    result.add(new Second(second, counts[slot], errors[slot],
                            latencySums[slot] / NANOS_PER_MILLI / counts[slot], latencyMaxima[slot] / NANOS_PER_MILLI));
                } else {
                    result.add(new Second(second, 0, 0, 0, 0));
                }
            }
        }
        return List.copyOf(result);
    }

    /**
     * Messages answered per second over the last {@code windowSeconds} complete seconds.
     *
     * @throws IllegalArgumentException unless {@code 1 <= windowSeconds <= WINDOW_SECONDS}
     */
    public double requestsPerSecond(int windowSeconds) {
        return (double) totals(windowSeconds)[0] / windowSeconds;
    }

    /**
     * The share of messages not answered {@code ok} over the last {@code windowSeconds} complete
     * seconds, from 0 to 1; 0 when there were none.
     *
     * @throws IllegalArgumentException unless {@code 1 <= windowSeconds <= WINDOW_SECONDS}
     */
    public double errorRate(int windowSeconds) {
        long[] totals = totals(windowSeconds);
        return totals[0] == 0 ? 0 : (double) totals[1] / totals[0];
    }

    /** {count, errors} over the window. */
    private long[] totals(int windowSeconds) {
        long count = 0;
        long failed = 0;
        for (Second second : lastSeconds(windowSeconds)) {
            count += second.count();
            failed += second.errors();
        }
        return new long[] {count, failed};
    }

    private static void checkWindow(int n) {
        if (n < 1 || n > WINDOW_SECONDS) {
            throw new IllegalArgumentException("a window is 1 to " + WINDOW_SECONDS + " seconds, not " + n);
        }
    }

    private static int slot(long epochSecond) {
        return (int) Math.floorMod(epochSecond, (long) SLOTS);
    }

    /** The latency in nanoseconds, capped at a day so that sums cannot overflow. */
    private static long nanos(Duration latency) {
        if (latency.isNegative()) {
            return 0;
        }
        return latency.compareTo(LATENCY_CAP) > 0 ? LATENCY_CAP.toNanos() : latency.toNanos();
    }
}
