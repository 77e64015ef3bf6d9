package io.mcprelay.bootstrap;

import io.helidon.http.HeaderNames;
import io.mcprelay.adapter.http.testing.StubUpstream;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A resumable upstream for the take-over and drain tests: a tool call's stream sends step n as event
 * id {@code <request id>-<n>} every 100 ms, as a progress notification with token
 * {@code t<request id>}, then its result: after 25 steps for the {@code slow} tool, after 599 for any
 * other. A GET with {@code Last-Event-ID} carries on after that step (its events marked
 * {@code "resumed":true}) and answers the call ten steps later; a GET without one gets 405, a
 * DELETE 200. It notes when the first resuming GET came.
 */
final class ResumableUpstream {

    private static final Pattern REQUEST_ID = Pattern.compile("\"id\"\\s*:\\s*(\\d+)");

    private final AtomicLong firstResumeAt = new AtomicLong();

    /** Starts a stub upstream that answers as this one. */
    StubUpstream start() {
        return StubUpstream.start(this::answer);
    }

    /** {@link System#nanoTime()} when the first GET with {@code Last-Event-ID} came; 0 before. */
    long firstResumeAt() {
        return firstResumeAt.get();
    }

    private void answer(StubUpstream.Recorded req, io.helidon.webserver.http.ServerResponse res) throws Exception {
        if (req.method().equals("GET")) {
            String last = req.header("Last-Event-ID");
            if (last == null) {
                res.status(405).send();
                return;
            }
            firstResumeAt.compareAndSet(0, System.nanoTime());
            String[] parts = last.split("-");
            int from = Integer.parseInt(parts[1]) + 1;
            stream(res, parts[0], from, from + 10, true);
            return;
        }
        if (req.method().equals("DELETE")) {
            res.status(200).send();
            return;
        }
        String id = callToAnswer(req, res);
        if (id != null) {
            stream(res, id, 1, req.body().contains("\"slow\"") ? 26 : 600, false);
        }
    }

    /**
     * Answers a POST as every stub upstream of these tests does: 202 for one without a request id
     * (a notification or response), a new session for {@code initialize} (2025-06-18); returns null
     * then, else the id of the request the caller must answer.
     */
    static String callToAnswer(StubUpstream.Recorded req, io.helidon.webserver.http.ServerResponse res) {
        Matcher id = REQUEST_ID.matcher(req.body());
        if (!id.find()) {
            res.status(202).send();
            return null;
        }
        if (req.body().contains("\"initialize\"")) {
            res.header(HeaderNames.create("Mcp-Session-Id"), "up-" + System.nanoTime());
            res.header(HeaderNames.CONTENT_TYPE, "application/json");
            res.send("{\"jsonrpc\":\"2.0\",\"id\":" + id.group(1) + ",\"result\":{\"protocolVersion\":\"2025-06-18\",\"capabilities\":{}}}");
            return null;
        }
        return id.group(1);
    }

    private static void stream(io.helidon.webserver.http.ServerResponse res, String requestId, int from, int until, boolean resumed)
            throws Exception {
        res.header(HeaderNames.CONTENT_TYPE, "text/event-stream");
        try (var out = res.outputStream()) {
            for (int n = from; n < until; n++) {
                if (!StubUpstream.writeAndFlush(out, "id: " + requestId + "-" + n + "\ndata: {\"jsonrpc\":\"2.0\",\"method\":\"notifications/progress\","
                        + "\"params\":{\"progressToken\":\"t" + requestId + "\",\"progress\":" + n + ",\"resumed\":" + resumed + "}}\n\n")) {
                    return;
                }
                Thread.sleep(100);
            }
            StubUpstream.writeAndFlush(out, "id: " + requestId + "-" + until + "\ndata: {\"jsonrpc\":\"2.0\",\"id\":" + requestId
                    + ",\"result\":{\"content\":[]}}\n\n");
        }
    }
}
