package io.mcprelay.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The load of bench/stdio, closed loop over keep-alive HTTP/1.1 (the JDK client), on virtual threads:
 * <ul>
 *   <li>{@code json HOST PORT CONNS SECONDS}: CONNS clients, each with its own session (for a stdio
 *       upstream: its own process), send {@code tools/call} one after the other, then end their
 *       session (DELETE); prints
 *       {@code RESULT requests=... rps=... p50_ms=... p99_ms=... errors=...}.</li>
 *   <li>{@code churn HOST PORT CONNS SECONDS}: CONNS clients open a session (initialize and
 *       notifications/initialized) and end it (DELETE), again and again; for a stdio upstream each
 *       cycle starts and stops a process; prints {@code RESULT sessions=... per_second=... p50_ms=... errors=...}.</li>
 * </ul>
 */
public final class StdioBench {

    private static final String INITIALIZE = "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\",\"params\":{\"protocolVersion\":\""
            + Http1.PROTOCOL_VERSION + "\",\"capabilities\":{},\"clientInfo\":{\"name\":\"bench\",\"version\":\"1\"}}}";
    private static final String INITIALIZED = "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}";
    private static final String CALL = "{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"tools/call\",\"params\":{\"name\":\"echo\",\"arguments\":{}}}";

    private StdioBench() {
    }

    public static void main(String[] args) throws Exception {
        String mode = args[0];
        URI endpoint = URI.create("http://" + args[1] + ":" + args[2] + "/mcp");
        int conns = Integer.parseInt(args[3]);
        long seconds = Long.parseLong(args[4]);
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
        AtomicLong errors = new AtomicLong();
        AtomicLong lastDone = new AtomicLong();
        List<List<Long>> latencies = new ArrayList<>();
        List<Thread> clients = new ArrayList<>();
        // json: every client opens its session (on a stdio relay: starts its process) before the
        // measured window, which then times round trips only
        CountDownLatch ready = new CountDownLatch(conns);
        CountDownLatch go = new CountDownLatch(1);
        long[] window = new long[2];
        for (int c = 0; c < conns; c++) {
            List<Long> mine = new ArrayList<>();
            latencies.add(mine);
            clients.add(Thread.ofVirtual().start(() -> {
                try {
                    String session;
                    try {
                        session = mode.equals("json") ? open(http, endpoint) : null;
                    } finally {
                        ready.countDown();
                    }
                    go.await();
                    long deadline = window[1];
                    while (System.nanoTime() < deadline) {
                        long t0 = System.nanoTime();
                        boolean ok;
                        if (mode.equals("json")) {
                            ok = post(http, endpoint, session, CALL).statusCode() == 200;
                        } else {
                            ok = end(http, endpoint, open(http, endpoint));
                        }
                        long t1 = System.nanoTime();
                        lastDone.accumulateAndGet(t1, Math::max);
                        if (ok) {
                            mine.add(t1 - t0);
                        } else {
                            errors.incrementAndGet();
                        }
                    }
                    if (session != null && !end(http, endpoint, session)) {
                        errors.incrementAndGet();
                    }
                } catch (Exception e) {
                    errors.incrementAndGet();
                    System.err.println("client failed: " + e);
                }
            }));
        }
        ready.await();
        window[0] = System.nanoTime();
        window[1] = window[0] + seconds * 1_000_000_000L;
        go.countDown();
        long start = window[0];
        for (Thread t : clients) {
            t.join();
        }
        // up to the last round trip's end: json's closing DELETEs are not part of the window
        double elapsed = (Math.max(lastDone.get(), window[1]) - start) / 1e9;
        List<Long> all = new ArrayList<>();
        latencies.forEach(all::addAll);
        all.sort(null);
        String p50 = all.isEmpty() ? "NaN" : String.format("%.3f", all.get(all.size() / 2) / 1e6);
        String p99 = all.isEmpty() ? "NaN" : String.format("%.3f", all.get(Math.min(all.size() - 1, (int) (all.size() * 0.99))) / 1e6);
        System.out.printf("RESULT %s=%d %s=%.1f p50_ms=%s p99_ms=%s errors=%d%n", mode.equals("json") ? "requests" : "sessions", all.size(),
                mode.equals("json") ? "rps" : "per_second", all.size() / elapsed, p50, p99, errors.get());
    }

    private static String open(HttpClient http, URI endpoint) throws Exception {
        HttpResponse<String> init = post(http, endpoint, null, INITIALIZE);
        String session = init.headers().firstValue("mcp-session-id")
                .orElseThrow(() -> new IllegalStateException("initialize answered " + init.statusCode() + ": " + init.body()));
        post(http, endpoint, session, INITIALIZED);
        return session;
    }

    /**
     * Ends a session (DELETE): on the stdio relay this stops its process, so a run leaves none behind
     * for the next (the upstream's process limit would fill up otherwise).
     */
    private static boolean end(HttpClient http, URI endpoint, String session) throws Exception {
        return http.send(HttpRequest.newBuilder(endpoint).DELETE().header("Mcp-Session-Id", session)
                .header("MCP-Protocol-Version", Http1.PROTOCOL_VERSION).timeout(Duration.ofSeconds(30)).build(),
                HttpResponse.BodyHandlers.discarding()).statusCode() / 100 == 2;
    }

    private static HttpResponse<String> post(HttpClient http, URI endpoint, String session, String body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(endpoint).POST(HttpRequest.BodyPublishers.ofString(body))
                .header("Content-Type", "application/json").header("Accept", "application/json, text/event-stream")
                .header("MCP-Protocol-Version", Http1.PROTOCOL_VERSION).timeout(Duration.ofSeconds(30));
        if (session != null) {
            request.header("Mcp-Session-Id", session);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
