package io.mcprelay.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;

import io.mcprelay.adapter.http.testing.RawUpstream;
import io.mcprelay.adapter.http.testing.StubUpstream;
import io.mcprelay.application.port.out.UpstreamStatus;
import io.mcprelay.domain.routing.BreakerPolicy;
import io.mcprelay.domain.routing.HealthCheckPolicy;
import io.mcprelay.domain.routing.SelectionStrategy;
import io.mcprelay.domain.routing.UpstreamTarget;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiPredicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Requests that must not fail while the upstream they need is there, through a real relay over
 * loopback, on either upstream client: a new session while one of two upstreams refuses connections
 * (the initialize goes to the other, once), and a session whose upstream closes idle keep-alive
 * connections (the pooled connection it closed is not taken for a dead upstream: the session stays,
 * and each request is processed once).
 */
@Timeout(value = 120, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class UpstreamRetryIT {

    private static final String BOTH = "application/json, text/event-stream";
    private static final String INIT = """
            {"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-06-18","capabilities":{},\
            "clientInfo":{"name":"retry","version":"1"}}}""";
    /** Probes that do not notice the dead upstream within a test: what is tested is the relay not needing them. */
    private static final HealthCheckPolicy SLOW_PROBES = new HealthCheckPolicy(Duration.ofHours(1), Duration.ofSeconds(2), 100, 1);

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private McpRelayServer relay;

    @AfterEach
    void stop() {
        if (relay != null) {
            relay.close();
        }
    }

    @ParameterizedTest
    @EnumSource(UpstreamOptions.Client.class)
    void newSessionsSucceedWhileOneOfTwoUpstreamsRefusesConnections(UpstreamOptions.Client client) throws Exception {
        try (StubUpstream alive = MiniMcpUpstream.start()) {
            UpstreamTarget dead = new UpstreamTarget("dead", URI.create("http://127.0.0.1:" + RawUpstream.closedPort() + "/mcp"));
            relay = start(client, List.of(dead, new UpstreamTarget("alive", alive.endpoint())));

            for (int i = 0; i < 4; i++) {
                HttpResponse<String> init = post(null, INIT);
                assertThat(init.statusCode()).as("initialize %d: %s", i, init.body()).isEqualTo(200);
                assertThat(init.headers().firstValue("Mcp-Session-Id")).isPresent();
            }

            assertThat(alive.mcpRequests()).as("each initialize reached the live upstream exactly once").hasSize(4);
            assertThat(connectFailures("dead")).as("the dead one's failures counted against it").isPositive();
            assertThat(status("alive").recentErrors()).isEmpty();
        }
    }

    @ParameterizedTest
    @EnumSource(UpstreamOptions.Client.class)
    void onlyUpstreamRefusingConnectionsGets503(UpstreamOptions.Client client) throws Exception {
        UpstreamTarget dead = new UpstreamTarget("dead", URI.create("http://127.0.0.1:" + RawUpstream.closedPort() + "/mcp"));
        UpstreamTarget deadToo = new UpstreamTarget("dead-too", URI.create("http://127.0.0.1:" + RawUpstream.closedPort() + "/mcp"));
        relay = start(client, List.of(dead, deadToo));

        HttpResponse<String> init = post(null, INIT);

        assertThat(init.statusCode()).isEqualTo(503);
        assertThat(init.body()).contains("\"id\":1").contains("no upstream can take a new session");
        assertThat(connectFailures("dead")).as("one try each").isEqualTo(1);
        assertThat(connectFailures("dead-too")).isEqualTo(1);
    }

    @ParameterizedTest
    @EnumSource(UpstreamOptions.Client.class)
    void aPooledConnectionTheUpstreamDroppedUnansweredKeepsTheSession(UpstreamOptions.Client client) throws Exception {
        // the connection that carried initialize drops the tools/call that follows, unanswered: a close while idle that crossed it
        java.util.concurrent.atomic.AtomicBoolean dropped = new java.util.concurrent.atomic.AtomicBoolean();
        RawMcp upstream = new RawMcp(0, (request, body) -> request >= 2 && body.contains("tools/call") && dropped.compareAndSet(false, true));
        try (RawUpstream raw = RawUpstream.start(upstream::talk)) {
            relay = start(client, List.of(new UpstreamTarget("closing", raw.endpoint())));
            String session = post(null, INIT).headers().firstValue("Mcp-Session-Id").orElseThrow();

            HttpResponse<String> call = post(session, "{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"tools/call\",\"params\":{}}");
            HttpResponse<String> next = post(session, "{\"jsonrpc\":\"2.0\",\"id\":3,\"method\":\"tools/list\"}");

            assertThat(call.statusCode()).as(call.body()).isEqualTo(200);
            assertThat(call.body()).isEqualTo("{\"jsonrpc\":\"2.0\",\"id\":2,\"result\":{\"method\":\"tools/call\"}}");
            assertThat(next.statusCode()).as(next.body()).isEqualTo(200);
            assertThat(upstream.processed).as("initialize, tools/call, tools/list: each once").hasValue(3);
            assertThat(raw.connections()).isGreaterThanOrEqualTo(2);
            assertThat(status("closing").recentErrors()).as("a stale connection is no failure of the upstream").isEmpty();
        }
    }

    @ParameterizedTest
    @EnumSource(UpstreamOptions.Client.class)
    void anUpstreamClosingIdleConnectionsAfter300MillisecondsKeepsItsSessions(UpstreamOptions.Client client) throws Exception {
        RawMcp upstream = new RawMcp(300, (request, body) -> false);
        try (RawUpstream raw = RawUpstream.start(upstream::talk)) {
            relay = start(client, List.of(new UpstreamTarget("idle-closing", raw.endpoint())));
            String session = post(null, INIT).headers().firstValue("Mcp-Session-Id").orElseThrow();

            for (int i = 0; i < 8; i++) {
                Thread.sleep(i % 2 == 0 ? 400 : 300); // past the upstream's idle timeout, or right at it
                HttpResponse<String> call = post(session, "{\"jsonrpc\":\"2.0\",\"id\":" + (10 + i) + ",\"method\":\"ping\"}");
                assertThat(call.statusCode()).as("request %d: %s", i, call.body()).isEqualTo(200);
            }

            assertThat(upstream.processed).hasValue(9);
            assertThat(status("idle-closing").recentErrors()).isEmpty();
        }
    }

    /**
     * An MCP upstream below HTTP: answers initialize (with a session id) and every request with JSON on
     * keep-alive connections, closes a connection idle for {@code idleMillis} (0: never), and drops,
     * unanswered and with a reset, the requests {@code drop} picks by their number on their connection
     * (from 1) and their body. The relay's own probes are not counted: GET (the health probe) gets 405,
     * the era probe ({@code server/discover}) the 400 of a 2025-era server.
     */
    private static final class RawMcp {
        private static final Pattern ID = Pattern.compile("\"id\"\\s*:\\s*(\"[^\"]*\"|-?\\d+)");
        private static final Pattern METHOD = Pattern.compile("\"method\"\\s*:\\s*\"([^\"]+)\"");

        final AtomicInteger processed = new AtomicInteger();
        private final int idleMillis;
        private final BiPredicate<Integer, String> drop;

        RawMcp(int idleMillis, BiPredicate<Integer, String> drop) {
            this.idleMillis = idleMillis;
            this.drop = drop;
        }

        void talk(Socket socket) throws Exception {
            for (int request = 1; ; request++) {
                socket.setSoTimeout(idleMillis);
                RawUpstream.Request read;
                try {
                    read = RawUpstream.readRequest(socket);
                } catch (SocketTimeoutException idle) {
                    return;
                }
                socket.setSoTimeout(0);
                if (read.method().equals("GET")) {
                    RawUpstream.write(socket, "HTTP/1.1 405 Method Not Allowed\r\nContent-Length: 0\r\n\r\n");
                    continue;
                }
                if (read.body().contains("\"id\":\"mcp-relay-discover\"")) {
                    String refusal = "{\"jsonrpc\":\"2.0\",\"id\":\"mcp-relay-discover\",\"error\":{\"code\":-32000,"
                            + "\"message\":\"Bad Request: Mcp-Session-Id header is required\"}}";
                    RawUpstream.write(socket, "HTTP/1.1 400 Bad Request\r\nContent-Type: application/json\r\nContent-Length: "
                            + refusal.length() + "\r\n\r\n" + refusal);
                    continue;
                }
                if (drop.test(request, read.body())) {
                    socket.setSoLinger(true, 0);
                    return;
                }
                processed.incrementAndGet();
                Matcher id = ID.matcher(read.body());
                Matcher method = METHOD.matcher(read.body());
                if (!id.find() || !method.find()) {
                    RawUpstream.write(socket, "HTTP/1.1 202 Accepted\r\nContent-Length: 0\r\n\r\n");
                    continue;
                }
                String body = method.group(1).equals("initialize")
                        ? "{\"jsonrpc\":\"2.0\",\"id\":" + id.group(1) + ",\"result\":{\"protocolVersion\":\"2025-06-18\","
                                + "\"capabilities\":{},\"serverInfo\":{\"name\":\"raw\",\"version\":\"1\"}}}"
                        : "{\"jsonrpc\":\"2.0\",\"id\":" + id.group(1) + ",\"result\":{\"method\":\"" + method.group(1) + "\"}}";
                RawUpstream.write(socket, "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nMcp-Session-Id: raw-1\r\n"
                        + "Content-Length: " + body.length() + "\r\n\r\n" + body);
            }
        }
    }

    private static McpRelayServer start(UpstreamOptions.Client client, List<UpstreamTarget> upstreams) {
        UpstreamOptions defaults = UpstreamOptions.defaults();
        UpstreamOptions options = new UpstreamOptions(SelectionStrategy.ROUND_ROBIN, Map.of(), SLOW_PROBES, BreakerPolicy.defaults(),
                defaults.maxConcurrent(), defaults.queueTimeout(), Set.of(), client);
        return McpRelayServer.start(RelayOptions.forUpstream(upstreams.getFirst()).withUpstreams(upstreams, options));
    }

    private UpstreamStatus status(String name) {
        return relay.upstreamStatus().stream().filter(s -> s.name().equals(name)).findFirst().orElseThrow();
    }

    private long connectFailures(String name) {
        return status(name).recentErrors().stream().filter(error -> error.what().equals("connect failure")).count();
    }

    private HttpResponse<String> post(String session, String body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + relay.port() + "/mcp"))
                .header("Accept", BOTH).header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body));
        if (session != null) {
            request.header("Mcp-Session-Id", session).header("MCP-Protocol-Version", "2025-06-18");
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
