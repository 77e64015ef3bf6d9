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
 * <p>{@code bench.SseLagClient HOST PORT STREAMS EVENTS INTERVAL_MS} prints one line:
 * {@code RESULT streams=.. events=../.. lag_p50_us=.. lag_p99_us=.. lag_max_us=.. ttfe_p50_us=.. ttfe_p99_us=.. errors=..}.
 */
public final class SseLagClient {

    private SseLagClient() {
    }

    public static void main(String[] args) throws Exception {
        String host = args[0];
        int port = Integer.parseInt(args[1]);
        int streams = Integer.parseInt(args[2]);
        int events = Integer.parseInt(args[3]);
        long intervalMs = Long.parseLong(args[4]);
        String session = McpSession.open(host, port);

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
        System.out.printf("RESULT streams=%d events=%d/%d lag_p50_us=%s lag_p99_us=%s lag_max_us=%s ttfe_p50_us=%s ttfe_p99_us=%s errors=%d%s%n",
                streams, total, streams * events, Stats.micros(Stats.percentile(all, 50)), Stats.micros(Stats.percentile(all, 99)),
                Stats.micros(Stats.percentile(all, 100)), Stats.micros(Stats.percentile(firstEvent, 50)),
                Stats.micros(Stats.percentile(firstEvent, 99)), errors.get(),
                firstError.get() == null ? "" : " first_error=\"" + firstError.get().replace('"', '\'') + "\"");
    }
}
