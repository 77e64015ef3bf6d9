package io.mcprelay.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;

import io.mcprelay.adapter.http.testing.StubUpstream;
import io.mcprelay.domain.routing.UpstreamTarget;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.Timeout;

/**
 * Hostile requests, generated and hand-written, over raw sockets (so nothing is cleaned up by an HTTP
 * client on the way): each gets a 4xx, with a JSON-RPC error where the protocol wants one, never a
 * 5xx, a hang or a stack trace; afterwards the relay is healthy and an unrelated session works.
 */
@Timeout(value = 180, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class HostileRequestsIT {

    private static final String VALID = "{\"jsonrpc\":\"2.0\",\"id\":7,\"method\":\"tools/call\",\"params\":{\"name\":\"echo\",\"arguments\":{\"m\":\"x\"}}}";
    private static final String BOTH = "application/json, text/event-stream";

    private static StubUpstream upstream;
    private static McpRelayServer relay;
    private static String session;
    private static String bystander;

    @BeforeAll
    static void start() throws Exception {
        upstream = MiniMcpUpstream.start();
        relay = McpRelayServer.start(RelayOptions.forUpstream(new UpstreamTarget("mini", upstream.endpoint())).withMaxBodyBytes(64 * 1024));
        session = initialize();
        bystander = initialize();
    }

    @AfterAll
    static void stop() {
        relay.close();
        upstream.close();
    }

    @TestFactory
    Stream<DynamicTest> hostileRequestsGetA4xxAndNothingWorse() {
        List<Hostile> cases = new ArrayList<>();
        // truncated JSON: every prefix of a valid message
        for (int end = 0; end < VALID.length(); end += Math.max(1, VALID.length() / 25)) {
            cases.add(post("truncated at " + end, VALID.substring(0, end), session, 400));
        }
        // malformed JSON and wrong JSON-RPC shapes
        for (String body : List.of("{", "}", "[", "]", "{]", "null", "true", "1", "\"text\"", "{\"a\":1,\"a\":2}", VALID + " trailing",
                "{\"jsonrpc\":\"2.0\",\"method\":\"x\",}", "{'jsonrpc':'2.0'}", "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"x\"}{}")) {
            cases.add(post("malformed " + body, body, session, 400));
        }
        for (String body : List.of("{}", "{\"jsonrpc\":\"1.0\",\"id\":1,\"method\":\"ping\"}", "{\"id\":1,\"method\":\"ping\"}",
                "{\"jsonrpc\":2,\"id\":1,\"method\":\"ping\"}", "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":5}",
                "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":null}", "{\"jsonrpc\":\"2.0\",\"id\":1}",
                "{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":{},\"error\":{\"code\":1,\"message\":\"m\"}}",
                "{\"jsonrpc\":\"2.0\",\"result\":{}}", "{\"jsonrpc\":\"2.0\",\"id\":1,\"error\":\"nope\"}",
                "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"ping\",\"result\":{}}", "[]", "[1,2]", "[{\"jsonrpc\":\"2.0\"}]",
                "[{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\"}]")) {
            cases.add(post("wrong shape " + body, body, session, 400));
        }
        // ids of every forbidden type
        for (String id : List.of("{}", "[]", "true", "false", "null", "[1]", "{\"a\":1}", "1" + "0".repeat(200))) {
            cases.add(post("id " + id.substring(0, Math.min(12, id.length())), "{\"jsonrpc\":\"2.0\",\"id\":" + id + ",\"method\":\"ping\"}", session, 400));
        }
        // deep nesting and huge strings
        for (int depth : List.of(65, 200, 5_000)) {
            cases.add(post("nesting " + depth, "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"x\",\"params\":" + "[".repeat(depth) + "]".repeat(depth) + "}",
                    session, depth > 5_000 / 2 ? 400 : 400));
        }
        cases.add(post("string over the body limit", "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"x\",\"params\":{\"s\":\"" + "x".repeat(70_000) + "\"}}", session, 413));
        // invalid UTF-8
        for (String bytes : List.of("\u00C3\u0028", "\u00A0\u00A1", "\u00E2\u0082\u0028", "\u00F0\u0028\u008C\u00BC", "\u00FF")) {
            cases.add(rawPost("invalid UTF-8 " + bytes.length(), ("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"" + bytes + "\"}").getBytes(StandardCharsets.ISO_8859_1),
                    "Accept: " + BOTH + "\r\nContent-Type: application/json\r\nMcp-Session-Id: " + session + "\r\n", 400));
        }
        // headers
        cases.add(rawPost("no Accept", VALID.getBytes(StandardCharsets.UTF_8), "Content-Type: application/json\r\nMcp-Session-Id: " + session + "\r\n", 406));
        for (String accept : List.of("application/json", "text/event-stream", "text/html", "application/json;q=0, text/event-stream", "")) {
            cases.add(rawPost("Accept " + accept, VALID.getBytes(StandardCharsets.UTF_8),
                    "Accept: " + accept + "\r\nContent-Type: application/json\r\nMcp-Session-Id: " + session + "\r\n", 406));
        }
        for (String type : List.of("text/plain", "application/xml", "application/jsonx", "multipart/form-data", "")) {
            cases.add(rawPost("Content-Type " + type, VALID.getBytes(StandardCharsets.UTF_8),
                    "Accept: " + BOTH + "\r\nContent-Type: " + type + "\r\nMcp-Session-Id: " + session + "\r\n", 415));
        }
        cases.add(rawPost("no Content-Type", VALID.getBytes(StandardCharsets.UTF_8), "Accept: " + BOTH + "\r\nMcp-Session-Id: " + session + "\r\n", 415));
        // any revision mcp-relay supports is accepted in any session (as the SDK servers do); these are none of them
        for (String version : List.of("1999-01-01", "latest", "2025-06-18x", "2025-13-45", "\u0001", "2025-11-26")) {
            cases.add(rawPost("protocol version " + version.length(), VALID.getBytes(StandardCharsets.UTF_8), "Accept: " + BOTH
                    + "\r\nContent-Type: application/json\r\nMcp-Session-Id: " + session + "\r\nMCP-Protocol-Version: " + version + "\r\n", 400));
        }
        cases.add(rawPost("session id with a quote: visible ASCII, so well-formed, and unknown", VALID.getBytes(StandardCharsets.UTF_8),
                "Accept: " + BOTH + "\r\nContent-Type: application/json\r\nMcp-Session-Id: quote\"d\r\n", 404));
        for (String id : List.of("x".repeat(129), "x".repeat(5_000), "a b", "tab\there", "\u00e9t\u00e9")) {
            cases.add(rawPost("session id " + id.substring(0, Math.min(8, id.length())), VALID.getBytes(StandardCharsets.UTF_8),
                    "Accept: " + BOTH + "\r\nContent-Type: application/json\r\nMcp-Session-Id: " + id + "\r\n", 400));
        }
        cases.add(rawPost("two session ids", VALID.getBytes(StandardCharsets.UTF_8), "Accept: " + BOTH
                + "\r\nContent-Type: application/json\r\nMcp-Session-Id: " + session + "\r\nMcp-Session-Id: " + bystander + "\r\n", 400));
        cases.add(post("unknown session", VALID, "not-a-session-of-anyone", 404));
        cases.add(post("no session id", VALID, null, 400));
        cases.add(rawPost("initialize with a session id", "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\",\"params\":{}}".getBytes(StandardCharsets.UTF_8),
                "Accept: " + BOTH + "\r\nContent-Type: application/json\r\nMcp-Session-Id: " + session + "\r\n", 400));
        // Last-Event-ID garbage
        for (String last : List.of("garbage", "x:y", ":1", "a:-1", "a:01", "a:1:2", "A".repeat(500) + ":1", "AAAAAAAAAAAAAAAAAAAAAA:5", "\u00e9:1")) {
            cases.add(raw("Last-Event-ID " + last.substring(0, Math.min(10, last.length())), "GET /mcp HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\n"
                    + "Mcp-Session-Id: " + session + "\r\nLast-Event-ID: " + last + "\r\nConnection: close\r\n\r\n", new byte[0], 400));
        }
        // methods and paths
        for (String method : List.of("PUT", "PATCH", "TRACE", "OPTIONS", "FOO")) {
            cases.add(raw(method, method + " /mcp HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 0\r\nConnection: close\r\n\r\n", new byte[0], 405));
        }
        for (String path : List.of("/mcp/extra", "/other", "/MCP", "/mcp/../admin", "/%00")) {
            cases.add(raw("path " + path, "POST " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: " + BOTH
                    + "\r\nContent-Type: application/json\r\nContent-Length: " + VALID.length() + "\r\nConnection: close\r\n\r\n",
                    VALID.getBytes(StandardCharsets.UTF_8), 0));
        }
        // header values with CR or LF where they do not belong, and broken framing
        cases.add(raw("bare CR in a header value", "POST /mcp HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: " + BOTH + "\rInjected: yes\r\nContent-Type: application/json\r\n"
                + "Content-Length: " + VALID.length() + "\r\nConnection: close\r\n\r\n", VALID.getBytes(StandardCharsets.UTF_8), 0));
        cases.add(raw("header without a colon", "POST /mcp HTTP/1.1\r\nHost: 127.0.0.1\r\nNoColonHere\r\nContent-Length: 0\r\nConnection: close\r\n\r\n", new byte[0], 0));
        cases.add(raw("body longer than Content-Length declares over the limit", "POST /mcp HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: " + BOTH
                + "\r\nContent-Type: application/json\r\nMcp-Session-Id: " + session + "\r\nContent-Length: 999999999\r\nConnection: close\r\n\r\n",
                VALID.getBytes(StandardCharsets.UTF_8), 413));
        return cases.stream().map(c -> DynamicTest.dynamicTest(c.name(), () -> c.check()));
    }

    @Test
    void aSlowBodyThatNeverFinishesDoesNotHurtTheRelay() throws Exception {
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), relay.port())) {
            OutputStream out = socket.getOutputStream();
            out.write(("POST /mcp HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: " + BOTH + "\r\nContent-Type: application/json\r\nMcp-Session-Id: "
                    + session + "\r\nContent-Length: 500\r\n\r\n{\"jsonrpc\":").getBytes(StandardCharsets.UTF_8));
            out.flush();
            for (int i = 0; i < 10; i++) {
                Thread.sleep(100);
                out.write(' ');
                out.flush();
            }
        }
        assertRelayHealthy();
    }

    @Test
    void afterwardsTheRelayIsHealthyAndAnUnrelatedSessionWorks() throws Throwable {
        for (DynamicTest test : hostileRequestsGetA4xxAndNothingWorse().toList()) {
            test.getExecutable().execute();
        }
        assertRelayHealthy();
    }

    private static void assertRelayHealthy() throws Exception {
        Response health = send("GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n", new byte[0]);
        assertThat(health.status()).isEqualTo(200);
        Response call = send(postHead(VALID.length(), bystander, ""), VALID.getBytes(StandardCharsets.UTF_8));
        assertThat(call.status()).isEqualTo(200);
        assertThat(call.body()).contains("\"id\":7,\"result\"");
    }

    // ---- cases -----------------------------------------------------------------------------------

    private record Hostile(String name, String head, byte[] body, int expected) {
        /** {@code expected} 0 means "any 4xx". */
        void check() throws Exception {
            Response response = send(head, body);
            assertThat(response.status()).as(name + " → " + response.body()).isBetween(400, 499);
            if (expected != 0) {
                assertThat(response.status()).as(name).isEqualTo(expected);
            }
            assertThat(response.body()).as(name).doesNotContain("Exception").doesNotContain("\tat ");
            if (response.head().toLowerCase(Locale.ROOT).contains("content-type: application/json")) {
                assertThat(response.body()).as(name).contains("\"error\"");
            }
        }
    }

    private static Hostile post(String name, String body, String sessionId, int expected) {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        return new Hostile(name, postHead(bytes.length, sessionId, ""), bytes, expected);
    }

    private static Hostile rawPost(String name, byte[] body, String headers, int expected) {
        return new Hostile(name, "POST /mcp HTTP/1.1\r\nHost: 127.0.0.1\r\n" + headers + "Content-Length: " + body.length
                + "\r\nConnection: close\r\n\r\n", body, expected);
    }

    private static Hostile raw(String name, String head, byte[] body, int expected) {
        return new Hostile(name, head, body, expected);
    }

    private static String postHead(int length, String sessionId, String extra) {
        return "POST /mcp HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: " + BOTH + "\r\nContent-Type: application/json\r\n"
                + (sessionId == null ? "" : "Mcp-Session-Id: " + sessionId + "\r\n") + extra
                + "Content-Length: " + length + "\r\nConnection: close\r\n\r\n";
    }

    // ---- raw HTTP ----------------------------------------------------------------------------------

    private record Response(int status, String head, String body) {
    }

    private static Response send(String head, byte[] body) throws Exception {
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), relay.port())) {
            socket.setSoTimeout(15_000);
            OutputStream out = socket.getOutputStream();
            out.write(head.getBytes(StandardCharsets.ISO_8859_1));
            try {
                out.write(body);
                out.flush();
            } catch (java.io.IOException refusedEarly) {
                // the relay may answer and close before reading a body it refuses
            }
            InputStream in = socket.getInputStream();
            ByteArrayOutputStream received = new ByteArrayOutputStream();
            byte[] buffer = new byte[8192];
            int n;
            try {
                while ((n = in.read(buffer)) != -1) {
                    received.write(buffer, 0, n);
                    if (complete(received.toString(StandardCharsets.ISO_8859_1))) {
                        break;
                    }
                }
            } catch (java.net.SocketException reset) {
                // a reset after the answer is fine
            }
            String text = received.toString(StandardCharsets.UTF_8);
            int split = text.indexOf("\r\n\r\n");
            assertThat(split).as("an HTTP answer for " + head.lines().findFirst().orElse("")).isPositive();
            int status = Integer.parseInt(text.substring(9, 12));
            return new Response(status, text.substring(0, split), text.substring(split + 4));
        }
    }

    private static boolean complete(String text) {
        int split = text.indexOf("\r\n\r\n");
        if (split < 0) {
            return false;
        }
        String head = text.substring(0, split).toLowerCase(Locale.ROOT);
        int at = head.indexOf("content-length:");
        if (at >= 0) {
            int length = Integer.parseInt(head.substring(at + 15, head.indexOf('\r', at) < 0 ? head.length() : head.indexOf('\r', at)).trim());
            return text.length() - split - 4 >= length;
        }
        return head.contains("transfer-encoding: chunked") && text.endsWith("0\r\n\r\n");
    }

    private static String initialize() throws Exception {
        String body = "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\",\"params\":{\"protocolVersion\":\"2025-06-18\",\"capabilities\":{},"
                + "\"clientInfo\":{\"name\":\"hostile\",\"version\":\"1\"}}}";
        Response response = send(postHead(body.length(), null, ""), body.getBytes(StandardCharsets.UTF_8));
        assertThat(response.status()).isEqualTo(200);
        return response.head().lines().filter(l -> l.toLowerCase(Locale.ROOT).startsWith("mcp-session-id:")).findFirst().orElseThrow()
                .substring("mcp-session-id:".length()).trim();
    }
}
