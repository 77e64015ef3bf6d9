package io.mcprelay.bootstrap;

import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.mcprelay.adapter.http.testing.StubUpstream;
import java.io.OutputStream;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A tiny, predictable MCP upstream for tests that need exact control: initialize answers JSON with
 * session {@code upstream-session-1}, notifications and responses get 202, {@code tools/list}
 * answers with an event stream, {@code tools/call} with JSON, DELETE with 200.
 */
final class MiniMcpUpstream {

    static final String UPSTREAM_SESSION = "upstream-session-1";
    private static final Pattern ID = Pattern.compile("\"id\"\\s*:\\s*(\"[^\"]*\"|-?\\d+)");
    private static final Pattern METHOD = Pattern.compile("\"method\"\\s*:\\s*\"([^\"]+)\"");
    private static final Pattern VERSION = Pattern.compile("\"protocolVersion\"\\s*:\\s*\"([^\"]+)\"");

    private MiniMcpUpstream() {
    }

    static StubUpstream start() {
        return StubUpstream.start(MiniMcpUpstream::answer);
    }

    static void answer(StubUpstream.Recorded req, io.helidon.webserver.http.ServerResponse res) throws Exception {
        if (req.method().equals("DELETE")) {
            res.status(Status.OK_200).send();
            return;
        }
        if (req.method().equals("GET")) {
            res.status(Status.METHOD_NOT_ALLOWED_405).send();
            return;
        }
        String id = find(ID, req.body());
        String method = find(METHOD, req.body());
        if (id == null || method == null) {
            res.status(Status.ACCEPTED_202).send();
            return;
        }
        switch (method) {
            case "initialize" -> {
                String version = find(VERSION, req.body());
                res.header(HeaderNames.create("Mcp-Session-Id"), UPSTREAM_SESSION);
                json(res, "{\"jsonrpc\":\"2.0\",\"id\":" + id + ",\"result\":{\"protocolVersion\":\"" + version
                        + "\",\"capabilities\":{\"tools\":{}},\"serverInfo\":{\"name\":\"mini\",\"version\":\"1\"}}}");
            }
            case "tools/list" -> {
                res.header(HeaderNames.CONTENT_TYPE, "text/event-stream");
                try (OutputStream out = res.outputStream()) {
                    StubUpstream.writeAndFlush(out, "id: up-1\ndata:\n\n");
                    StubUpstream.writeAndFlush(out, "event: message\ndata: {\"jsonrpc\":\"2.0\",\"method\":\"notifications/message\",\"params\":{\"level\":\"info\",\"data\":\"listing\"}}\n\n");
                    StubUpstream.writeAndFlush(out, "id: up-2\ndata: {\"jsonrpc\":\"2.0\",\"id\":" + id + ",\"result\":{\"tools\":[]}}\n\n");
                }
            }
            default -> json(res, "{\"jsonrpc\":\"2.0\",\"id\":" + id + ",\"result\":{\"echo\":\"" + method + "\"}}");
        }
    }

    private static void json(io.helidon.webserver.http.ServerResponse res, String body) {
        res.header(HeaderNames.CONTENT_TYPE, "application/json");
        res.send(body);
    }

    /** The first group of {@code pattern}'s first match in {@code body}, or null. */
    static String find(Pattern pattern, String body) {
        Matcher m = pattern.matcher(body);
        return m.find() ? m.group(1) : null;
    }
}
