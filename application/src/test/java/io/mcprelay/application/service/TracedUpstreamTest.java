package io.mcprelay.application.service;

import static io.mcprelay.application.fixtures.UpstreamReplies.eventStream;
import static io.mcprelay.application.fixtures.UpstreamReplies.json;
import static io.mcprelay.application.fixtures.UpstreamReplies.refused;
import static io.mcprelay.application.fixtures.UpstreamReplies.unreachable;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mcprelay.application.fixtures.RecordingTracing;
import io.mcprelay.application.fixtures.ScriptedEventSource;
import io.mcprelay.application.fixtures.ScriptedUpstream;
import io.mcprelay.application.fixtures.SimpleJsonEdit;
import io.mcprelay.application.port.out.trace.TraceAttributes;
import io.mcprelay.application.port.out.trace.TraceContext;
import io.mcprelay.application.port.out.trace.TracingPort;
import io.mcprelay.application.port.out.upstream.ClientContext;
import io.mcprelay.application.port.out.upstream.UpstreamCall;
import io.mcprelay.application.port.out.upstream.UpstreamEvents;
import io.mcprelay.application.port.out.upstream.UpstreamPort;
import io.mcprelay.application.port.out.upstream.UpstreamReply;
import io.mcprelay.application.port.out.upstream.UpstreamSession;
import io.mcprelay.domain.jsonrpc.JsonRpcMessage;
import io.mcprelay.domain.jsonrpc.JsonRpcPayload;
import io.mcprelay.domain.jsonrpc.McpFacts;
import io.mcprelay.domain.jsonrpc.RequestId;
import io.mcprelay.domain.routing.UpstreamTarget;
import io.mcprelay.domain.session.ProtocolVersion;
import io.mcprelay.domain.session.UpstreamSessionId;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class TracedUpstreamTest {

    private static final UpstreamTarget WEB = new UpstreamTarget("web", URI.create("http://web.test/mcp"));
    private static final String CLIENT_PARENT = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";
    private static final Map<String, String> CLIENT = Map.of("traceparent", CLIENT_PARENT, "tracestate", "vendor=1",
            "X-Request-Id", "req-1", "User-Agent", "test");

    private final ScriptedUpstream upstream = new ScriptedUpstream();
    private final RecordingTracing tracing = new RecordingTracing();
    private final SimpleJsonEdit json = new SimpleJsonEdit();
    private final TracedUpstream traced = new TracedUpstream(upstream, tracing, json);

    private static UpstreamSession session() {
        return UpstreamSession.established(WEB, Optional.of(new UpstreamSessionId("up-1")), ProtocolVersion.V2025_06_18,
                new ClientContext(CLIENT));
    }

    private static UpstreamCall toolCall(String body) {
        JsonRpcMessage.Request request = new JsonRpcMessage.Request(new RequestId.NumericId("7"), "tools/call",
                new McpFacts(Optional.empty(), Optional.empty(), Optional.empty(), Optional.of("echo")));
        return new UpstreamCall(session(), new JsonRpcPayload.Single(request), body.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void anExchangeIsAClientSpanUnderTheRequestsContextAndCarriesItsOwnContextUpstream() {
        upstream.thenAnswer(json("{\"jsonrpc\":\"2.0\",\"id\":7,\"result\":{}}"));

        traced.send(toolCall("{\"jsonrpc\":\"2.0\",\"id\":7,\"method\":\"tools/call\",\"params\":{\"name\":\"echo\"}}")).close();

        RecordingTracing.Recorded span = tracing.only();
        assertThat(span.kind).isEqualTo(TracingPort.SpanKind.CLIENT);
        assertThat(span.startName).isEqualTo("tools/call echo");
        assertThat(span.parent.traceparent()).contains(CLIENT_PARENT);
        assertThat(span.attributes).containsEntry(TraceAttributes.MCP_METHOD, "tools/call")
                .containsEntry(TraceAttributes.TOOL_NAME, "echo")
                .containsEntry(TraceAttributes.JSONRPC_REQUEST_ID, "7")
                .containsEntry(TraceAttributes.UPSTREAM, "web")
                .containsEntry(TraceAttributes.TRANSPORT, "http")
                .containsEntry(TraceAttributes.MCP_SESSION, "up-1")
                .containsEntry(TraceAttributes.MCP_PROTOCOL_VERSION, "2025-06-18")
                .containsEntry(TraceAttributes.PROTOCOL_ERA, "legacy")
                .containsEntry(TraceAttributes.UPSTREAM_REPLY, "answer");
        assertThat(span.ends).isEqualTo(1);
        assertThat(span.failure).isNull();
        Map<String, String> sent = upstream.onlyRequest().client();
        assertThat(sent).containsEntry("traceparent", span.context().traceparent().orElseThrow())
                .containsEntry("tracestate", "vendor=1")
                .containsEntry("X-Request-Id", "req-1")
                .containsEntry("User-Agent", "test");
        assertThat(sent.get("traceparent")).isNotEqualTo(CLIENT_PARENT);
    }

    @Test
    void aStatelessExchangeIsLabelledWithTheModernEraAndNoSession() {
        upstream.thenAnswer(json("{\"jsonrpc\":\"2.0\",\"id\":7,\"result\":{}}"));
        JsonRpcMessage.Request request = new JsonRpcMessage.Request(new RequestId.NumericId("7"), "tools/call",
                new McpFacts(Optional.empty(), Optional.empty(), Optional.empty(), Optional.of("echo")));
        UpstreamCall modern = new UpstreamCall(UpstreamSession.stateless(WEB, new ClientContext(CLIENT)), new JsonRpcPayload.Single(request),
                "{\"jsonrpc\":\"2.0\",\"id\":7,\"method\":\"tools/call\",\"params\":{\"name\":\"echo\"}}".getBytes(StandardCharsets.UTF_8));

        traced.send(modern).close();

        assertThat(tracing.only().attributes).containsEntry(TraceAttributes.PROTOCOL_ERA, "modern")
                .doesNotContainKey(TraceAttributes.MCP_SESSION);
    }

    @Test
    void aTraceparentInParamsMetaIsReplacedByTheExchangeSpansAndOtherBodiesAreSentAsTheyAre() {
        upstream.thenAnswer(json("{}")).thenAnswer(json("{}"));
        String withMeta = "{\"jsonrpc\":\"2.0\",\"id\":7,\"method\":\"tools/call\",\"params\":{\"name\":\"echo\",\"_meta\":{\"traceparent\":\""
                + CLIENT_PARENT + "\",\"progressToken\":1}}}";
        String without = "{\"jsonrpc\":\"2.0\",\"id\":7,\"method\":\"tools/call\",\"params\":{\"name\":\"echo\"}}";

        traced.send(toolCall(withMeta)).close();
        traced.send(toolCall(without)).close();

        String rewritten = new String(upstream.requests().get(0).body(), StandardCharsets.UTF_8);
        assertThat(rewritten).contains(tracing.spans().get(0).context().traceparent().orElseThrow())
                .doesNotContain(CLIENT_PARENT).contains("progressToken");
        assertThat(new String(upstream.requests().get(1).body(), StandardCharsets.UTF_8)).isEqualTo(without);
    }

    @Test
    void aPostsStreamKeepsItsSpanOpenUntilTheStreamEnds() {
        upstream.thenAnswer(eventStream(ScriptedEventSource.ofData("{\"a\":1}", "{\"b\":2}")));

        UpstreamReply reply = traced.send(toolCall("{}"));
        RecordingTracing.Recorded span = tracing.only();
        assertThat(span.ends).isZero();
        UpstreamEvents events = ((UpstreamReply.Events) reply).events();
        assertThat(events.next()).isInstanceOf(UpstreamEvents.Read.Event.class);
        assertThat(events.next()).isInstanceOf(UpstreamEvents.Read.Event.class);
        assertThat(events.next()).isInstanceOf(UpstreamEvents.Read.End.class);
        reply.close();

        assertThat(span.ends).isEqualTo(1);
        assertThat(span.attributes).containsEntry("mcp_relay.stream.events", 2L).containsEntry(TraceAttributes.UPSTREAM_REPLY, "events");
    }

    @Test
    void aBrokenStreamMarksItsSpanFailed() {
        upstream.thenAnswer(eventStream(ScriptedEventSource.of(ScriptedEventSource.broken("reset"))));

        try (UpstreamReply reply = traced.send(toolCall("{}"))) {
            ((UpstreamReply.Events) reply).events().next();
        }

        assertThat(tracing.only().failure).isEqualTo("stream_broken");
        assertThat(tracing.only().ends).isEqualTo(1);
    }

    @Test
    void failuresAreMarkedWithTheirKind() {
        upstream.thenAnswer(unreachable(UpstreamReply.Unreachable.Cause.TIMEOUT)).thenAnswer(refused(500, "boom"));

        traced.send(toolCall("{}")).close();
        traced.send(toolCall("{}")).close();

        assertThat(tracing.spans()).extracting(s -> s.failure).containsExactly("unreachable_timeout", "upstream_error");
    }

    @Test
    void anExceptionEndsTheSpanAndIsRethrown() {
        UpstreamPort throwing = new TracedUpstream(io.mcprelay.application.fixtures.UpstreamCalls.answering(() -> {
            throw new IllegalStateException("bug");
        }), tracing, json);

        assertThatThrownBy(() -> throwing.send(toolCall("{}"))).isInstanceOf(IllegalStateException.class);
        assertThat(tracing.only().ends).isEqualTo(1);
        assertThat(tracing.only().failure).isEqualTo("exception");
    }

    @Test
    void listenResumeAndEndAreSpansOfTheirOwnEndedAtTheirAnswer() {
        upstream.thenAnswer(eventStream(ScriptedEventSource.ofData("{}"))).thenAnswer(eventStream(ScriptedEventSource.ofData("{}")))
                .thenAnswer(json("{}"));

        traced.listen(session()).close();
        try (UpstreamReply reply = traced.resume(session(), "c1", UpstreamPort.Budget.STREAM)) {
            assertThat(tracing.spans().get(1).ends).as("a standalone stream's span ends at its head").isEqualTo(1);
        }
        traced.end(session()).close();

        assertThat(tracing.spans()).extracting(s -> s.attributes.get(TraceAttributes.UPSTREAM_CALL)).containsExactly("listen", "resume", "end");
        assertThat(upstream.requests()).allSatisfy(sent -> assertThat(sent.client().get("traceparent")).isNotEqualTo(CLIENT_PARENT));
    }

    @Test
    void withTracingOffEverythingPassesUnchangedTheClientsTraceContextIncluded() {
        TracedUpstream off = new TracedUpstream(upstream, TracingPort.OFF, json);
        upstream.thenAnswer(json("{}")).thenAnswer(json("{}")).thenAnswer(json("{}")).thenAnswer(json("{}"));
        UpstreamCall call = toolCall("{\"params\":{\"_meta\":{\"traceparent\":\"" + CLIENT_PARENT + "\"}}}");

        off.send(call).close();
        off.listen(session()).close();
        off.resume(session(), "c", UpstreamPort.Budget.REQUEST).close();
        off.end(session()).close();

        assertThat(upstream.requests()).allSatisfy(sent -> assertThat(sent.client()).containsEntry("traceparent", CLIENT_PARENT));
        assertThat(upstream.requests().getFirst().body()).isEqualTo(call.bytes());
        assertThat(json.editCount()).isZero();
    }

    @Test
    void everyReplyIsNamedAndOnlyFaultsMarkTheSpanFailed() {
        upstream.thenAnswer(io.mcprelay.application.fixtures.UpstreamReplies.accepted())
                .thenAnswer(io.mcprelay.application.fixtures.UpstreamReplies.passthrough("text/plain", "x"))
                .thenAnswer(io.mcprelay.application.fixtures.UpstreamReplies.sessionGone())
                .thenAnswer(io.mcprelay.application.fixtures.UpstreamReplies.noStream())
                .thenAnswer(refused(400, "bad"))
                .thenAnswer(unreachable(UpstreamReply.Unreachable.Cause.CONNECT));
        JsonRpcPayload notification = new JsonRpcPayload.Single(new JsonRpcMessage.Notification("notifications/initialized", McpFacts.NONE));
        JsonRpcPayload batch = new JsonRpcPayload.Batch(java.util.List.of(
                new JsonRpcMessage.Notification("a", McpFacts.NONE), new JsonRpcMessage.Notification("b", McpFacts.NONE)));
        JsonRpcPayload response = new JsonRpcPayload.Single(new JsonRpcMessage.Response(new RequestId.NumericId("1"), McpFacts.NONE));
        byte[] withTraceparent = "{\"params\":{\"_meta\":{\"traceparent\":\"x\"}}}".getBytes(StandardCharsets.UTF_8);

        traced.send(new UpstreamCall(session(), notification, "{}".getBytes(StandardCharsets.UTF_8))).close();
        traced.send(new UpstreamCall(session(), batch, withTraceparent)).close();
        traced.send(new UpstreamCall(session(), response, "{}".getBytes(StandardCharsets.UTF_8))).close();
        traced.send(new UpstreamCall(session(), response, withTraceparent)).close();
        traced.send(toolCall("{}")).close();
        traced.send(toolCall("{}")).close();

        assertThat(tracing.spans()).extracting(s -> s.attributes.get(TraceAttributes.UPSTREAM_REPLY))
                .containsExactly("accepted", "other", "session_gone", "no_stream", "upstream_refused", "unreachable_connect");
        assertThat(tracing.spans()).extracting(s -> s.failure).containsExactly(null, null, "session_gone", null, null, "unreachable_connect");
        assertThat(tracing.spans()).extracting(s -> s.startName)
                .containsExactly("notifications/initialized", "batch", "response", "response", "tools/call echo", "tools/call echo");
        assertThat(tracing.spans().get(0).attributes).containsEntry(TraceAttributes.MCP_METHOD, "notifications/initialized");
        assertThat(tracing.spans().get(1).attributes).doesNotContainKey(TraceAttributes.MCP_METHOD);
        assertThat(upstream.requests().get(1).body()).as("a batch is sent as it is").isEqualTo(withTraceparent);
        assertThat(json.editCount()).as("only the single message carrying a traceparent is rewritten").isEqualTo(1);
    }

    @Test
    void anOpeningSessionHasNoSessionIdOrVersionToDescribe() {
        upstream.thenAnswer(json("{}"));
        UpstreamSession opening = UpstreamSession.opening(new UpstreamTarget("files",
                new io.mcprelay.domain.routing.UpstreamTransport.Stdio("cat", java.util.List.of(), Map.of(), Optional.empty())),
                ClientContext.NONE);

        traced.end(opening).close();

        assertThat(tracing.only().attributes).containsEntry(TraceAttributes.TRANSPORT, "stdio")
                .doesNotContainKeys(TraceAttributes.MCP_SESSION, TraceAttributes.MCP_PROTOCOL_VERSION);
        assertThat(tracing.only().parent.isEmpty()).isTrue();
    }

    @Test
    void tracingOffRecordsNothingAndPassesItsParentOn() {
        TraceContext parent = TraceContext.of(Map.of("traceparent", CLIENT_PARENT));

        try (io.mcprelay.application.port.out.trace.TraceSpan span = TracingPort.OFF.start("x", TracingPort.SpanKind.SERVER, parent,
                java.time.Instant.EPOCH)) {
            span.name("y");
            span.attribute("k", "v");
            span.attribute("n", 1);
            span.failed("e");
            assertThat(span.context()).isEqualTo(parent);
        }
        assertThat(TracingPort.OFF.start("x", TracingPort.SpanKind.CLIENT, TraceContext.NONE).context()).isEqualTo(TraceContext.NONE);
        assertThat(TracingPort.OFF.enabled()).isFalse();
    }

    @Test
    void spanNamesFollowTheMessage() {
        assertThat(TracedUpstream.spanName(new JsonRpcPayload.Single(new JsonRpcMessage.Notification("notifications/initialized", McpFacts.NONE))))
                .isEqualTo("notifications/initialized");
        assertThat(TracedUpstream.spanName(new JsonRpcPayload.Single(new JsonRpcMessage.Response(new RequestId.StringId("x"), McpFacts.NONE))))
                .isEqualTo("response");
        assertThat(TracedUpstream.idText(new RequestId.StringId("abc"))).isEqualTo("abc");
    }

    @Test
    void traceContextKeepsOnlyItsBoundedFieldsAndReplacesThemInAnyCase() {
        TraceContext context = TraceContext.of(Map.of("TraceParent", "tp", "Baggage", "x".repeat(TraceContext.MAX_VALUE_LENGTH + 1),
                "Other", "o"));

        assertThat(context.fields()).containsOnlyKeys("traceparent");
        assertThat(context.replaceIn(Map.of("TRACEPARENT", "old", "Accept", "a"))).containsOnly(Map.entry("Accept", "a"),
                Map.entry("traceparent", "tp"));
        assertThat(TraceContext.NONE.isEmpty()).isTrue();
    }
}
