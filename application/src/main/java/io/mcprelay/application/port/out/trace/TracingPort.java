package io.mcprelay.application.port.out.trace;

import java.time.Instant;

/**
 * Starts spans. The server span of a request is started by the inbound adapter (it sees the request
 * first); the application starts one client span per upstream exchange as its child, and the span's
 * {@link TraceSpan#context() context} travels upstream in the call's
 * {@link io.mcprelay.application.port.out.upstream.ClientContext ClientContext}.
 *
 * <p>{@link #OFF} records nothing, and a span it starts carries the context it was started under, so
 * that with tracing off the client's own {@code traceparent} still reaches the upstream unchanged.
 */
public interface TracingPort {

    /** No tracing: spans record nothing and pass their parent's context on. */
    TracingPort OFF = Off.INSTANCE;

    /**
     * Starts a span named {@code name} as a child of {@code parent} (a new trace when {@code parent}
     * holds no valid {@code traceparent}); never fails.
     */
    TraceSpan start(String name, SpanKind kind, TraceContext parent);

    /** As {@link #start(String, SpanKind, TraceContext)}, for a span that began at {@code startedAt} (a request's arrival). */
    TraceSpan start(String name, SpanKind kind, TraceContext parent, Instant startedAt);

    /** Whether spans are recorded at all (else callers skip the work of describing them). */
    boolean enabled();

    /** What side of an exchange a span stands for. */
    enum SpanKind {
        /** A request a client made to this relay. */
        SERVER,
        /** An exchange this relay made with an upstream. */
        CLIENT
    }

    /** {@link #OFF}. */
    enum Off implements TracingPort {
        INSTANCE;

        @Override
        public TraceSpan start(String name, SpanKind kind, TraceContext parent) {
            return TraceSpan.none(parent);
        }

        @Override
        public TraceSpan start(String name, SpanKind kind, TraceContext parent, Instant startedAt) {
            return TraceSpan.none(parent);
        }

        @Override
        public boolean enabled() {
            return false;
        }
    }
}
