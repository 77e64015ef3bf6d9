package io.mcprelay.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Opens {@code streams} concurrent POST streams at a target, each a {@code tools/call} the paced
 * upstream answers with {@code events} stamped events, and measures per event the lag from the
 * upstream's write to this process's read ({@code nanoTime} here minus the event's {@code sentNanos},
 * both CLOCK_MONOTONIC), and per stream the time from sending the request to the first stamped event.
 * A proxy that buffered would show lags near the stream's length; one that lost events, a count short
 * of {@code streams × events}.
 *
 * <p>The scenario runs twice and only the second pass is reported (the first warms this client up).
 * {@code bench.SseLagClient HOST PORT STREAMS EVENTS INTERVAL_MS} prints one line:
 * {@code RESULT streams=.. events=../.. lag_p50_us=.. lag_p99_us=.. lag_max_us=.. steady_p50_us=.. steady_p99_us=.. ttfe_p50_us=.. ttfe_p99_us=.. errors=..};
 * "steady" leaves out each stream's first {@value #STEADY_AFTER} events, while all streams are opening.
 */
public final class SseLagClient {

    /** Events per stream left out of the steady-state lag (the streams all open at once). */
    private static final int STEADY_AFTER = 10;

    private SseLagClient() {
    }

    public static void main(String[] args) throws Exception {
        String host = args[0];
        int port = Integer.parseInt(args[1]);
        int streams = Integer.parseInt(args[2]);
        int events = Integer.parseInt(args[3]);
        long intervalMs = Long.parseLong(args[4]);
        String session = McpSession.open(host, port);
        // The same scenario once unmeasured first, so that this client's own code is compiled and
        // warm when it measures: a cold client adds its own milliseconds to the first events' lag.
        run(host, port, session, streams, events, intervalMs);
        Result result = run(host, port, session, streams, events, intervalMs);
        System.out.println(result.line(streams, events));
    }

    /** Lags and first-event times of one pass, in nanoseconds. */
    private record Result(long[] lags, long[] steady, long[] firstEvent, int errors, String firstError) {

        String line(int streams, int events) {
            return String.format("RESULT streams=%d events=%d/%d lag_p50_us=%s lag_p99_us=%s lag_max_us=%s steady_p50_us=%s steady_p99_us=%s ttfe_p50_us=%s ttfe_p99_us=%s errors=%d%s",
                    streams, lags.length, streams * events, Stats.micros(Stats.percentile(lags, 50)), Stats.micros(Stats.percentile(lags, 99)),
                    Stats.micros(Stats.percentile(lags, 100)), Stats.micros(Stats.percentile(steady, 50)), Stats.micros(Stats.percentile(steady, 99)),
                    Stats.micros(Stats.percentile(firstEvent, 50)),
                    Stats.micros(Stats.percentile(firstEvent, 99)), errors,
                    firstError == null ? "" : " first_error=\"" + firstError.replace('"', '\'') + "\"");
        }
    }

    private static Result run(String host, int port, String session, int streams, int events, long intervalMs) throws InterruptedException {
        long[][] lags = new long[streams][];
        long[] firstEvent = new long[streams];
        AtomicInteger errors = new AtomicInteger();
        AtomicReference<String> firstError = new AtomicReference<>();
        CountDownLatch start = new CountDownLatch(1);
        List<Thread> threads = new ArrayList<>(streams);
        for (int s = 0; s < streams; s++) {
            int stream = s;
            threads.add(Thread.ofVirtual().start(() -> {
                long[] mine = new long[events];
                int got = 0;
                String body = "{\"jsonrpc\":\"2.0\",\"id\":" + (1000 + stream) + ",\"method\":\"tools/call\",\"params\":{\"name\":\"paced\","
                        + "\"arguments\":{},\"events\":" + events + ",\"intervalMs\":" + intervalMs + "}}";
                try {
                    start.await();
                    long sent = System.nanoTime();
                    try (Http1 http = Http1.exchange(host, port, "POST", "/mcp", Http1.mcpHeaders(session), body)) {
                        if (http.status() != 200) {
                            throw new IllegalStateException("status " + http.status() + ": " + http.bodyText());
                        }
                        String line;
                        while ((line = http.bodyLine()) != null) {
                            int at = line.indexOf("\"sentNanos\":");
                            if (!line.startsWith("data:") || at < 0) {
                                continue;
                            }
                            long now = System.nanoTime();
                            int from = at + "\"sentNanos\":".length();
                            int to = from;
                            while (to < line.length() && (Character.isDigit(line.charAt(to)) || line.charAt(to) == '-')) {
                                to++;
                            }
                            long stamp = Long.parseLong(line.substring(from, to));
                            if (got == 0) {
                                firstEvent[stream] = now - sent;
                            }
                            if (got < events) {
                                mine[got++] = now - stamp;
                            }
                        }
                    }
                } catch (Exception e) {
                    errors.incrementAndGet();
                    firstError.compareAndSet(null, e.toString());
                } finally {
                    lags[stream] = java.util.Arrays.copyOf(mine, got);
                }
            }));
        }
        start.countDown();
        for (Thread t : threads) {
            t.join();
        }
        int total = 0;
        for (long[] l : lags) {
            total += l.length;
        }
        long[] all = new long[total];
        int i = 0;
        for (long[] l : lags) {
            System.arraycopy(l, 0, all, i, l.length);
            i += l.length;
        }
        // Steady state: each stream's events after its first STEADY_AFTER, once the burst of
        // streams opening at the same instant is over.
        int steadyCount = 0;
        for (long[] l : lags) {
            steadyCount += Math.max(0, l.length - STEADY_AFTER);
        }
        long[] steady = new long[steadyCount];
        int j = 0;
        for (long[] l : lags) {
            for (int k = STEADY_AFTER; k < l.length; k++) {
                steady[j++] = l[k];
            }
        }
        return new Result(all, steady, firstEvent, errors.get(), firstError.get());
    }
}
