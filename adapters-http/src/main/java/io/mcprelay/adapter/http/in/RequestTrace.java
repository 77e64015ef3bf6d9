package io.mcprelay.adapter.http.in;

import io.mcprelay.application.port.out.trace.TraceAttributes;
import io.mcprelay.application.port.out.trace.TraceContext;
import io.mcprelay.application.port.out.trace.TraceSpan;
import io.mcprelay.application.port.out.trace.TracingPort;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The server span of one request to the MCP endpoint and the request facts that travel upstream with
 * it: its {@code X-Request-Id}, the {@code X-Forwarded-*} headers and the trace context.
 *
 * <p>The span starts when first needed, not when the request arrives (its start time is the
 * arrival's all the same): a POST's trace context may be in its body ({@code params._meta}), read
 * only after the headers; the endpoint offers it with {@link #offerMetaContext} before the request
 * reaches a use case. The client's {@code traceparent} header wins over the body's.
 */
final class RequestTrace {

    private final TracingPort tracing;
    private final Instant arrived;
    private final String requestId;
    private final Map<String, String> forwarded;
    private String name;
    private TraceContext parent;
    private TraceSpan span;
    private String era = TraceAttributes.ERA_LEGACY;

    RequestTrace(TracingPort tracing, Instant arrived, String name, TraceContext parent, String requestId, Map<String, String> forwarded) {
        this.tracing = Objects.requireNonNull(tracing, "tracing");
        this.arrived = arrived;
        this.name = name;
        this.parent = parent;
        this.requestId = requestId;
        this.forwarded = Map.copyOf(forwarded);
    }

    String requestId() {
        return requestId;
    }

    boolean tracing() {
        return tracing.enabled();
    }

    /** The trace context a POST's {@code params._meta} carried: the parent when the headers gave none. */
    synchronized void offerMetaContext(TraceContext meta) {
        if (span == null && parent.traceparent().isEmpty() && meta.traceparent().isPresent()) {
            parent = meta;
        }
    }

    /** The request's protocol era ({@code legacy} or {@code modern}), once its body was read. */
    synchronized void era(String label) {
        this.era = Objects.requireNonNull(label, "label");
        if (span != null) {
            span.attribute(TraceAttributes.PROTOCOL_ERA, label);
        }
    }

    /** Names the span after what the request turned out to be (its JSON-RPC method, the tool). */
    synchronized void rename(String spanName) {
        this.name = spanName;
        if (span != null) {
            span.name(spanName);
        }
    }

    /** The span, started now if it was not yet. */
    synchronized TraceSpan span() {
        if (span == null) {
            span = tracing.start(name, TracingPort.SpanKind.SERVER, parent, arrived);
            span.attribute(TraceAttributes.REQUEST_ID, requestId);
            span.attribute(TraceAttributes.PROTOCOL_ERA, era);
        }
        return span;
    }

    /** What travels upstream with the request's messages: the request id, the forwarded headers, the span's trace context. */
    Map<String, String> upstreamValues() {
        Map<String, String> values = new LinkedHashMap<>();
        values.put(RequestIds.HEADER, requestId);
        values.putAll(forwarded);
        values.putAll(span().context().fields());
        return values;
    }

    /** The trace id of the span ({@code traceparent}'s second field), once it started. */
    synchronized java.util.Optional<String> traceId() {
        if (span == null) {
            return java.util.Optional.empty();
        }
        return span.context().traceparent().map(tp -> tp.split("-")).filter(parts -> parts.length >= 2).map(parts -> parts[1]);
    }

    /** Describes the finished request on its span and ends it. */
    void end(RequestRecord record) {
        TraceSpan s = span();
        s.attribute("http.request.method", record.httpMethod());
        s.attribute("http.response.status_code", record.status());
        s.attribute("client.address", record.client());
        record.rpcMethod().ifPresent(m -> s.attribute(TraceAttributes.MCP_METHOD, m));
        record.sessionId().ifPresent(id -> s.attribute(TraceAttributes.MCP_SESSION, id));
        record.upstream().ifPresent(u -> s.attribute(TraceAttributes.UPSTREAM, u));
        record.refusal().ifPresent(r -> s.attribute("mcp_relay.refusal", r));
        if (record.streamed()) {
            s.attribute("mcp_relay.stream.events", record.events());
        }
        record.outcome().filter(o -> !o.equals("ok")).ifPresentOrElse(s::failed, () -> {
            if (record.status() >= 500) {
                s.failed(String.valueOf(record.status()));
            }
        });
        s.end();
    }
}
