package io.mcprelay.bootstrap;

import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.mcprelay.adapter.http.testing.StubUpstream;
import java.io.OutputStream;
import java.util.concurrent.CountDownLatch;
import java.util.regex.Pattern;

/**
 * A small MCP upstream of the 2026-07-28 era, for tests that need exact control over loopback: it
 * answers {@code server/discover} (modern and 2025-11-25), {@code tools/call} of {@code echo} with
 * JSON, of {@code slow} with an event stream of progress notifications every 50 ms until its client
 * closes the request (then {@link #cancelled} counts down), {@code subscriptions/listen} with an
 * acknowledgement, a silence of {@link #LISTEN_SILENCE_MILLIS}, a change notification and the end;
 * an unknown method with 404 and {@code -32601}; GET and DELETE with 405. Requests of the 2025 era
 * (no {@code _meta} version) are answered as {@link MiniMcpUpstream} does.
 */
final class ModernMcpUpstream {

    static final String VERSION = "2026-07-28";
    static final long LISTEN_SILENCE_MILLIS = 2_500;
    private static final Pattern ID = Pattern.compile("\"id\"\\s*:\\s*(\"[^\"]*\"|-?\\d+)");
    private static final Pattern METHOD = Pattern.compile("\"method\"\\s*:\\s*\"([^\"]+)\"");
    private static final Pattern NAME = Pattern.compile("\"name\"\\s*:\\s*\"([^\"]+)\"");

    /** Counts down once the {@code slow} tool's stream could no longer be written: its client closed it. */
    final CountDownLatch cancelled = new CountDownLatch(1);
    final StubUpstream stub;

    private ModernMcpUpstream() {
        this.stub = StubUpstream.start(this::answer);
    }

    static ModernMcpUpstream start() {
        return new ModernMcpUpstream();
    }

    private void answer(StubUpstream.Recorded req, io.helidon.webserver.http.ServerResponse res) throws Exception {
        if (!req.method().equals("POST")) {
            res.header(HeaderNames.ALLOW, "POST");
            res.status(Status.METHOD_NOT_ALLOWED_405).send();
            return;
        }
        if (req.header("content-type") == null || !req.header("content-type").startsWith("application/json")) {
            json(res, 415, "{\"jsonrpc\":\"2.0\",\"id\":null,\"error\":{\"code\":-32000,\"message\":\"Content-Type must be application/json\"}}");
            return;
        }
        if (!req.body().contains("io.modelcontextprotocol/protocolVersion")) {
            MiniMcpUpstream.answer(req, res);
            return;
        }
        String id = MiniMcpUpstream.find(ID, req.body());
        String method = MiniMcpUpstream.find(METHOD, req.body());
        if (id == null) {
            res.status(Status.ACCEPTED_202).send();
            return;
        }
        switch (method) {
            case "server/discover" -> json(res, 200, "{\"jsonrpc\":\"2.0\",\"id\":" + id + ",\"result\":{\"supportedVersions\":[\"" + VERSION
                    + "\",\"2025-11-25\"],\"capabilities\":{\"tools\":{}},\"ttlMs\":0,\"cacheScope\":\"private\"}}");
            case "tools/call" -> {
                String tool = MiniMcpUpstream.find(NAME, req.body());
                if ("slow".equals(tool)) {
                    slow(id, res);
                } else {
                    json(res, 200, "{\"jsonrpc\":\"2.0\",\"id\":" + id + ",\"result\":{\"resultType\":\"complete\",\"content\":[{\"type\":\"text\","
                            + "\"text\":\"" + tool + "\"}]}}");
                }
            }
            case "subscriptions/listen" -> listen(id, res);
            case "tools/list" -> json(res, 200, "{\"jsonrpc\":\"2.0\",\"id\":" + id + ",\"result\":{\"tools\":[],\"ttlMs\":0,"
                    + "\"cacheScope\":\"private\"}}");
            default -> json(res, 404, "{\"jsonrpc\":\"2.0\",\"id\":" + id + ",\"error\":{\"code\":-32601,\"message\":\"Method not found\"}}");
        }
    }

    private void slow(String id, io.helidon.webserver.http.ServerResponse res) throws Exception {
        res.header(HeaderNames.CONTENT_TYPE, "text/event-stream");
        try (OutputStream out = res.outputStream()) {
            for (int i = 0; i < 600; i++) {
                if (!StubUpstream.writeAndFlush(out, "data: {\"jsonrpc\":\"2.0\",\"method\":\"notifications/progress\",\"params\":"
                        + "{\"progressToken\":\"p\",\"progress\":" + i + "}}\n\n")) {
                    cancelled.countDown();
                    return;
                }
                Thread.sleep(50);
            }
            StubUpstream.writeAndFlush(out, "data: {\"jsonrpc\":\"2.0\",\"id\":" + id + ",\"result\":{}}\n\n");
        } catch (Exception e) {
            cancelled.countDown();
        }
    }

    private static void listen(String id, io.helidon.webserver.http.ServerResponse res) throws Exception {
        res.header(HeaderNames.CONTENT_TYPE, "text/event-stream");
        try (OutputStream out = res.outputStream()) {
            StubUpstream.writeAndFlush(out, "data: {\"jsonrpc\":\"2.0\",\"method\":\"notifications/subscriptions/acknowledged\","
                    + "\"params\":{\"notifications\":{\"toolsListChanged\":true}}}\n\n");
            Thread.sleep(LISTEN_SILENCE_MILLIS);
            StubUpstream.writeAndFlush(out, "data: {\"jsonrpc\":\"2.0\",\"method\":\"notifications/tools/list_changed\",\"params\":"
                    + "{\"_meta\":{\"io.modelcontextprotocol/subscriptionId\":" + id + "}}}\n\n");
            StubUpstream.writeAndFlush(out, "data: {\"jsonrpc\":\"2.0\",\"id\":" + id + ",\"result\":{}}\n\n");
        }
    }

    private static void json(io.helidon.webserver.http.ServerResponse res, int status, String body) {
        res.status(Status.create(status));
        res.header(HeaderNames.CONTENT_TYPE, "application/json");
        res.send(body);
    }
}
