package io.mcprelay.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;

import io.helidon.http.HeaderNames;
import io.helidon.webserver.WebServer;
import io.mcprelay.adapter.http.testing.StubUpstream;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.Span;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Tracing end to end: a real relay with {@code --tracing} exports its spans over OTLP/HTTP to a small
 * receiver on loopback, which decodes the exporter's protobuf requests with OpenTelemetry's own proto
 * classes. The client's {@code traceparent} (a header, or {@code params._meta}) is the parent of the
 * request's server span, each upstream exchange is a client span under it, and the upstream (a real
 * HTTP server) receives a {@code traceparent} naming that exchange span, with the request's
 * {@code X-Request-Id} and {@code X-Forwarded-*}.
 */
@Timeout(value = 90, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class TracingEndToEndIT {

    private static final String BOTH = "application/json, text/event-stream";
    private static final String CLIENT_TRACE = "4bf92f3577b34da6a3ce929d0e0e4736";
    private static final String CLIENT_SPAN = "00f067aa0ba902b7";
    private static final String META_TRACE = "0af7651916cd43dd8448eb211c80319c";
    private static final String META_SPAN = "b7ad6b7169203331";

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
    private final List<ExportTraceServiceRequest> exports = new CopyOnWriteArrayList<>();
    private final List<String> exportContentTypes = new CopyOnWriteArrayList<>();
    private WebServer collector;
    private StubUpstream upstream;
    private McpRelayServer relay;
    /** The relay's port, kept for the assertions made after it closed. */
    private int relayPort;

    @AfterEach
    void stop() {
        if (relay != null) {
            relay.close();
        }
        if (upstream != null) {
            upstream.close();
        }
        if (collector != null) {
            collector.stop();
        }
    }

    /** A minimal OTLP/HTTP traces receiver: decodes each export request and answers the empty success response. */
    private void startCollector() {
        collector = WebServer.builder().host("127.0.0.1").port(0).routing(r -> r.post("/v1/traces", (req, res) -> {
            exportContentTypes.add(req.headers().first(HeaderNames.CONTENT_TYPE).orElse(""));
            exports.add(ExportTraceServiceRequest.parseFrom(req.content().as(byte[].class)));
            res.header(HeaderNames.CONTENT_TYPE, "application/x-protobuf").send(ExportTraceServiceResponse.getDefaultInstance().toByteArray());
        })).build().start();
    }

    @Test
    void spansReachARealOtlpReceiverAndTheTraceContextReachesTheUpstream() throws Exception {
        startCollector();
        upstream = MiniMcpUpstream.start();
        Configuration configuration = Configuration.resolve(CommandLine.parse("--upstream", "mini=" + upstream.endpoint(), "--port", "0",
                "--tracing", "--tracing-endpoint", "http://127.0.0.1:" + collector.port(), "--tracing-service-name", "relay-under-test"),
                Map.of("OTEL_TRACES_SAMPLER_ARG", "0"));
        assertThat(configuration.operations().tracing().sampleRatio()).as("OTEL_TRACES_SAMPLER_ARG is the default").isZero();
        relay = McpRelayServer.start(configuration.options(), configuration.operations(), McpRelayServer.class.getClassLoader(), () -> { });

        HttpResponse<String> init = http.send(post(null, "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\",\"params\":{\"protocolVersion\":"
                + "\"2025-06-18\",\"capabilities\":{},\"clientInfo\":{\"name\":\"tracer\",\"version\":\"1\"}}}")
                .header("traceparent", "00-" + CLIENT_TRACE + "-" + CLIENT_SPAN + "-01").header("tracestate", "client=1")
                .header("X-Request-Id", "it-request-1").header("X-Forwarded-For", "6.6.6.6").build(), HttpResponse.BodyHandlers.ofString());
        assertThat(init.statusCode()).isEqualTo(200);
        assertThat(init.headers().firstValue("X-Request-Id")).hasValue("it-request-1");
        String session = init.headers().firstValue("Mcp-Session-Id").orElseThrow();
        HttpResponse<String> call = http.send(post(session, "{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"tools/call\",\"params\":{\"name\":\"echo\","
                + "\"arguments\":{},\"_meta\":{\"traceparent\":\"00-" + META_TRACE + "-" + META_SPAN + "-01\",\"progressToken\":5}}}").build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(call.statusCode()).isEqualTo(200);
        String mintedId = call.headers().firstValue("X-Request-Id").orElseThrow();
        assertThat(mintedId).matches("[0-9a-f]{32}");
        HttpResponse<String> untraced = http.send(post(session, "{\"jsonrpc\":\"2.0\",\"id\":3,\"method\":\"ping\"}").build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(untraced.statusCode()).isEqualTo(200);
        relay.close();    // exports the spans still queued
        relay = null;

        List<Span> spans = exports.stream().flatMap(e -> e.getResourceSpansList().stream())
                .flatMap(rs -> rs.getScopeSpansList().stream()).flatMap(ss -> ss.getSpansList().stream()).toList();
        assertThat(exportContentTypes).allMatch(type -> type.startsWith("application/x-protobuf"));
        ResourceSpans resource = exports.getFirst().getResourceSpans(0);
        assertThat(attributes(resource.getResource().getAttributesList())).containsEntry("service.name", "relay-under-test")
                .containsKey("service.version");
        assertThat(spans).as("the untraced ping is a new trace, sampled at ratio 0: not recorded").hasSize(4)
                .noneMatch(s -> attributes(s.getAttributesList()).getOrDefault("mcp.method.name", "").equals("ping"));

        Span initServer = only(spans, CLIENT_TRACE, Span.SpanKind.SPAN_KIND_SERVER);
        Span initClient = only(spans, CLIENT_TRACE, Span.SpanKind.SPAN_KIND_CLIENT);
        assertThat(hex(initServer.getParentSpanId())).isEqualTo(CLIENT_SPAN);
        assertThat(initClient.getParentSpanId()).isEqualTo(initServer.getSpanId());
        assertThat(initServer.getName()).isEqualTo("initialize");
        assertThat(attributes(initServer.getAttributesList())).containsEntry("mcp.method.name", "initialize")
                .containsEntry("mcp.session.id", session).containsEntry("mcp_relay.upstream", "mini")
                .containsEntry("mcp_relay.request_id", "it-request-1").containsEntry("mcp_relay.protocol.era", "legacy")
                .containsEntry("http.request.method", "POST").containsEntry("http.response.status_code", "200");
        assertThat(attributes(initClient.getAttributesList())).containsEntry("mcp.method.name", "initialize")
                .containsEntry("mcp_relay.upstream", "mini").containsEntry("mcp_relay.transport", "http")
                .containsEntry("mcp_relay.upstream.reply", "answer").containsEntry("mcp_relay.protocol.era", "legacy");
        assertThat(initServer.getTraceState()).isEqualTo("client=1");

        Span callServer = only(spans, META_TRACE, Span.SpanKind.SPAN_KIND_SERVER);
        Span callClient = only(spans, META_TRACE, Span.SpanKind.SPAN_KIND_CLIENT);
        assertThat(hex(callServer.getParentSpanId())).as("params._meta's traceparent is the parent").isEqualTo(META_SPAN);
        assertThat(callClient.getParentSpanId()).isEqualTo(callServer.getSpanId());
        assertThat(callServer.getName()).isEqualTo("tools/call echo");
        assertThat(attributes(callClient.getAttributesList())).containsEntry("gen_ai.tool.name", "echo").containsEntry("jsonrpc.request.id", "2")
                .containsEntry("mcp.session.id", MiniMcpUpstream.UPSTREAM_SESSION);

        StubUpstream.Recorded initAtUpstream = upstream.mcpRequests().getFirst();
        assertThat(initAtUpstream.header("traceparent")).isEqualTo("00-" + CLIENT_TRACE + "-" + hex(initClient.getSpanId()) + "-01");
        assertThat(initAtUpstream.header("tracestate")).isEqualTo("client=1");
        assertThat(initAtUpstream.header("x-request-id")).isEqualTo("it-request-1");
        assertThat(initAtUpstream.header("x-forwarded-for")).as("a client that is no trusted proxy is not believed").isEqualTo("127.0.0.1");
        assertThat(initAtUpstream.header("x-forwarded-proto")).isEqualTo("http");
        assertThat(initAtUpstream.header("x-forwarded-host")).isEqualTo("127.0.0.1:" + relayPort);
        StubUpstream.Recorded callAtUpstream = upstream.mcpRequests().stream().filter(r -> r.body().contains("tools/call")).findFirst().orElseThrow();
        String exchange = "00-" + META_TRACE + "-" + hex(callClient.getSpanId()) + "-01";
        assertThat(callAtUpstream.header("traceparent")).isEqualTo(exchange);
        assertThat(callAtUpstream.body()).as("params._meta names the exchange span too").contains("\"traceparent\":\"" + exchange + "\"")
                .contains("\"progressToken\":5").doesNotContain(META_SPAN);
        assertThat(callAtUpstream.header("x-request-id")).isEqualTo(mintedId);
    }

    private static Span only(List<Span> spans, String traceId, Span.SpanKind kind) {
        List<Span> found = spans.stream().filter(s -> hex(s.getTraceId()).equals(traceId) && s.getKind() == kind).toList();
        assertThat(found).as(kind + " spans of trace " + traceId).hasSize(1);
        return found.getFirst();
    }

    private static String hex(com.google.protobuf.ByteString bytes) {
        return HexFormat.of().formatHex(bytes.toByteArray());
    }

    private static Map<String, String> attributes(List<KeyValue> values) {
        return values.stream().collect(Collectors.toMap(KeyValue::getKey, kv -> kv.getValue().hasIntValue()
                ? String.valueOf(kv.getValue().getIntValue()) : kv.getValue().getStringValue(), (a, b) -> b));
    }

    private HttpRequest.Builder post(String session, String body) {
        relayPort = relay.port();
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + relay.port() + "/mcp"))
                .timeout(Duration.ofSeconds(20)).header("Accept", BOTH).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        Optional.ofNullable(session).ifPresent(s -> request.header("Mcp-Session-Id", s).header("MCP-Protocol-Version", "2025-06-18"));
        return request;
    }
}
