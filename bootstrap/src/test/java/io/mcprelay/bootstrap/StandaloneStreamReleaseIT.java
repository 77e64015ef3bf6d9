package io.mcprelay.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;

import io.mcprelay.adapter.http.testing.StubUpstream;
import io.mcprelay.application.service.StreamSettings;
import io.mcprelay.domain.routing.UpstreamTarget;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A client that drops the session's standalone GET stream frees its upstream GET at once (at the
 * relay's next heartbeat), not after the one-minute disconnect grace; resuming the stream then
 * re-attaches the upstream from its last event id. Real relay, a stub upstream over loopback.
 */
@Timeout(value = 90, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class StandaloneStreamReleaseIT {

    private static final String BOTH = "application/json, text/event-stream";
    private static final String NOTIFICATION = "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/tools/list_changed\"}";

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
    /** Completed when the upstream's first GET stream finds its connection closed by the relay. */
    private final CompletableFuture<Long> firstGetClosedAt = new CompletableFuture<>();
    private StubUpstream upstream;
    private McpRelayServer relay;
    private volatile boolean stopping;

    @BeforeEach
    void start() {
        upstream = StubUpstream.start(this::answer);
        relay = McpRelayServer.start(RelayOptions.forUpstream(new UpstreamTarget("stub", upstream.endpoint()))
                .withStreams(new StreamSettings(Duration.ofMillis(500), Duration.ofSeconds(60), 64)));
    }

    @AfterEach
    void stop() {
        stopping = true;
        for (AutoCloseable c : new AutoCloseable[] {relay, upstream}) {
            if (c != null) {
                try {
                    c.close();
                } catch (Exception ignored) {
                    // best effort
                }
            }
        }
    }

    @Test
    void aDroppedGetStreamFreesItsUpstreamAtOnceAndResumingReattachesIt() throws Exception {
        String session = initialize();
        String firstId;
        long droppedAt;
        // a raw socket, so that dropping it closes the TCP connection for sure
        try (java.net.Socket socket = new java.net.Socket("127.0.0.1", relay.port())) {
            socket.setSoTimeout(20_000);
            socket.getOutputStream().write(("GET /mcp HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\nMcp-Session-Id: " + session
                    + "\r\nMCP-Protocol-Version: 2025-06-18\r\n\r\n").getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            java.io.BufferedReader in = new java.io.BufferedReader(new java.io.InputStreamReader(socket.getInputStream(), java.nio.charset.StandardCharsets.UTF_8));
            assertThat(in.readLine()).startsWith("HTTP/1.1 200");
            String line;
            while ((line = in.readLine()) != null && !line.startsWith("id: ")) {
                // the head, the opening comment, chunk sizes
            }
            assertThat(line).isNotNull();
            firstId = line.substring(4).strip();
            droppedAt = System.nanoTime();
        }
        long closedAt = firstGetClosedAt.get(20, TimeUnit.SECONDS);
        assertThat(Duration.ofNanos(closedAt - droppedAt)).as("freed long before the 60 s grace").isLessThan(Duration.ofSeconds(20));

        String stream = firstId.substring(0, firstId.lastIndexOf(':'));
        try (SseTestClient resumed = SseTestClient.get(http, mcp(), session, Map.of("Last-Event-ID", firstId))) {
            assertThat(resumed.status()).isEqualTo(200);
            SseTestClient.Event next = resumed.next().orElseThrow();
            assertThat(next.id()).hasValue(stream + ":2");
            assertThat(next.data()).contains("\"second\"");
        }
        assertThat(upstream.mcpRequests()).filteredOn(r -> r.method().equals("GET") && r.header("Mcp-Session-Id") != null).extracting(r -> r.header("Last-Event-ID"))
                .as("the second GET re-attached where the first stopped").containsExactly(null, "g1");
    }

    private void answer(StubUpstream.Recorded req, io.helidon.webserver.http.ServerResponse res) throws Exception {
        if (req.method().equals("DELETE")) {
            res.status(200).send();
            return;
        }
        if (req.method().equals("GET")) {
            if (req.header("Mcp-Session-Id") == null) {
                res.status(405).send(); // the relay's health probe, not the session's stream
                return;
            }
            boolean reattach = req.header("Last-Event-ID") != null;
            res.header(io.helidon.http.HeaderNames.CONTENT_TYPE, "text/event-stream");
            try (var out = res.outputStream()) {
                String first = reattach ? "id: g2\ndata: {\"jsonrpc\":\"2.0\",\"method\":\"notifications/message\",\"params\":{\"data\":\"second\"}}\n\n"
                        : "id: g1\ndata: " + NOTIFICATION + "\n\n";
                boolean open = StubUpstream.writeAndFlush(out, first);
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(70);
                while (open && !stopping && System.nanoTime() < deadline) {
                    Thread.sleep(100);
                    open = StubUpstream.writeAndFlush(out, ": still here\n\n");
                }
                if (!reattach) {
                    firstGetClosedAt.complete(System.nanoTime());
                }
            } catch (RuntimeException | java.io.IOException e) {
                if (!reattach) {
                    firstGetClosedAt.complete(System.nanoTime());
                }
            }
            return;
        }
        Matcher id = Pattern.compile("\"id\"\\s*:\\s*(\\d+)").matcher(req.body());
        if (!id.find()) {
            res.status(202).send();
            return;
        }
        res.header(io.helidon.http.HeaderNames.create("Mcp-Session-Id"), "up-1");
        res.header(io.helidon.http.HeaderNames.CONTENT_TYPE, "application/json");
        res.send("{\"jsonrpc\":\"2.0\",\"id\":" + id.group(1) + ",\"result\":{\"protocolVersion\":\"2025-06-18\",\"capabilities\":{}}}");
    }

    private String initialize() throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(mcp()).timeout(Duration.ofSeconds(20))
                .header("Accept", BOTH).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\",\"params\":{"
                        + "\"protocolVersion\":\"2025-06-18\",\"capabilities\":{},\"clientInfo\":{\"name\":\"release\",\"version\":\"1\"}}}"))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return response.headers().firstValue("Mcp-Session-Id").orElseThrow();
    }

    private URI mcp() {
        return URI.create("http://127.0.0.1:" + relay.port() + "/mcp");
    }
}
