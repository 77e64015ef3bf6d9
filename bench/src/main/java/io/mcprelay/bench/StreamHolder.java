package io.mcprelay.bench;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Opens {@code streams} SSE streams at a target and keeps them open, so that bench/run can measure
 * the proxy's memory and descriptors per open stream. Each stream is a {@code tools/call} the paced
 * upstream answers with an event at once and then one every {@code intervalMs}: the streams are live,
 * not merely connected. Opens at most 128 at a time (a ramp, not a connect storm).
 *
 * <p>{@code bench.StreamHolder HOST PORT STREAMS HOLD_SECONDS INTERVAL_MS} prints
 * {@code OPEN n seconds} once every stream has its first event, holds them {@code HOLD_SECONDS}, then
 * prints {@code RESULT streams=.. opened=.. still_open=.. delivering=..}: streams open at the end, and
 * streams that received an event during the hold.
 */
public final class StreamHolder {

    private StreamHolder() {
    }

    public static void main(String[] args) throws Exception {
        String host = args[0];
        int port = Integer.parseInt(args[1]);
        int streams = Integer.parseInt(args[2]);
        int holdSeconds = Integer.parseInt(args[3]);
        long intervalMs = Long.parseLong(args[4]);
        String session = McpSession.open(host, port);

        AtomicIntegerArray events = new AtomicIntegerArray(streams);
        AtomicIntegerArray closed = new AtomicIntegerArray(streams);
        CountDownLatch opened = new CountDownLatch(streams);
        Semaphore opening = new Semaphore(128);
        AtomicReference<String> firstError = new AtomicReference<>();
        long began = System.nanoTime();
        for (int s = 0; s < streams; s++) {
            int stream = s;
            opening.acquire();
            Thread.ofVirtual().start(() -> {
                boolean released = false;
                String body = "{\"jsonrpc\":\"2.0\",\"id\":" + (1000 + stream) + ",\"method\":\"tools/call\",\"params\":{\"name\":\"paced\","
                        + "\"arguments\":{},\"events\":1000000,\"intervalMs\":" + intervalMs + "}}";
                try (Http1 http = Http1.exchange(host, port, "POST", "/mcp", Http1.mcpHeaders(session), body)) {
                    if (http.status() != 200) {
                        throw new IllegalStateException("status " + http.status() + ": " + http.bodyText());
                    }
                    String line;
                    while ((line = http.bodyLine()) != null) {
                        if (line.startsWith("data:") && line.contains("\"sentNanos\":")) {
                            if (events.getAndIncrement(stream) == 0) {
                                opened.countDown();
                                opening.release();
                                released = true;
                            }
                        }
                    }
                } catch (Exception e) {
                    firstError.compareAndSet(null, e.toString());
                } finally {
                    closed.set(stream, 1);
                    if (!released) {
                        opening.release();
                    }
                }
            });
        }
        boolean all = opened.await(120, TimeUnit.SECONDS);
        long openCount = streams - opened.getCount();
        System.out.println(String.format(java.util.Locale.ROOT, "OPEN %d %.1f", openCount, (System.nanoTime() - began) / 1e9));
        System.out.flush();
        int[] before = new int[streams];
        for (int s = 0; s < streams; s++) {
            before[s] = events.get(s);
        }
        Thread.sleep(holdSeconds * 1000L);
        int stillOpen = 0;
        int delivering = 0;
        for (int s = 0; s < streams; s++) {
            if (closed.get(s) == 0) {
                stillOpen++;
            }
            if (events.get(s) > before[s]) {
                delivering++;
            }
        }
        System.out.printf("RESULT streams=%d opened=%d still_open=%d delivering=%d all_opened=%b%s%n", streams, openCount, stillOpen,
                delivering, all, firstError.get() == null ? "" : " first_error=\"" + firstError.get().replace('"', '\'') + "\"");
        System.out.flush();
        System.exit(0);
    }
}
