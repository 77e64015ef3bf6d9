package io.mcprelay.bench;

import java.io.IOException;

/** Opens an MCP session at a target the way a client does: initialize, then notifications/initialized. */
final class McpSession {

    private McpSession() {
    }

    static String open(String host, int port) throws IOException {
        String initialize = "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\",\"params\":{\"protocolVersion\":\""
                + Http1.PROTOCOL_VERSION + "\",\"capabilities\":{},\"clientInfo\":{\"name\":\"bench\",\"version\":\"1\"}}}";
        String session;
        try (Http1 http = Http1.exchange(host, port, "POST", "/mcp", Http1.mcpHeaders(null), initialize)) {
            session = http.header("mcp-session-id");
            String body = http.bodyText();
            if (http.status() != 200 || session == null) {
                throw new IOException("initialize at " + host + ":" + port + " answered " + http.status() + " without a session: " + body);
            }
        }
        try (Http1 http = Http1.exchange(host, port, "POST", "/mcp", Http1.mcpHeaders(session),
                "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}")) {
            http.bodyText();
            if (http.status() / 100 != 2) {
                throw new IOException("notifications/initialized answered " + http.status());
            }
        }
        return session;
    }

    /** {@code bench.McpSession HOST PORT}: prints a new session id (bench/run hands it to wrk). */
    public static void main(String[] args) throws IOException {
        System.out.println(open(args[0], Integer.parseInt(args[1])));
    }
}
