package io.mcprelay.bench;

import java.util.Map;

/**
 * Times a replay through mcp-relay: relays one stream of {@code events} events to its end, then
 * resumes it {@code repeats} times from its start ({@code Last-Event-ID: <stream>:0}) and measures, for
 * each resumption, the time from sending the GET to reading the last replayed event.
 *
 * <p>{@code bench.ReplayClient HOST PORT EVENTS REPEATS} prints
 * {@code RESULT events=.. replayed=.. replay_p50_ms=.. replay_min_ms=.. replay_max_ms=..}.
 */
public final class ReplayClient {

    private ReplayClient() {
    }

    public static void main(String[] args) throws Exception {
        String host = args[0];
        int port = Integer.parseInt(args[1]);
        int events = Integer.parseInt(args[2]);
        int repeats = Integer.parseInt(args[3]);
        String session = McpSession.open(host, port);
        String streamId = null;
        String body = "{\"jsonrpc\":\"2.0\",\"id\":7,\"method\":\"tools/call\",\"params\":{\"name\":\"paced\",\"arguments\":{},\"events\":"
                + events + ",\"intervalMs\":0}}";
        try (Http1 http = Http1.exchange(host, port, "POST", "/mcp", Http1.mcpHeaders(session), body)) {
            String line;
            while ((line = http.bodyLine()) != null) {
                if (streamId == null && line.startsWith("id:")) {
                    String id = line.substring(3).trim();
                    streamId = id.substring(0, id.lastIndexOf(':'));
                }
            }
        }
        if (streamId == null) {
            throw new IllegalStateException("the relayed stream carried no event id");
        }
        long[] took = new long[repeats];
        int replayed = 0;
        for (int r = 0; r < repeats; r++) {
            Map<String, String> headers = Http1.mcpHeaders(session);
            headers.put("Last-Event-ID", streamId + ":0");
            long sent = System.nanoTime();
            int count = 0;
            try (Http1 http = Http1.exchange(host, port, "GET", "/mcp", headers, null)) {
                if (http.status() != 200) {
                    throw new IllegalStateException("resume answered " + http.status() + ": " + http.bodyText());
                }
                String line;
                while ((line = http.bodyLine()) != null) {
                    if (line.startsWith("data:")) {
                        count++;
                    }
                }
            }
            took[r] = System.nanoTime() - sent;
            replayed = count;
        }
        System.out.printf(java.util.Locale.ROOT, "RESULT events=%d replayed=%d replay_p50_ms=%.2f replay_min_ms=%.2f replay_max_ms=%.2f%n",
                events, replayed, Stats.percentile(took, 50) / 1e6, Stats.percentile(took, 0) / 1e6, Stats.percentile(took, 100) / 1e6);
    }
}
