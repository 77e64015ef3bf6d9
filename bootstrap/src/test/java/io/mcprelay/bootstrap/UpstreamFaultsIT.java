package io.mcprelay.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;

import io.mcprelay.adapter.http.testing.RawUpstream;
import io.mcprelay.adapter.http.testing.StubUpstream;
import io.mcprelay.application.port.out.SessionQuery;
import io.mcprelay.domain.routing.BreakerPolicy;
import io.mcprelay.domain.routing.HealthCheckPolicy;
import io.mcprelay.domain.routing.SelectionStrategy;
import io.mcprelay.domain.routing.UpstreamTarget;
import io.mcprelay.domain.session.ProxySessionId;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The upstream fault catalogue, end to end: a session on an upstream that misbehaves gets a defined
 * answer, and a session on a healthy upstream of the same relay is unaffected.
 */
@Timeout(value = 120, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class UpstreamFaultsIT {

    private static final Pattern ID = Pattern.compile("\"id\"\\s*:\\s*(\\d+)");
    private static final String CALL = "{\"jsonrpc\":\"2.0\",\"id\":9,\"method\":\"tools/call\",\"params\":{\"name\":\"echo\"}}";

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
    private final AtomicReference<String> fault = new AtomicReference<>("none");
    private RawUpstream faulty;
    private StubUpstream healthy;
    private McpRelayServer relay;
    private String onFaulty;
    private String onHealthy;

    @BeforeEach
    void start() throws Exception {
        faulty = RawUpstream.start(this::talk);
        healthy = MiniMcpUpstream.start();
        UpstreamOptions defaults = UpstreamOptions.defaults();
        RelayOptions options = RelayOptions.forUpstream(new UpstreamTarget("faulty", faulty.endpoint()))
                .withUpstreams(List.of(new UpstreamTarget("faulty", faulty.endpoint()), new UpstreamTarget("healthy", healthy.endpoint())),
                        new UpstreamOptions(SelectionStrategy.ROUND_ROBIN, Map.of(),
                                new HealthCheckPolicy(Duration.ofMinutes(10), Duration.ofSeconds(2), 2, 1),
                                new BreakerPolicy(100, Duration.ofSeconds(30), 1, 1), defaults.maxConcurrent(), defaults.queueTimeout()));
        relay = McpRelayServer.start(new RelayOptions(options.upstreams(), options.bind(), 0, options.maxBodyBytes(), options.sessionTtl(),
                options.maxSessions(), List.of(), List.of(), false, Duration.ofSeconds(2), Duration.ofSeconds(1), options.streams(),
                options.replayLog(), options.upstreamPolicies(), options.store(), options.admin(), options.rules()));
        String first = initialize();
        String second = initialize();
        String firstUpstream = relay.sessions().find(new ProxySessionId(first)).orElseThrow().upstream();
        onFaulty = firstUpstream.equals("faulty") ? first : second;
        onHealthy = firstUpstream.equals("faulty") ? second : first;
    }

    @AfterEach
    void stop() {
        relay.close();
        faulty.close();
        healthy.close();
    }

    @Test
    void connectionRefusedDropsTheSessionWith404SoTheClientReinitializes() throws Exception {
        faulty.close();

        assertThat(call(onFaulty).statusCode()).isEqualTo(404);
        assertThat(relay.sessions().find(new ProxySessionId(onFaulty))).isEmpty();
        assertHealthySessionUnaffected();
    }

    @Test
    void serverErrorBeforeHeadersGives502AndKeepsTheSession() throws Exception {
        fault.set("503");

        HttpResponse<String> response = call(onFaulty);

        assertThat(response.statusCode()).isEqualTo(502);
        assertThat(response.body()).contains("\"id\":9").contains("HTTP 503");
        assertThat(relay.sessions().find(new ProxySessionId(onFaulty))).isPresent();
        assertHealthySessionUnaffected();
    }

    @Test
    void resetInTheMiddleOfAStreamEndsItWithAJsonRpcErrorForTheRequest() throws Exception {
        fault.set("reset");

        HttpResponse<String> response = call(onFaulty);

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).contains("\"progress\":1").contains("\"id\":9,\"error\"");
        assertHealthySessionUnaffected();
    }

    @Test
    void slowDribbleArrivesWhole() throws Exception {
        fault.set("dribble");

        HttpResponse<String> response = call(onFaulty);

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).contains("\"id\":9,\"result\":{\"dribbled\":true}");
        assertHealthySessionUnaffected();
    }

    @Test
    void anUpstreamThatNeverAnswersGives504AndKeepsTheSession() throws Exception {
        fault.set("silent");

        HttpResponse<String> response = call(onFaulty);

        assertThat(response.statusCode()).isEqualTo(504);
        assertThat(relay.sessions().find(new ProxySessionId(onFaulty))).isPresent();
        assertHealthySessionUnaffected();
    }

    @Test
    void anUpstreamThatForgotTheSessionGives404AndDropsIt() throws Exception {
        fault.set("404");

        assertThat(call(onFaulty).statusCode()).isEqualTo(404);
        assertThat(relay.sessions().find(new ProxySessionId(onFaulty))).isEmpty();
        assertHealthySessionUnaffected();
    }

    @Test
    void garbageInsteadOfHttpGives502() throws Exception {
        fault.set("garbage");

        HttpResponse<String> response = call(onFaulty);

        assertThat(response.statusCode()).isEqualTo(502);
        assertThat(response.body()).contains("\"jsonrpc\":\"2.0\"").contains("\"id\":9");
        assertHealthySessionUnaffected();
    }

    private void assertHealthySessionUnaffected() throws Exception {
        HttpResponse<String> response = call(onHealthy);
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).contains("\"id\":9,\"result\"");
        assertThat(relay.sessions().list(SessionQuery.firstPage(10)).sessions()).extracting(s -> s.id().value()).contains(onHealthy);
    }

    /** A raw HTTP/1.1 MCP upstream, one request per connection, misbehaving as {@link #fault} says once a session exists. */
    private void talk(Socket socket) throws Exception {
        String body = readBody(socket);
        Matcher id = ID.matcher(body);
        String requestId = id.find() ? id.group(1) : null;
        if (body.contains("\"initialize\"")) {
            respond(socket, "200 OK", "application/json", "Mcp-Session-Id: up-raw\r\n",
                    "{\"jsonrpc\":\"2.0\",\"id\":" + requestId + ",\"result\":{\"protocolVersion\":\"2025-06-18\",\"capabilities\":{}}}");
            return;
        }
        if (requestId == null) {
            respond(socket, "202 Accepted", null, "", "");
            return;
        }
        switch (fault.get()) {
            case "503" -> respond(socket, "503 Service Unavailable", "text/plain", "", "overloaded");
            case "404" -> respond(socket, "404 Not Found", "application/json", "",
                    "{\"jsonrpc\":\"2.0\",\"id\":null,\"error\":{\"code\":-32001,\"message\":\"Session not found\"}}");
            case "garbage" -> RawUpstream.write(socket, "this is not HTTP at all\r\n\r\n");
            case "silent" -> RawUpstream.awaitClientClose(socket);
            case "reset" -> {
                RawUpstream.write(socket, "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nConnection: close\r\n\r\n"
                        + "data: {\"jsonrpc\":\"2.0\",\"method\":\"notifications/progress\",\"params\":{\"progressToken\":\"t\",\"progress\":1}}\n\n");
                socket.setSoLinger(true, 0);
            }
            case "dribble" -> {
                RawUpstream.write(socket, "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nConnection: close\r\n\r\n");
                String event = "data: {\"jsonrpc\":\"2.0\",\"id\":" + requestId + ",\"result\":{\"dribbled\":true}}\n\n";
                for (int i = 0; i < event.length(); i += 8) {
                    RawUpstream.write(socket, event.substring(i, Math.min(event.length(), i + 8)));
                    Thread.sleep(100);
                }
            }
            default -> respond(socket, "200 OK", "application/json", "", "{\"jsonrpc\":\"2.0\",\"id\":" + requestId + ",\"result\":{}}");
        }
    }

    private static String readBody(Socket socket) throws Exception {
        InputStream in = socket.getInputStream();
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int matched = 0;
        while (matched < 4) {
            int b = in.read();
            if (b < 0) {
                return "";
            }
            head.write(b);
            matched = b == "\r\n\r\n".charAt(matched) ? matched + 1 : b == '\r' ? 1 : 0;
        }
        int length = 0;
        for (String line : head.toString(StandardCharsets.ISO_8859_1).split("\r\n")) {
            if (line.toLowerCase(Locale.ROOT).startsWith("content-length:")) {
                length = Integer.parseInt(line.substring(15).trim());
            }
        }
        return new String(in.readNBytes(length), StandardCharsets.UTF_8);
    }

    private static void respond(Socket socket, String status, String contentType, String extraHeaders, String body) throws Exception {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        RawUpstream.write(socket, "HTTP/1.1 " + status + "\r\n" + (contentType == null ? "" : "Content-Type: " + contentType + "\r\n")
                + extraHeaders + "Content-Length: " + bytes.length + "\r\nConnection: close\r\n\r\n");
        socket.getOutputStream().write(bytes);
        socket.getOutputStream().flush();
    }

    private String initialize() throws Exception {
        HttpResponse<String> response = post(null, "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\",\"params\":{\"protocolVersion\":\"2025-06-18\","
                + "\"capabilities\":{},\"clientInfo\":{\"name\":\"faults\",\"version\":\"1\"}}}");
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return response.headers().firstValue("Mcp-Session-Id").orElseThrow();
    }

    private HttpResponse<String> call(String session) throws Exception {
        return post(session, CALL);
    }

    private HttpResponse<String> post(String session, String body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + relay.port() + "/mcp"))
                .timeout(Duration.ofSeconds(20)).header("Accept", "application/json, text/event-stream")
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body));
        if (session != null) {
            request.header("Mcp-Session-Id", session);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
