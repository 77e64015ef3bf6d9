package io.mcprelay.adapter.http.in;

import static org.assertj.core.api.Assertions.assertThat;

import io.helidon.webserver.WebServer;
import io.mcprelay.adapter.http.tracing.OtelTracingAdapter;
import io.mcprelay.application.port.in.RelayMessageCommand;
import io.mcprelay.application.port.out.DownstreamPort;
import io.mcprelay.domain.access.OriginPolicy;
import io.mcprelay.domain.session.ProxySessionId;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The request facts the edge gives every request to the MCP endpoint, over a real socket: its
 * {@code X-Request-Id}, the {@code X-Forwarded-*} headers with and without a trusted proxy, and its
 * server span (OpenTelemetry's SDK with an in-memory exporter), and what of them the use case gets
 * to send upstream.
 */
class RequestEdgeTest {

    private static final String BOTH = "application/json, text/event-stream";
    private static final String TRACE = "4bf92f3577b34da6a3ce929d0e0e4736";
    private static final String CLIENT_PARENT = "00-" + TRACE + "-00f067aa0ba902b7-01";
    private static final String TOOL_CALL = "{\"jsonrpc\":\"2.0\",\"id\":3,\"method\":\"tools/call\",\"params\":{\"name\":\"echo\"}}";

    private final AtomicReference<RelayMessageCommand> relayed = new AtomicReference<>();
    private final List<AccessLogLine> logged = new CopyOnWriteArrayList<>();
    private final InMemorySpanExporter spans = InMemorySpanExporter.create();
    private final OtelTracingAdapter tracing = new OtelTracingAdapter(SdkTracerProvider.builder()
            .addSpanProcessor(SimpleSpanProcessor.create(spans)).build());
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private WebServer server;

    private void start(TrustedProxies trusted, boolean traced) {
        McpHttpEndpoint endpoint = new McpHttpEndpoint(
                (command, downstream) -> {
                    relayed.set(command);
                    RequestRecord.noteMessage("tools/call", "ok");
                    RequestRecord.noteUpstream("web");
                    downstream.answer(new DownstreamPort.Head(Optional.of(new ProxySessionId("s-9")), io.mcprelay.adapter.http.HttpEcho.NONE),
                            "{\"jsonrpc\":\"2.0\",\"id\":3,\"result\":{}}".getBytes(StandardCharsets.UTF_8));
                },
                (command, downstream) -> downstream.accepted(DownstreamPort.Head.NONE),
                (command, downstream) -> downstream.accepted(DownstreamPort.Head.NONE),
                new McpEndpointConfig(1 << 16, OriginPolicy.forListener(true, List.of(), List.of())));
        TrafficFilter filter = new TrafficFilter("/mcp", new Drain(), new AccessLog(100, logged::add), trusted,
                traced ? tracing : io.mcprelay.application.port.out.trace.TracingPort.OFF);
        server = WebServer.builder().host("127.0.0.1").port(0).routing(r -> r.addFilter(filter).register("/mcp", endpoint)).build().start();
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.stop();
        }
        tracing.close();
    }

    @Test
    void aPlainRequestIdIsKeptReturnedSentOnAndLogged() throws Exception {
        start(TrustedProxies.NONE, false);

        HttpResponse<String> response = send(post(TOOL_CALL).header("X-Request-Id", "client-req-42"));

        assertThat(response.headers().firstValue("X-Request-Id")).hasValue("client-req-42");
        assertThat(relayed.get().headers()).containsEntry("X-Request-Id", "client-req-42");
        awaitLogged(1);
        assertThat(logged.getFirst().fields()).containsEntry("request_id", "client-req-42").doesNotContainKey("trace_id");
    }

    @Test
    void aMissingRepeatedOversizedOrHostileRequestIdIsReplacedByAMintedOne() throws Exception {
        start(TrustedProxies.NONE, false);
        List<HttpRequest.Builder> requests = List.of(post(TOOL_CALL),
                post(TOOL_CALL).header("X-Request-Id", "a".repeat(RequestIds.MAX_LENGTH + 1)),
                post(TOOL_CALL).header("X-Request-Id", "x\" onload=\"alert(1)"),
                post(TOOL_CALL).header("X-Request-Id", "{\"json\":true}"),
                post(TOOL_CALL).header("X-Request-Id", "one").header("X-Request-Id", "two"));

        for (HttpRequest.Builder request : requests) {
            HttpResponse<String> response = send(request);
            String id = response.headers().firstValue("X-Request-Id").orElseThrow();
            assertThat(id).matches("[0-9a-f]{32}");
            assertThat(relayed.get().headers()).containsEntry("X-Request-Id", id)
                    .allSatisfy((name, value) -> assertThat(value).doesNotContain("alert", "one, two"));
        }
        awaitLogged(5);
        assertThat(logged).extracting(line -> line.fields().get("request_id")).doesNotHaveDuplicates().hasSize(5);
    }

    @Test
    void anUntrustedClientsForwardingHeadersAreReplacedByWhatTheRelaySaw() throws Exception {
        start(TrustedProxies.NONE, false);

        send(post(TOOL_CALL).header("X-Forwarded-For", "6.6.6.6").header("X-Forwarded-Proto", "https").header("X-Forwarded-Host", "evil.example")
                .header("x-forwarded-for", "7.7.7.7"));

        Map<String, String> headers = relayed.get().headers();
        assertThat(headers).containsEntry("X-Forwarded-For", "127.0.0.1").containsEntry("X-Forwarded-Proto", "http")
                .containsEntry("X-Forwarded-Host", "127.0.0.1:" + server.port());
        assertThat(headers.values()).noneMatch(v -> v.contains("6.6.6.6") || v.contains("7.7.7.7") || v.contains("evil.example"));
    }

    @Test
    void aTrustedProxysForwardingHeadersAreReadAndThePeerAppended() throws Exception {
        start(TrustedProxies.parse(List.of("127.0.0.0/8")), false);

        send(post(TOOL_CALL).header("X-Forwarded-For", "203.0.113.5, 10.1.1.1").header("X-Forwarded-Proto", "https")
                .header("X-Forwarded-Host", "mcp.example.com"));

        assertThat(relayed.get().headers()).containsEntry("X-Forwarded-For", "203.0.113.5, 10.1.1.1, 127.0.0.1")
                .containsEntry("X-Forwarded-Proto", "https").containsEntry("X-Forwarded-Host", "mcp.example.com");

        send(post(TOOL_CALL).header("X-Forwarded-For", "<script>").header("X-Forwarded-Proto", "gopher"));
        assertThat(relayed.get().headers()).containsEntry("X-Forwarded-For", "127.0.0.1").containsEntry("X-Forwarded-Proto", "http");
    }

    @Test
    void withTracingOffTheClientsTraceContextPassesUnchanged() throws Exception {
        start(TrustedProxies.NONE, false);

        send(post(TOOL_CALL).header("traceparent", CLIENT_PARENT).header("tracestate", "v=1"));

        assertThat(relayed.get().headers()).containsEntry("traceparent", CLIENT_PARENT).containsEntry("tracestate", "v=1");
        assertThat(spans.getFinishedSpanItems()).isEmpty();
    }

    @Test
    void aRequestIsAServerSpanUnderTheClientsTraceAndItsContextIsWhatTravelsUpstream() throws Exception {
        start(TrustedProxies.NONE, true);

        HttpResponse<String> response = send(post(TOOL_CALL).header("traceparent", CLIENT_PARENT).header("X-Request-Id", "r-1"));

        assertThat(response.statusCode()).isEqualTo(200);
        awaitSpans(1);
        SpanData span = spans.getFinishedSpanItems().getFirst();
        assertThat(span.getKind()).isEqualTo(SpanKind.SERVER);
        assertThat(span.getName()).isEqualTo("tools/call echo");
        assertThat(span.getTraceId()).isEqualTo(TRACE);
        assertThat(span.getParentSpanId()).isEqualTo("00f067aa0ba902b7");
        assertThat(span.getAttributes().get(AttributeKey.stringKey("mcp.method.name"))).isEqualTo("tools/call");
        assertThat(span.getAttributes().get(AttributeKey.stringKey("mcp.session.id"))).isEqualTo("s-9");
        assertThat(span.getAttributes().get(AttributeKey.stringKey("mcp_relay.upstream"))).isEqualTo("web");
        assertThat(span.getAttributes().get(AttributeKey.stringKey("mcp_relay.request_id"))).isEqualTo("r-1");
        assertThat(span.getAttributes().get(AttributeKey.stringKey("mcp_relay.protocol.era"))).isEqualTo("legacy");
        assertThat(span.getAttributes().get(AttributeKey.longKey("http.response.status_code"))).isEqualTo(200L);
        assertThat(relayed.get().headers()).containsEntry("traceparent", "00-" + TRACE + "-" + span.getSpanId() + "-01");
        awaitLogged(1);
        assertThat(logged.getFirst().fields()).containsEntry("trace_id", TRACE);
    }

    @Test
    void aRequestWhoseBodyClaimsThe2026VersionIsAModernSpanWhateverTheHeaderSays() throws Exception {
        start(TrustedProxies.NONE, true);
        String modern = "{\"jsonrpc\":\"2.0\",\"id\":3,\"method\":\"tools/call\",\"params\":{\"name\":\"echo\","
                + "\"_meta\":{\"io.modelcontextprotocol/protocolVersion\":\"2026-07-28\"}}}";

        send(post(modern));
        send(post(TOOL_CALL).header("MCP-Protocol-Version", "2026-07-28"));
        send(post(TOOL_CALL).header("MCP-Protocol-Version", "2025-06-18"));

        awaitSpans(3);
        assertThat(spans.getFinishedSpanItems()).extracting(span -> span.getAttributes().get(AttributeKey.stringKey("mcp_relay.protocol.era")))
                .containsExactlyInAnyOrder("modern", "modern", "legacy");
    }

    @Test
    void theTraceContextInParamsMetaIsTheParentWhenTheHeadersCarryNone() throws Exception {
        start(TrustedProxies.NONE, true);
        String withMeta = "{\"jsonrpc\":\"2.0\",\"id\":3,\"method\":\"tools/list\",\"params\":{\"_meta\":{\"traceparent\":\"" + CLIENT_PARENT + "\"}}}";

        send(post(withMeta));
        send(post("not json at all"));

        awaitSpans(2);
        List<SpanData> finished = spans.getFinishedSpanItems();
        assertThat(finished.get(0).getTraceId()).isEqualTo(TRACE);
        assertThat(finished.get(0).getName()).isEqualTo("tools/list");
        assertThat(finished.get(1).getTraceId()).isNotEqualTo(TRACE);
        assertThat(finished.get(1).getName()).isEqualTo("POST /mcp");
    }

    @Test
    void aRefusedRequestIsStillASpanWithItsStatus() throws Exception {
        start(TrustedProxies.NONE, true);

        HttpResponse<String> refused = send(request().header("Accept", "text/plain").header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(TOOL_CALL)));

        assertThat(refused.statusCode()).isEqualTo(406);
        assertThat(refused.headers().firstValue("X-Request-Id")).isPresent();
        awaitSpans(1);
        SpanData span = spans.getFinishedSpanItems().getFirst();
        assertThat(span.getAttributes().get(AttributeKey.longKey("http.response.status_code"))).isEqualTo(406L);
    }

    /** The access log and the span are written once the answer is sent: the client may see it first. */
    private void awaitLogged(int lines) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (logged.size() < lines && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
    }

    private void awaitSpans(int count) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (spans.getFinishedSpanItems().size() < count && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
    }

    private HttpRequest.Builder post(String body) {
        return request().header("Accept", BOTH).header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body));
    }

    private HttpRequest.Builder request() {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/mcp")).timeout(Duration.ofSeconds(20));
    }

    private HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
