package io.mcprelay.application.service;

import io.mcprelay.application.port.out.JsonEditPort;
import io.mcprelay.application.port.out.trace.TraceAttributes;
import io.mcprelay.application.port.out.trace.TraceContext;
import io.mcprelay.application.port.out.trace.TraceSpan;
import io.mcprelay.application.port.out.trace.TracingPort;
import io.mcprelay.application.port.out.upstream.ClientContext;
import io.mcprelay.application.port.out.upstream.UpstreamCall;
import io.mcprelay.application.port.out.upstream.UpstreamEvents;
import io.mcprelay.application.port.out.upstream.UpstreamPort;
import io.mcprelay.application.port.out.upstream.UpstreamReply;
import io.mcprelay.application.port.out.upstream.UpstreamSession;
import io.mcprelay.domain.jsonrpc.JsonRpcMessage;
import io.mcprelay.domain.jsonrpc.JsonRpcPayload;
import io.mcprelay.domain.jsonrpc.RequestId;
import io.mcprelay.domain.routing.TransportKind;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One client span per upstream exchange. The parent is the trace context the call's
 * {@link ClientContext} carries (the inbound adapter puts its request span's there); the exchange
 * goes on with the new span's context in its place, so an HTTP upstream receives a
 * {@code traceparent} naming the relay's exchange span. A message whose {@code params._meta} holds a
 * {@code traceparent} (MCP's own place for trace context, the only one a stdio upstream sees) gets it
 * replaced the same way. A reply that is a POST's stream of events keeps its span open until the
 * stream ends; a standalone stream's span ends with the stream's head (it may last for hours).
 *
 * <p>With tracing {@link TracingPort#OFF off} every call passes through unchanged, the client's own
 * trace context included.
 */
public final class TracedUpstream implements UpstreamPort {

    private static final String META_TRACEPARENT = "/params/_meta/traceparent";
    private static final byte[] TRACEPARENT_BYTES = "\"traceparent\"".getBytes(StandardCharsets.US_ASCII);

    private final UpstreamPort delegate;
    private final TracingPort tracing;
    private final JsonEditPort json;

    public TracedUpstream(UpstreamPort delegate, TracingPort tracing, JsonEditPort json) {
        this.delegate = Objects.requireNonNull(delegate, "delegate");
        this.tracing = Objects.requireNonNull(tracing, "tracing");
        this.json = Objects.requireNonNull(json, "json");
    }

    @Override
    public UpstreamReply send(UpstreamCall call) {
        if (!tracing.enabled()) {
            return delegate.send(call);
        }
        TraceSpan span = start("send", call.session(), spanName(call.payload()));
        describe(span, call.payload());
        UpstreamCall traced = new UpstreamCall(carrying(call.session(), span), call.payload(), withMetaContext(call, span));
        return finished(span, () -> delegate.send(traced), true);
    }

    @Override
    public UpstreamReply listen(UpstreamSession session) {
        if (!tracing.enabled()) {
            return delegate.listen(session);
        }
        TraceSpan span = start("listen", session, "listen stream");
        return finished(span, () -> delegate.listen(carrying(session, span)), false);
    }

    @Override
    public UpstreamReply resume(UpstreamSession session, String cursor, Budget budget) {
        if (!tracing.enabled()) {
            return delegate.resume(session, cursor, budget);
        }
        TraceSpan span = start("resume", session, "resume stream");
        return finished(span, () -> delegate.resume(carrying(session, span), cursor, budget), budget == Budget.REQUEST);
    }

    @Override
    public UpstreamReply end(UpstreamSession session) {
        if (!tracing.enabled()) {
            return delegate.end(session);
        }
        TraceSpan span = start("end", session, "end session");
        return finished(span, () -> delegate.end(carrying(session, span)), false);
    }

    private TraceSpan start(String call, UpstreamSession session, String name) {
        TraceSpan span = tracing.start(name, TracingPort.SpanKind.CLIENT, TraceContext.of(session.client().values()));
        span.attribute(TraceAttributes.UPSTREAM_CALL, call);
        span.attribute(TraceAttributes.UPSTREAM, session.target().name());
        span.attribute(TraceAttributes.TRANSPORT, transport(session.target().kind()));
        span.attribute(TraceAttributes.PROTOCOL_ERA, session.era().label());
        session.id().ifPresent(id -> span.attribute(TraceAttributes.MCP_SESSION, id.value()));
        session.protocolVersion().ifPresent(v -> span.attribute(TraceAttributes.MCP_PROTOCOL_VERSION, v.value()));
        return span;
    }

    private static String transport(TransportKind kind) {
        return kind.name().toLowerCase(Locale.ROOT);
    }

    /** The session with the span's trace context in place of the parent's, for the adapter to send on. */
    private static UpstreamSession carrying(UpstreamSession session, TraceSpan span) {
        return session.withClient(new ClientContext(span.context().replaceIn(session.client().values())));
    }

    /** The call's bytes, with {@code params._meta.traceparent} naming the span when the message carried one. */
    private byte[] withMetaContext(UpstreamCall call, TraceSpan span) {
        Optional<String> traceparent = span.context().traceparent();
        if (traceparent.isEmpty() || !(call.payload() instanceof JsonRpcPayload.Single) || !contains(call.bytes(), TRACEPARENT_BYTES)) {
            return call.bytes();
        }
        String replacement = "\"" + traceparent.get() + "\"";
        return json.replaceAt(new String(call.bytes(), StandardCharsets.UTF_8), META_TRACEPARENT, replacement)
                .map(edited -> edited.getBytes(StandardCharsets.UTF_8))
                .orElse(call.bytes());
    }

    private static boolean contains(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i <= haystack.length - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }

    static String spanName(JsonRpcPayload payload) {
        if (payload instanceof JsonRpcPayload.Batch) {
            return "batch";
        }
        JsonRpcMessage message = payload.messages().getFirst();
        return switch (message) {
            case JsonRpcMessage.Request request -> request.facts().toolName().map(tool -> request.method() + " " + tool).orElse(request.method());
            case JsonRpcMessage.Notification notification -> notification.method();
            default -> "response";
        };
    }

    private static void describe(TraceSpan span, JsonRpcPayload payload) {
        if (!(payload instanceof JsonRpcPayload.Single single)) {
            return;
        }
        switch (single.message()) {
            case JsonRpcMessage.Request request -> {
                span.attribute(TraceAttributes.MCP_METHOD, request.method());
                span.attribute(TraceAttributes.JSONRPC_REQUEST_ID, idText(request.id()));
                request.facts().toolName().ifPresent(tool -> span.attribute(TraceAttributes.TOOL_NAME, tool));
            }
            case JsonRpcMessage.Notification notification -> span.attribute(TraceAttributes.MCP_METHOD, notification.method());
            default -> {
            }
        }
    }

    static String idText(RequestId id) {
        return switch (id) {
            case RequestId.NumericId numeric -> numeric.literal();
            case RequestId.StringId string -> string.value();
        };
    }

    /**
     * Runs the exchange and ends the span with its outcome; a POST's stream of events ({@code followStream})
     * keeps the span open until the stream ends or is closed.
     */
    private static UpstreamReply finished(TraceSpan span, java.util.function.Supplier<UpstreamReply> exchange, boolean followStream) {
        UpstreamReply reply;
        try {
            reply = exchange.get();
        } catch (RuntimeException e) {
            span.failed("exception");
            span.end();
            throw e;
        }
        String kind = replyKind(reply);
        span.attribute(TraceAttributes.UPSTREAM_REPLY, kind);
        if (isFailure(reply)) {
            span.failed(kind);
        }
        if (followStream && reply instanceof UpstreamReply.Events events) {
            return new UpstreamReply.Events(new SpannedEvents(events.events(), span), events.session(), events.echo());
        }
        span.end();
        return reply;
    }

    static String replyKind(UpstreamReply reply) {
        return switch (reply) {
            case UpstreamReply.Answer answer -> "answer";
            case UpstreamReply.Events events -> "events";
            case UpstreamReply.Accepted accepted -> "accepted";
            case UpstreamReply.Other other -> "other";
            case UpstreamReply.SessionGone gone -> "session_gone";
            case UpstreamReply.NoStream none -> "no_stream";
            case UpstreamReply.Refused refused -> refused.upstreamFault() ? "upstream_error" : "upstream_refused";
            case UpstreamReply.Unreachable unreachable -> "unreachable_" + unreachable.cause().name().toLowerCase(Locale.ROOT);
        };
    }

    private static boolean isFailure(UpstreamReply reply) {
        return reply instanceof UpstreamReply.Unreachable || reply instanceof UpstreamReply.SessionGone
                || reply instanceof UpstreamReply.Refused refused && refused.upstreamFault();
    }

    /** A POST's stream of events whose span ends with the stream (its end, a break, or its close). */
    private static final class SpannedEvents implements UpstreamEvents {
        private final UpstreamEvents events;
        private final TraceSpan span;
        private final AtomicBoolean ended = new AtomicBoolean();
        private long count;

        SpannedEvents(UpstreamEvents events, TraceSpan span) {
            this.events = events;
            this.span = span;
        }

        @Override
        public Read next() {
            Read read = events.next();
            switch (read) {
                case Read.Event event -> count++;
                case Read.End end -> end(null);
                case Read.Broken broken -> end("stream_broken");
            }
            return read;
        }

        @Override
        public void close() {
            try {
                events.close();
            } finally {
                end(null);
            }
        }

        private void end(String failure) {
            if (ended.compareAndSet(false, true)) {
                if (failure != null) {
                    span.failed(failure);
                }
                span.attribute("mcp_relay.stream.events", count);
                span.end();
            }
        }
    }
}
